'use client';
// Two steps on one page: the admin account (validated on the server before
// moving on), then Options with the telemetry choice. Values typed in step 1
// are kept in hidden inputs so the final submit carries everything at once.
import { useActionState, useState } from 'react';
import { finishSetup, validateAdminAccount, type SetupState } from '@/app/setup/actions';
import { Field, FormError } from '@/components/ui/field';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { PayloadPreview, WhatIsShared } from '@/components/telemetry/what-is-shared';
import { TelemetryCheckbox } from '@/components/telemetry/telemetry-checkbox';
import type { TelemetrySetting } from '@/lib/telemetry/setting';

const initial: SetupState = { ok: false, errors: {} };
type Account = { email: string; name: string; password: string; confirmPassword: string };

export function SetupWizard({ preview, telemetry, lockHint }: { preview: unknown; telemetry: TelemetrySetting; lockHint?: string }) {
  const [account, setAccount] = useState<Account | null>(null);
  const [accountState, checkAccount, checking] = useActionState(async (prev: SetupState, form: FormData) => {
    const state = await validateAdminAccount(prev, form);
    if (state.ok) setAccount(Object.fromEntries(['email', 'name', 'password', 'confirmPassword'].map((k) => [k, String(form.get(k))])) as Account);
    return state;
  }, initial);
  const [finishState, finish, finishing] = useActionState(finishSetup, initial);

  if (!account) {
    const e = accountState.errors;
    return (
      <Card title="Step 1 of 2: create the administrator" className="mt-6">
        <form action={checkAccount} className="space-y-4" noValidate>
          <FormError message={e.form} />
          <Field label="Email" name="email" type="email" autoComplete="email" error={e.email} defaultValue={accountState.values?.email} required />
          <Field label="Name" name="name" autoComplete="name" error={e.name} defaultValue={accountState.values?.name} required />
          <Field label="Password" name="password" type="password" autoComplete="new-password" error={e.password} hint="At least 10 characters, mixing three of: lower case, upper case, digits, symbols" required />
          <Field label="Confirm password" name="confirmPassword" type="password" autoComplete="new-password" error={e.confirmPassword} required />
          <Button type="submit" disabled={checking}>{checking ? 'Checking…' : 'Next'}</Button>
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
        <div className="flex gap-3">
          <Button type="button" variant="secondary" onClick={() => setAccount(null)} disabled={finishing}>Back</Button>
          <Button type="submit" disabled={finishing}>{finishing ? 'Finishing…' : 'Finish setup'}</Button>
        </div>
      </form>
    </Card>
  );
}
