'use client';
import { Field } from '@/components/ui/field';
import { RecordForm, type RecordFormAction } from '@/components/admin/record-form';

export function TeamForm({
  action,
  initial,
  mode,
}: {
  action: RecordFormAction;
  initial?: Record<string, string>;
  mode: 'create' | 'edit';
}) {
  return (
    <RecordForm action={action} initial={initial} submitLabel={mode === 'create' ? 'Create team' : 'Save team'} cancelHref={mode === 'create' ? '/admin/teams' : undefined}>
      {({ errors: e, values: v }) => (
        <>
          <Field label="Team name" name="name" autoComplete="off" defaultValue={v.name} error={e.name} required />
          <Field label="Slug" name="slug" autoComplete="off" defaultValue={v.slug} error={e.slug} hint="Short unique id, e.g. platform-team: lower-case letters, digits and dashes" required />
        </>
      )}
    </RecordForm>
  );
}
