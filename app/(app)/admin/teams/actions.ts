'use server';
// Team administration. Every action checks the admin role itself (the layout's
// check does not protect a direct POST).
import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { requireAdmin } from '@/lib/session';
import { addTeamMember, createTeam, deleteTeam, removeTeamMember, updateTeam } from '@/lib/data/teams';
import { NotFoundError } from '@/lib/data/errors';
import { fieldErrors, membershipSchema, teamSchema } from '@/lib/validation';
import { failedForm, formStrings, type FormState } from '@/lib/form-state';

const FIELDS = ['name', 'slug'] as const;

export async function createTeamAction(_prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdmin();
  const values = formStrings(form, FIELDS);
  const parsed = teamSchema.safeParse(values);
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values };
  let id: string;
  try {
    ({ id } = await createTeam(parsed.data, admin.email));
  } catch (error) {
    return failedForm(error, values);
  }
  revalidatePath('/admin', 'layout');
  redirect(`/admin/teams/${id}?notice=created`);
}

export async function updateTeamAction(id: string, _prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdmin();
  const values = formStrings(form, FIELDS);
  const parsed = teamSchema.safeParse(values);
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values };
  try {
    await updateTeam(id, parsed.data, admin.email);
  } catch (error) {
    return failedForm(error, values);
  }
  revalidatePath('/admin', 'layout');
  redirect(`/admin/teams/${id}?notice=updated`);
}

export async function deleteTeamAction(form: FormData): Promise<void> {
  const admin = await requireAdmin();
  try {
    await deleteTeam(String(form.get('id') ?? ''), admin.email);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  revalidatePath('/admin', 'layout');
  redirect('/admin/teams?notice=deleted');
}

export async function addMemberAction(teamId: string, _prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdmin();
  const values = formStrings(form, ['email', 'role'] as const);
  const parsed = membershipSchema.safeParse(values);
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values };
  try {
    await addTeamMember(teamId, parsed.data.email, parsed.data.role, admin.email);
  } catch (error) {
    return failedForm(error, values);
  }
  revalidatePath('/admin', 'layout');
  redirect(`/admin/teams/${teamId}?notice=member-added`);
}

export async function removeMemberAction(form: FormData): Promise<void> {
  const admin = await requireAdmin();
  const teamId = String(form.get('teamId') ?? '');
  try {
    await removeTeamMember(teamId, String(form.get('userId') ?? ''), admin.email);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  revalidatePath('/admin', 'layout');
  redirect(`/admin/teams/${encodeURIComponent(teamId)}?notice=member-removed`);
}
