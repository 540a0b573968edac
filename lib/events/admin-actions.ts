// admin_action and action_error for the admin server actions: which kind of
// record changed and how, or the type of the error that stopped the change.
// Never which record, never a name, an email, a value or an error message.
// The events are queued after the change has committed (or failed), without
// waiting: the action's answer is not delayed.
import 'server-only';
import type { RecordKind, RecordVerb } from './catalog';
import { trackEvent } from './runtime';

/** The error's class name ("NotFoundError", "PrismaClientKnownRequestError"), never its message. */
export function errorTypeOf(error: unknown): string {
  const isClassName = (name: unknown): name is string =>
    typeof name === 'string' && /^[A-Z][A-Za-z0-9]{0,63}$/.test(name);
  const err = error as { name?: unknown; constructor?: { name?: unknown } } | null;
  if (isClassName(err?.name) && err.name !== 'Error') return err.name;
  if (isClassName(err?.constructor?.name)) return err.constructor.name;
  return 'Error';
}

/** Runs one admin change and records its kind and verb, or the type of its error (then rethrows it). */
export async function trackedChange<T>(record: RecordKind, verb: RecordVerb, change: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await change();
  } catch (error) {
    trackEvent('action_error', { record, error_type: errorTypeOf(error) });
    throw error;
  }
  trackEvent('admin_action', { record, verb });
  return result;
}
