// What admin form actions return: field errors to show beside the inputs and
// the values that were typed, so a rejected form loses nothing.
import { FieldError, NotFoundError } from './data/errors';
import type { FieldErrors } from './validation';

export interface FormState {
  errors: FieldErrors;
  values?: Record<string, string>;
}

export const emptyForm: FormState = { errors: {} };

/** The named fields as strings (missing ones as ''); never pass password fields back. */
export function formStrings<K extends string>(form: FormData, keys: readonly K[]): Record<K, string> {
  return Object.fromEntries(keys.map((key) => [key, String(form.get(key) ?? '')])) as Record<K, string>;
}

/** Turns a data-layer error into a form state; anything unexpected is logged and reported generically. */
export function failedForm(error: unknown, values: Record<string, string>): FormState {
  if (error instanceof FieldError) return { errors: { [error.field]: error.message }, values };
  if (error instanceof NotFoundError) return { errors: { form: `${error.message}: it may have been deleted meanwhile.` }, values };
  console.error('[flowforge] admin form failed', error);
  return { errors: { form: 'The change could not be saved. Check the server log; nothing was changed.' }, values };
}
