'use server';
// Setup wizard actions. Both re-check that setup is not complete, and
// completeSetup's transaction decides a race: exactly one submission wins.
import { AuthError } from 'next-auth';
import { signIn } from '@/lib/auth';
import { isSetupComplete } from '@/lib/data/settings';
import { getTelemetrySetting } from '@/lib/data/telemetry-setting';
import { completeSetup, SetupAlreadyCompleteError } from '@/lib/data/setup';
import { adminAccountSchema, fieldErrors, setupSchema, type FieldErrors } from '@/lib/validation';

export interface SetupState {
  ok: boolean;
  errors: FieldErrors;
  /** What was typed (never the passwords), so a rejected form keeps it. */
  values?: { email: string; name: string };
}

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

/** Last step: creates the admin, stores the telemetry choice, signs the admin in. */
export async function finishSetup(_prev: SetupState, form: FormData): Promise<SetupState> {
  if (await isSetupComplete()) return alreadyDone;
  const parsed = setupSchema.safeParse({ ...accountFields(form), telemetry: form.get('telemetry') === 'on' });
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  // When flowforge.yml or the environment decides, the wizard stores no choice of its own.
  const { locked } = await getTelemetrySetting();
  try {
    await completeSetup({ ...parsed.data, telemetry: locked ? null : parsed.data.telemetry });
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
