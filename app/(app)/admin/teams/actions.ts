'use server';
// Team administration, in the one shape of lib/admin-action.ts (each action checks
// the admin role itself: the layout's check does not protect a direct POST).
// A membership is a change to the team (which user is never sent).
import { addTeamMember, createTeam, deleteTeam, removeTeamMember, updateTeam, type TeamInput } from '@/lib/data/teams';
import { membershipSchema, teamSchema } from '@/lib/validation';
import { removeRecord, submitRecordForm } from '@/lib/admin-action';
import type { FormState } from '@/lib/form-state';

const TEAM_FORM = { fields: ['name', 'slug'], schema: teamSchema } as const;
const teamPage = (id: string, notice: string) => `/admin/teams/${encodeURIComponent(id)}?notice=${notice}`;

export async function createTeamAction(_prev: FormState, form: FormData): Promise<FormState> {
  const done = ({ id }: { id: string }) => teamPage(id, 'created');
  return submitRecordForm(form, { ...TEAM_FORM, track: ['team', 'created'], change: createTeam, done });
}

export async function updateTeamAction(id: string, _prev: FormState, form: FormData): Promise<FormState> {
  const change = (data: TeamInput, by: string) => updateTeam(id, data, by);
  return submitRecordForm(form, { ...TEAM_FORM, track: ['team', 'updated'], change, done: teamPage(id, 'updated') });
}

export async function deleteTeamAction(form: FormData): Promise<void> {
  const change = (by: string) => deleteTeam(String(form.get('id') ?? ''), by);
  await removeRecord({ track: ['team', 'deleted'], change, done: '/admin/teams?notice=deleted' });
}

export async function addMemberAction(teamId: string, _prev: FormState, form: FormData): Promise<FormState> {
  return submitRecordForm(form, {
    fields: ['email', 'role'],
    schema: membershipSchema,
    track: ['team', 'updated'],
    change: ({ email, role }, by) => addTeamMember(teamId, email, role, by),
    done: teamPage(teamId, 'member-added'),
  });
}

export async function removeMemberAction(form: FormData): Promise<void> {
  const teamId = String(form.get('teamId') ?? '');
  const change = (by: string) => removeTeamMember(teamId, String(form.get('userId') ?? ''), by);
  await removeRecord({ track: ['team', 'updated'], change, done: teamPage(teamId, 'member-removed') });
}
