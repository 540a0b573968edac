'use client';
// The frame every admin record form shares (users, teams, projects): the action
// state, the form-level error, and Save/Cancel. The fields come from the caller
// with the errors and the values to show (what was typed, after a refusal).
import { useActionState, type ReactNode } from 'react';
import Link from 'next/link';
import { FormError } from '@/components/ui/field';
import { Button } from '@/components/ui/button';
import { fieldBinder, type FormState } from '@/lib/form-state';

export type RecordFormAction = (prev: FormState, form: FormData) => Promise<FormState>;

/** What the pages give every record form: its action, the values to start from, create or edit. */
export interface RecordFormProps {
  action: RecordFormAction;
  initial?: Record<string, string>;
  mode: 'create' | 'edit';
}

export function RecordForm({
  action,
  initial,
  submitLabel,
  cancelHref,
  children,
}: {
  action: RecordFormAction;
  initial?: Record<string, string>;
  submitLabel: string;
  /** Where Cancel leads; no Cancel link when absent. */
  cancelHref?: string;
  /** `field(name)` gives a field its name, the value typed before a refusal and its error. */
  children: (state: { field: ReturnType<typeof fieldBinder>; values: Record<string, string> }) => ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, { errors: {}, values: initial });
  return (
    <form
      action={formAction}
      className="max-w-xl space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
      noValidate
    >
      <FormError message={state.errors.form} />
      {children({ field: fieldBinder(state.errors, state.values), values: state.values ?? {} })}
      <div className="flex items-center gap-4">
        <Button type="submit" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </Button>
        {cancelHref && (
          <Link href={cancelHref} className="text-sm text-slate-700 underline">
            Cancel
          </Link>
        )}
      </div>
    </form>
  );
}
