'use server';
// User administration, in the one shape of lib/admin-action.ts (each action checks
// the admin role itself: the layout's check does not protect a direct POST), then the
// permission rules.
import { redirect } from 'next/navigation';
import { requireAdmin } from '@/lib/session';
import { trackedChange } from '@/lib/events/admin-actions';
import { canChangeRole, canDeleteUser } from '@/lib/permissions';
import { createUser, deleteUser, endAllSessionsOfUser, getUser, updateUser } from '@/lib/data/users';
import { clearAccountSignInLimits } from '@/lib/data/sign-in-limits';
import { NotFoundError } from '@/lib/data/errors';
import { editUserSchema, newUserSchema } from '@/lib/validation';
import { removeRecord, submitRecordForm } from '@/lib/admin-action';
import type { FormState } from '@/lib/form-state';
import type { SessionUser } from '@/lib/data/sessions';

const USER_FORM = { fields: ['email', 'name', 'role'], password: true } as const;
const LIST = '/admin/users?notice=';
const OWN_ROLE = { role: 'You cannot remove your own admin role; ask another admin to do it' };

export async function createUserAction(_prev: FormState, form: FormData): Promise<FormState> {
  const track = ['user', 'created'] as const;
  return submitRecordForm(form, {
    ...USER_FORM,
    schema: newUserSchema,
    track,
    change: createUser,
    done: `${LIST}created`,
  });
}

export async function updateUserAction(id: string, _prev: FormState, form: FormData): Promise<FormState> {
  return submitRecordForm(form, {
    ...USER_FORM,
    schema: editUserSchema,
    track: ['user', 'updated'],
    refuse: (admin, data) => (canChangeRole(admin, { id }, data.role) ? null : OWN_ROLE),
    change: (data, by) => updateUser(id, data, by),
    done: `${LIST}updated`,
  });
}

export async function deleteUserAction(form: FormData): Promise<void> {
  const id = String(form.get('id') ?? '');
  const refuse = (admin: SessionUser) =>
    canDeleteUser(admin, { id }) ? null : `/admin/users/${encodeURIComponent(id)}/delete`;
  await removeRecord({
    track: ['user', 'deleted'],
    refuse,
    change: (by) => deleteUser(id, by),
    done: `${LIST}deleted`,
  });
}

/** Ends every session of a user: each of their browsers must sign in again (audited). */
export async function endSessionsAction(form: FormData): Promise<void> {
  const admin = await requireAdmin();
  const id = String(form.get('id') ?? '');
  try {
    await trackedChange('user', 'updated', () => endAllSessionsOfUser(id, admin.email));
  } catch (error) {
    if (error instanceof NotFoundError) redirect('/admin/users');
    throw error;
  }
  redirect(`/admin/users/${encodeURIComponent(id)}?notice=sessions-ended`);
}

/** Clears an account's sign-in delay and its per-address refusals (audited). */
export async function clearSignInLimitsAction(form: FormData): Promise<void> {
  const admin = await requireAdmin();
  const id = String(form.get('id') ?? '');
  const user = await getUser(id);
  if (!user) redirect('/admin/users');
  await trackedChange('user', 'updated', () => clearAccountSignInLimits(user.email, admin.email));
  redirect(`/admin/users/${encodeURIComponent(id)}?notice=limits-cleared`);
}
