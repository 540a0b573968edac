'use client';
import { useActionState } from 'react';
import Link from 'next/link';
import { Field, FormError } from '@/components/ui/field';
import { Button } from '@/components/ui/button';
import type { FormState } from '@/lib/form-state';

export function TeamForm({
  action,
  initial,
  mode,
}: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  initial?: Record<string, string>;
  mode: 'create' | 'edit';
}) {
  const [state, formAction, pending] = useActionState(action, { errors: {}, values: initial });
  const e = state.errors;
  const v = state.values ?? {};
  return (
    <form action={formAction} className="max-w-xl space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm" noValidate>
      <FormError message={e.form} />
      <Field label="Team name" name="name" autoComplete="off" defaultValue={v.name} error={e.name} required />
      <Field label="Slug" name="slug" autoComplete="off" defaultValue={v.slug} error={e.slug} hint="Short unique id, e.g. platform-team: lower-case letters, digits and dashes" required />
      <div className="flex items-center gap-4">
        <Button type="submit" disabled={pending}>{pending ? 'Saving…' : mode === 'create' ? 'Create team' : 'Save team'}</Button>
        {mode === 'create' && <Link href="/admin/teams" className="text-sm text-slate-700 underline">Cancel</Link>}
      </div>
    </form>
  );
}
