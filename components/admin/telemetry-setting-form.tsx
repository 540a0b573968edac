'use client';
// The telemetry toggle of Admin Settings. A locked setting renders disabled
// with its reason; the server refuses the change anyway if a crafted request
// sends one.
import { useActionState } from 'react';
import { TelemetryCheckbox } from '@/components/telemetry/telemetry-checkbox';
import { WhatIsShared } from '@/components/telemetry/what-is-shared';
import { FormError } from '@/components/ui/field';
import { Button } from '@/components/ui/button';
import type { FormAction, TelemetryFormState } from '@/lib/form-state';
import type { TelemetrySetting } from '@/lib/telemetry/setting';

const initial: TelemetryFormState = { ok: false, errors: {} };

export function TelemetrySettingForm({
  save,
  setting,
  lockHint,
}: {
  /** The server action that saves the setting (saveTelemetrySetting). */
  save: FormAction<TelemetryFormState>;
  setting: TelemetrySetting;
  lockHint?: string;
}) {
  const [state, action, pending] = useActionState(save, initial);
  return (
    // Re-mounted when the saved value changes, so the checkbox shows what is in force.
    <form
      key={`${setting.source}-${setting.enabled}`}
      action={action}
      className="space-y-4"
      data-testid="telemetry-form"
    >
      <FormError message={state.errors.form ?? state.errors.telemetry} />
      {state.ok && state.message && (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">
          {state.message}
        </p>
      )}
      <TelemetryCheckbox setting={setting} lockHint={lockHint} showReason>
        <WhatIsShared />
      </TelemetryCheckbox>
      <Button type="submit" disabled={setting.locked || pending}>
        {pending ? 'Saving…' : 'Save'}
      </Button>
    </form>
  );
}
