'use client';
import Link from 'next/link';
import { ChoiceField, Field } from '@/components/ui/field';
import { RecordForm, type RecordFormProps } from '@/components/admin/record-form';

export function ProjectForm({
  action,
  initial,
  mode,
  teams,
}: RecordFormProps & {
  /** Team choices, or null when there are too many for a select (then the slug is typed). */
  teams: Array<{ value: string; label: string }> | null;
}) {
  return (
    <RecordForm
      action={action}
      initial={initial}
      submitLabel={mode === 'create' ? 'Create project' : 'Save changes'}
      cancelHref="/admin/projects"
    >
      {({ field }) => (
        <>
          <Field label="Project name" autoComplete="off" required {...field('name')} />
          <ChoiceField
            label="Team"
            choices={teams}
            placeholder="Choose a team"
            textHint="The team's slug"
            {...field('team')}
          />
          {teams?.length === 0 && (
            <p className="text-sm text-slate-600">
              There are no teams yet.{' '}
              <Link href="/admin/teams/new" className="text-blue-700 underline">
                Create a team
              </Link>{' '}
              first.
            </p>
          )}
        </>
      )}
    </RecordForm>
  );
}
