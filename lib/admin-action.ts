// The one shape of the users/teams/projects server actions. Each checks the admin
// role itself (the layout's check does not protect a direct POST), runs its change
// through trackedChange (the admin_action or action_error usage event), and once the
// change went through revalidates the admin pages and redirects; a rejected form
// returns its errors with what was typed (never a password).
import 'server-only';
import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import type { z } from 'zod';
import { requireAdmin } from '@/lib/session';
import type { SessionUser } from '@/lib/data/sessions';
import { trackedChange } from '@/lib/events/admin-actions';
import type { RecordKind, RecordVerb } from '@/lib/events/catalog';
import { NotFoundError } from '@/lib/data/errors';
import { fieldErrors, type FieldErrors } from '@/lib/validation';
import { failedForm, formStrings, type FormState } from '@/lib/form-state';

/** Which record changed and how, as the usage event names it. */
export type Tracked = readonly [RecordKind, RecordVerb];

/**
 * A form submit: parses `fields` (and the password field when `password`) with `schema`,
 * lets `refuse` answer with field errors, runs `change` and redirects to `done`.
 */
export async function submitRecordForm<K extends string, T, R>(
  form: FormData,
  spec: {
    fields: readonly K[];
    password?: boolean;
    schema: z.ZodType<T>;
    track: Tracked;
    refuse?: (admin: SessionUser, data: T) => FieldErrors | null;
    change: (data: T, adminEmail: string) => Promise<R>;
    /** Where to go after the change: a path, or one made from the change's result. */
    done: string | ((result: R) => string);
  },
): Promise<FormState> {
  const admin = await requireAdmin();
  const values = formStrings(form, spec.fields);
  const input = spec.password ? { ...values, password: String(form.get('password') ?? '') } : values;
  const parsed = spec.schema.safeParse(input);
  if (!parsed.success) return { errors: fieldErrors(parsed.error), values };
  const refused = spec.refuse?.(admin, parsed.data);
  if (refused) return { errors: refused, values };
  let result: R;
  try {
    result = await trackedChange(...spec.track, () => spec.change(parsed.data, admin.email));
  } catch (error) {
    return failedForm(error, values);
  }
  revalidatePath('/admin', 'layout');
  redirect(typeof spec.done === 'string' ? spec.done : spec.done(result));
}

/**
 * A removal by a button (a record, a membership): a record already gone counts as removed.
 * `refuse` may send an admin who may not make it elsewhere first (untracked).
 */
export async function removeRecord(spec: {
  track: Tracked;
  refuse?: (admin: SessionUser) => string | null;
  change: (adminEmail: string) => Promise<unknown>;
  done: string;
}): Promise<void> {
  const admin = await requireAdmin();
  const refused = spec.refuse?.(admin);
  if (refused) redirect(refused);
  try {
    await trackedChange(...spec.track, () => spec.change(admin.email));
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  revalidatePath('/admin', 'layout');
  redirect(spec.done);
}
