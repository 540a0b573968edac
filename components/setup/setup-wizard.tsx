'use client';
// Two steps on one page: the admin account (validated on the server before
// moving on), then Options with the telemetry choice. Values typed in step 1
// are kept in hidden inputs so the final submit carries everything at once.
import { useActionState, useState } from 'react';
import { Field, FormError } from '@/components/ui/field';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EventsPreview, PayloadPreview, WhatIsShared } from '@/components/telemetry/what-is-shared';
import { TelemetryCheckbox } from '@/components/telemetry/telemetry-checkbox';
import type { FormAction, SetupState } from '@/lib/form-state';
import type { TelemetrySetting } from '@/lib/telemetry/setting';
import { PASSWORD_HINT } from '@/lib/password-rule';

const initial: SetupState = { ok: false, errors: {} };
type Account = { email: string; name: string; password: string; confirmPassword: string };

/** Step 1's fields, in order; `keep` names what a rejected step shows again (never a password). */
const ACCOUNT_FIELDS: Array<{
  label: string;
  name: keyof Account;
  type?: string;
  autoComplete: string;
  hint?: string;
  keep?: 'email' | 'name';
}> = [
  { label: 'Email', name: 'email', type: 'email', autoComplete: 'email', keep: 'email' },
  { label: 'Name', name: 'name', autoComplete: 'name', keep: 'name' },
  { label: 'Password', name: 'password', type: 'password', autoComplete: 'new-password', hint: PASSWORD_HINT },
  { label: 'Confirm password', name: 'confirmPassword', type: 'password', autoComplete: 'new-password' },
];

export function SetupWizard({
  validateAdminAccount,
  finishSetup,
  preview,
  events,
  telemetry,
  lockHint,
}: {
  /** Step 1's server action: checks the account fields, saves nothing. */
  validateAdminAccount: FormAction<SetupState>;
  /** The last step's server action: creates the admin and stores the telemetry choice. */
  finishSetup: FormAction<SetupState>;
  preview: unknown;
  /** Every usage event with its example (lib/events/runtime.ts getEventsOverview). */
  events: Array<{ event: string; wire: unknown }>;
  telemetry: TelemetrySetting;
  lockHint?: string;
}) {
  const [account, setAccount] = useState<Account | null>(null);
  const [accountState, checkAccount, checking] = useActionState(async (prev: SetupState, form: FormData) => {
    const state = await validateAdminAccount(prev, form);
    if (state.ok)
      setAccount(Object.fromEntries(ACCOUNT_FIELDS.map(({ name }) => [name, String(form.get(name))])) as Account);
    return state;
  }, initial);
  const [finishState, finish, finishing] = useActionState(finishSetup, initial);

  if (!account) {
    const e = accountState.errors;
    return (
      <Card title="Step 1 of 2: create the administrator" className="mt-6">
        <form action={checkAccount} className="space-y-4" noValidate>
          <FormError message={e.form} />
          {ACCOUNT_FIELDS.map(({ keep, ...field }) => (
            <Field
              key={field.name}
              {...field}
              error={e[field.name]}
              defaultValue={keep ? accountState.values?.[keep] : undefined}
              required
            />
          ))}
          <Button type="submit" disabled={checking}>
            {checking ? 'Checking…' : 'Next'}
          </Button>
        </form>
      </Card>
    );
  }

  return (
    <Card title="Step 2 of 2: options" className="mt-6">
      <form action={finish} className="space-y-4">
        <FormError message={finishState.errors.form ?? Object.values(finishState.errors)[0]} />
        {Object.entries(account).map(([key, value]) => (
          <input key={key} type="hidden" name={key} value={value} />
        ))}
        <TelemetryCheckbox setting={telemetry} lockHint={lockHint}>
          <WhatIsShared />
        </TelemetryCheckbox>
        <PayloadPreview payload={preview} />
        <EventsPreview events={events} />
        <div className="flex gap-3">
          <Button type="button" variant="secondary" onClick={() => setAccount(null)} disabled={finishing}>
            Back
          </Button>
          <Button type="submit" disabled={finishing}>
            {finishing ? 'Finishing…' : 'Finish setup'}
          </Button>
        </div>
      </form>
    </Card>
  );
}
