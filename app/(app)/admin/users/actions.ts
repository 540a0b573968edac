'use server';
// User administration. Every action checks the admin role itself (the layout's
// check does not protect a direct POST), then the permission rules.
import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { requireAdmin } from '@/lib/session';
import { canChangeRole, canDeleteUser } from '@/lib/permissions';
import { createUser, deleteUser, updateUser } from '@/lib/data/users';
import { NotFoundError } from '@/lib/data/errors';
import { editUserSchema, fieldErrors, newUserSchema } from '@/lib/validation';
import { failedForm, formStrings, type FormState } from '@/lib/form-state';

const FIELDS = ['email', 'name', 'role'] as const;

export async function createUserAction(_prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdmin();
  const values = formStrings(form, FIELDS);
  const parsed = newUserSchema.safeParse({ ...values, password: String(form.get('password') ?? '') });
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values };
  try {
    await createUser(parsed.data, admin.email);
  } catch (error) {
    return failedForm(error, values);
  }
  revalidatePath('/admin', 'layout');
  redirect('/admin/users?notice=created');
}

export async function updateUserAction(id: string, _prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdmin();
  const values = formStrings(form, FIELDS);
  const parsed = editUserSchema.safeParse({ ...values, password: String(form.get('password') ?? '') });
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values };
  if (!canChangeRole(admin, { id }, parsed.data.role)) {
    return { errors: { role: 'You cannot remove your own admin role; ask another admin to do it' }, values };
  }
  try {
    await updateUser(id, parsed.data, admin.email);
  } catch (error) {
    return failedForm(error, values);
  }
  revalidatePath('/admin', 'layout');
  redirect('/admin/users?notice=updated');
}

export async function deleteUserAction(form: FormData): Promise<void> {
  const admin = await requireAdmin();
  const id = String(form.get('id') ?? '');
  if (!canDeleteUser(admin, { id })) redirect(`/admin/users/${encodeURIComponent(id)}/delete`);
  try {
    await deleteUser(id, admin.email);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  revalidatePath('/admin', 'layout');
  redirect('/admin/users?notice=deleted');
}
