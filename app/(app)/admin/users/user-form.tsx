'use client';
import { useActionState } from 'react';
import Link from 'next/link';
import { Field, FormError, SelectField } from '@/components/ui/field';
import { Button } from '@/components/ui/button';
import type { FormState } from '@/lib/form-state';

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
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  initial?: Record<string, string>;
  mode: 'create' | 'edit';
  isSelf?: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, { errors: {}, values: initial });
  const e = state.errors;
  const v = state.values ?? {};
  return (
    <form action={formAction} className="max-w-xl space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" noValidate>
      <FormError message={e.form} />
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
      <div className="flex items-center gap-4">
        <Button type="submit" disabled={pending}>{pending ? 'Saving…' : mode === 'create' ? 'Create user' : 'Save changes'}</Button>
        <Link href="/admin/users" className="text-sm text-slate-700 underline">Cancel</Link>
      </div>
    </form>
  );
}
