'use client';
import Link from 'next/link';
import { ChoiceField, Field } from '@/components/ui/field';
import { RecordForm, type RecordFormAction } from '@/components/admin/record-form';

export function ProjectForm({
  action,
  initial,
  mode,
  teams,
}: {
  action: RecordFormAction;
  initial?: Record<string, string>;
  mode: 'create' | 'edit';
  /** Team choices, or null when there are too many for a select (then the slug is typed). */
  teams: Array<{ value: string; label: string }> | null;
}) {
  return (
    <RecordForm action={action} initial={initial} submitLabel={mode === 'create' ? 'Create project' : 'Save changes'} cancelHref="/admin/projects">
      {({ errors: e, values: v }) => (
        <>
          <Field label="Project name" name="name" autoComplete="off" defaultValue={v.name} error={e.name} required />
          <ChoiceField label="Team" name="team" choices={teams} placeholder="Choose a team" defaultValue={v.team} error={e.team} textHint="The team's slug" />
          {teams?.length === 0 && (
            <p className="text-sm text-slate-600">
              There are no teams yet. <Link href="/admin/teams/new" className="text-blue-700 underline">Create a team</Link> first.
            </p>
          )}
        </>
      )}
    </RecordForm>
  );
}
