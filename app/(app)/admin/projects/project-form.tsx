'use client';
import { useActionState } from 'react';
import Link from 'next/link';
import { ChoiceField, Field, FormError } from '@/components/ui/field';
import { Button } from '@/components/ui/button';
import type { FormState } from '@/lib/form-state';

export function ProjectForm({
  action,
  initial,
  mode,
  teams,
}: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  initial?: Record<string, string>;
  mode: 'create' | 'edit';
  /** Team choices, or null when there are too many for a select (then the slug is typed). */
  teams: Array<{ value: string; label: string }> | null;
}) {
  const [state, formAction, pending] = useActionState(action, { errors: {}, values: initial });
  const e = state.errors;
  const v = state.values ?? {};
  return (
    <form action={formAction} className="max-w-xl space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" noValidate>
      <FormError message={e.form} />
      <Field label="Project name" name="name" autoComplete="off" defaultValue={v.name} error={e.name} required />
      <ChoiceField label="Team" name="team" choices={teams} placeholder="Choose a team" defaultValue={v.team} error={e.team} textHint="The team's slug" />
      {teams?.length === 0 && (
        <p className="text-sm text-slate-600">
          There are no teams yet. <Link href="/admin/teams/new" className="text-blue-700 underline">Create a team</Link> first.
        </p>
      )}
      <div className="flex items-center gap-4">
        <Button type="submit" disabled={pending}>{pending ? 'Saving…' : mode === 'create' ? 'Create project' : 'Save changes'}</Button>
        <Link href="/admin/projects" className="text-sm text-slate-700 underline">Cancel</Link>
      </div>
    </form>
  );
}
