import { notFound } from 'next/navigation';
import { isSetupComplete } from '@/lib/data/settings';
import { getTelemetrySetting, telemetryLockHint } from '@/lib/data/telemetry-setting';
import { buildTelemetryPayload } from '@/lib/telemetry/payload';
import { payloadAfterSetup } from '@/lib/telemetry/preview';
import { getEventsOverview } from '@/lib/events/runtime';
import { SetupWizard } from '@/components/setup/setup-wizard';
import { finishSetup, validateAdminAccount } from './actions';

export const metadata = { title: 'Set up FlowForge' };

export default async function SetupPage() {
  // Once the first admin exists the wizard is gone for good.
  if (await isSetupComplete()) notFound();
  const [payload, telemetry, events] = await Promise.all([
    buildTelemetryPayload(),
    getTelemetrySetting(),
    getEventsOverview(),
  ]);
  return (
    <main className="mx-auto max-w-xl px-4 py-12">
      <h1 className="text-2xl font-semibold">Welcome to FlowForge</h1>
      <p className="mt-1 text-slate-600">Two short steps and your platform is ready.</p>
      <SetupWizard
        validateAdminAccount={validateAdminAccount}
        finishSetup={finishSetup}
        preview={payloadAfterSetup(payload)}
        events={events.examples}
        telemetry={telemetry}
        lockHint={telemetryLockHint(telemetry)}
      />
    </main>
  );
}
