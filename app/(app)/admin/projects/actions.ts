'use server';
// Project administration. Every action checks the admin role itself (the
// layout's check does not protect a direct POST).
import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { requireAdmin } from '@/lib/session';
import { createProject, deleteProject, updateProject } from '@/lib/data/projects';
import { NotFoundError } from '@/lib/data/errors';
import { fieldErrors, projectSchema } from '@/lib/validation';
import { failedForm, formStrings, type FormState } from '@/lib/form-state';

const FIELDS = ['name', 'team'] as const;

export async function createProjectAction(_prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdmin();
  const values = formStrings(form, FIELDS);
  const parsed = projectSchema.safeParse(values);
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values };
  try {
    await createProject(parsed.data, admin.email);
  } catch (error) {
    return failedForm(error, values);
  }
  revalidatePath('/admin', 'layout');
  redirect('/admin/projects?notice=created');
}

export async function updateProjectAction(id: string, _prev: FormState, form: FormData): Promise<FormState> {
  const admin = await requireAdmin();
  const values = formStrings(form, FIELDS);
  const parsed = projectSchema.safeParse(values);
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values };
  try {
    await updateProject(id, parsed.data, admin.email);
  } catch (error) {
    return failedForm(error, values);
  }
  revalidatePath('/admin', 'layout');
  redirect('/admin/projects?notice=updated');
}

export async function deleteProjectAction(form: FormData): Promise<void> {
  const admin = await requireAdmin();
  try {
    await deleteProject(String(form.get('id') ?? ''), admin.email);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  revalidatePath('/admin', 'layout');
  redirect('/admin/projects?notice=deleted');
}
