'use client';
import { Field } from '@/components/ui/field';
import { RecordForm, type RecordFormProps } from '@/components/admin/record-form';

export function TeamForm({ action, initial, mode }: RecordFormProps) {
  return (
    <RecordForm
      action={action}
      initial={initial}
      submitLabel={mode === 'create' ? 'Create team' : 'Save team'}
      cancelHref={mode === 'create' ? '/admin/teams' : undefined}
    >
      {({ field }) => (
        <>
          <Field label="Team name" autoComplete="off" required {...field('name')} />
          <Field
            label="Slug"
            autoComplete="off"
            {...field('slug')}
            hint="Short unique id, e.g. platform-team: lower-case letters, digits and dashes"
            required
          />
        </>
      )}
    </RecordForm>
  );
}
