// What admin form actions return: field errors to show beside the inputs and
// the values that were typed, so a rejected form loses nothing.
import { FieldError, NotFoundError } from './data/errors';
import type { FieldErrors } from './validation';

export interface FormState {
  errors: FieldErrors;
  values?: Record<string, string>;
}

/** Admin Settings' telemetry toggle (app/(app)/admin/settings/actions.ts). */
export interface TelemetryFormState {
  ok: boolean;
  message?: string;
  errors: FieldErrors;
  values?: { enabled: boolean };
}

/** "Send now" on Admin Settings (app/(app)/admin/settings/telemetry-actions.ts). */
export interface SendNowState {
  ok?: boolean;
  message?: string;
}

/** Both steps of the setup wizard (app/setup/actions.ts). */
export interface SetupState {
  ok: boolean;
  errors: FieldErrors;
  /** What was typed (never the passwords), so a rejected form keeps it. */
  values?: { email: string; name: string };
}

/** A server action as useActionState calls it; pages pass them to client components as props. */
export type FormAction<State> = (prev: State, form: FormData) => Promise<State>;

/** The named fields as strings (missing ones as ''); never pass password fields back. */
export function formStrings<K extends string>(form: FormData, keys: readonly K[]): Record<K, string> {
  return Object.fromEntries(keys.map((key) => [key, String(form.get(key) ?? '')])) as Record<K, string>;
}

/** Turns a data-layer error into a form state; anything unexpected is logged and reported generically. */
export function failedForm(error: unknown, values: Record<string, string>): FormState {
  if (error instanceof FieldError) return { errors: { [error.field]: error.message }, values };
  if (error instanceof NotFoundError)
    return { errors: { form: `${error.message}: it may have been deleted meanwhile.` }, values };
  console.error('[flowforge] admin form failed', error);
  return { errors: { form: 'The change could not be saved. Check the server log; nothing was changed.' }, values };
}

/** The props that bind one field to the form state: its name, the value typed before a refusal, its error. */
export function fieldBinder(errors: FieldErrors, values: Record<string, string> = {}) {
  return (name: string) => ({ name, defaultValue: values[name], error: errors[name] });
}
