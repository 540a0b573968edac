'use client';
import { useActionState } from 'react';
import { ChoiceField, FormError, SelectField } from '@/components/ui/field';
import { Button } from '@/components/ui/button';
import { fieldBinder, type FormState } from '@/lib/form-state';

const ROLE_OPTIONS = [
  { value: 'member', label: 'Member' },
  { value: 'owner', label: 'Owner' },
];

/** Adds a user to the team: a select of users on small platforms, an email box on large ones. */
export function AddMemberForm({
  action,
  users,
}: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  users: Array<{ value: string; label: string }> | null;
}) {
  const [state, formAction, pending] = useActionState(action, { errors: {} });
  const field = fieldBinder(state.errors, state.values);
  return (
    <form
      action={formAction}
      className="grid gap-4 sm:grid-cols-[2fr_1fr_auto] sm:items-start"
      noValidate
      aria-label="Add a member"
    >
      <div className="sm:col-span-3">
        <FormError message={state.errors.form} />
      </div>
      <ChoiceField
        label="User"
        choices={users}
        placeholder="Choose a user"
        textHint="The user's email address"
        {...field('email')}
      />
      <SelectField
        label="Team role"
        options={ROLE_OPTIONS}
        {...field('role')}
        defaultValue={state.values?.role || 'member'}
      />
      <Button type="submit" disabled={pending} className="sm:mt-6">
        {pending ? 'Adding…' : 'Add member'}
      </Button>
    </form>
  );
}
