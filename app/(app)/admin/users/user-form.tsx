'use client';
import { Field, SelectField } from '@/components/ui/field';
import { RecordForm, type RecordFormAction } from '@/components/admin/record-form';

const ROLE_OPTIONS = [
  { value: 'member', label: 'Member' },
  { value: 'admin', label: 'Admin' },
];

export function UserForm({
  action,
  initial,
  mode,
  isSelf = false,
}: {
  action: RecordFormAction;
  initial?: Record<string, string>;
  mode: 'create' | 'edit';
  isSelf?: boolean;
}) {
  return (
    <RecordForm action={action} initial={initial} submitLabel={mode === 'create' ? 'Create user' : 'Save changes'} cancelHref="/admin/users">
      {({ errors: e, values: v }) => (
        <>
          <Field label="Email" name="email" type="email" autoComplete="off" defaultValue={v.email} error={e.email} required />
          <Field label="Name" name="name" autoComplete="off" defaultValue={v.name} error={e.name} required />
          <SelectField
            label="Role"
            name="role"
            options={ROLE_OPTIONS}
            defaultValue={v.role || 'member'}
            error={e.role}
            hint={isSelf ? 'This is your own account: you cannot remove your own admin role.' : 'Admins can manage users, teams, projects and settings.'}
          />
          <Field
            label={mode === 'create' ? 'Password' : 'New password'}
            name="password"
            type="password"
            autoComplete="new-password"
            error={e.password}
            hint={`${mode === 'edit' ? 'Leave empty to keep the current password. ' : ''}At least 10 characters, mixing three of: lower case, upper case, digits, symbols`}
          />
        </>
      )}
    </RecordForm>
  );
}
