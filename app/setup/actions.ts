'use server';
// Setup wizard actions. Both re-check that setup is not complete, and
// completeSetup's transaction decides a race: exactly one submission wins.
import { AuthError } from 'next-auth';
import { signIn } from '@/lib/auth';
import { isSetupComplete } from '@/lib/data/settings';
import { getTelemetrySetting } from '@/lib/data/telemetry-setting';
import { completeSetup, SetupAlreadyCompleteError } from '@/lib/data/setup';
import { trackedChange } from '@/lib/events/admin-actions';
import { trackEvent } from '@/lib/events/runtime';
import { adminAccountSchema, fieldErrors, setupSchema } from '@/lib/validation';
import type { SetupState } from '@/lib/form-state';

const alreadyDone: SetupState = { ok: false, errors: { form: new SetupAlreadyCompleteError().message } };

function accountFields(form: FormData) {
  return {
    email: String(form.get('email') ?? ''),
    name: String(form.get('name') ?? ''),
    password: String(form.get('password') ?? ''),
    confirmPassword: String(form.get('confirmPassword') ?? ''),
  };
}

/** Step 1: checks the admin account fields without saving anything. */
export async function validateAdminAccount(_prev: SetupState, form: FormData): Promise<SetupState> {
  if (await isSetupComplete()) return alreadyDone;
  const fields = accountFields(form);
  const parsed = adminAccountSchema.safeParse(fields);
  const values = { email: fields.email, name: fields.name };
  return parsed.success ? { ok: true, errors: {}, values } : { ok: false, errors: fieldErrors(parsed.error), values };
}

/**
 * Last step: creates the admin, stores the telemetry choice, signs the admin in. Usage events
 * (admin_action): a user created and, when the wizard stored the choice, a setting updated. Both
 * are checked against the setting as it is after the commit: an admin who unticked telemetry sends neither.
 */
export async function finishSetup(_prev: SetupState, form: FormData): Promise<SetupState> {
  if (await isSetupComplete()) return alreadyDone;
  const parsed = setupSchema.safeParse({ ...accountFields(form), telemetry: form.get('telemetry') === 'on' });
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  // When flowforge.yml or the environment decides, the wizard stores no choice of its own.
  const { locked } = await getTelemetrySetting();
  try {
    await trackedChange('user', 'created', () =>
      completeSetup({ ...parsed.data, telemetry: locked ? null : parsed.data.telemetry }),
    );
    if (!locked) trackEvent('admin_action', { record: 'setting', verb: 'updated' });
  } catch (error) {
    if (error instanceof SetupAlreadyCompleteError) return alreadyDone;
    console.error('setup failed', error);
    return { ok: false, errors: { form: 'Setup could not be saved. Check the server log; nothing was changed.' } };
  }
  try {
    await signIn('credentials', { email: parsed.data.email, password: parsed.data.password, redirectTo: '/admin' });
  } catch (error) {
    if (error instanceof AuthError) return { ok: true, errors: { form: 'Setup is complete. Sign in to continue.' } };
    throw error; // the redirect to /admin
  }
  return { ok: true, errors: {} };
}
