'use client';
import { Field, SelectField } from '@/components/ui/field';
import { RecordForm, type RecordFormProps } from '@/components/admin/record-form';
import { PASSWORD_HINT } from '@/lib/password-rule';

const ROLE_OPTIONS = [
  { value: 'member', label: 'Member' },
  { value: 'admin', label: 'Admin' },
];

export function UserForm({ action, initial, mode, isSelf = false }: RecordFormProps & { isSelf?: boolean }) {
  return (
    <RecordForm
      action={action}
      initial={initial}
      submitLabel={mode === 'create' ? 'Create user' : 'Save changes'}
      cancelHref="/admin/users"
    >
      {({ field, values }) => (
        <>
          <Field label="Email" type="email" autoComplete="off" required {...field('email')} />
          <Field label="Name" autoComplete="off" required {...field('name')} />
          <SelectField
            label="Role"
            options={ROLE_OPTIONS}
            {...field('role')}
            defaultValue={values.role || 'member'}
            hint={
              isSelf
                ? 'This is your own account: you cannot remove your own admin role.'
                : 'Admins can manage users, teams, projects and settings.'
            }
          />
          <Field
            label={mode === 'create' ? 'Password' : 'New password'}
            type="password"
            autoComplete="new-password"
            {...field('password')}
            hint={`${mode === 'edit' ? 'Leave empty to keep the current password. ' : ''}${PASSWORD_HINT}`}
          />
        </>
      )}
    </RecordForm>
  );
}
