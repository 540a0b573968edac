'use server';
// Project administration, in the one shape of lib/admin-action.ts (each action checks
// the admin role itself: the layout's check does not protect a direct POST).
import { createProject, deleteProject, updateProject, type ProjectInput } from '@/lib/data/projects';
import { projectSchema } from '@/lib/validation';
import { removeRecord, submitRecordForm } from '@/lib/admin-action';
import type { FormState } from '@/lib/form-state';

const PROJECT_FORM = { fields: ['name', 'team'], schema: projectSchema } as const;
const LIST = '/admin/projects?notice=';

export async function createProjectAction(_prev: FormState, form: FormData): Promise<FormState> {
  const track = ['project', 'created'] as const;
  return submitRecordForm(form, { ...PROJECT_FORM, track, change: createProject, done: `${LIST}created` });
}

export async function updateProjectAction(id: string, _prev: FormState, form: FormData): Promise<FormState> {
  const change = (data: ProjectInput, by: string) => updateProject(id, data, by);
  return submitRecordForm(form, { ...PROJECT_FORM, track: ['project', 'updated'], change, done: `${LIST}updated` });
}

export async function deleteProjectAction(form: FormData): Promise<void> {
  const change = (by: string) => deleteProject(String(form.get('id') ?? ''), by);
  await removeRecord({ track: ['project', 'deleted'], change, done: `${LIST}deleted` });
}
