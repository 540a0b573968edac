import { notFound } from 'next/navigation';
import { isSetupComplete } from '@/lib/data/settings';
import { getTelemetrySetting, telemetryLockHint } from '@/lib/data/telemetry-setting';
import { buildTelemetryPayload } from '@/lib/telemetry/payload';
import { payloadAfterSetup } from '@/lib/telemetry/preview';
import { SetupWizard } from '@/components/setup/setup-wizard';

export const metadata = { title: 'Set up FlowForge' };

export default async function SetupPage() {
  // Once the first admin exists the wizard is gone for good.
  if (await isSetupComplete()) notFound();
  const [payload, telemetry] = await Promise.all([buildTelemetryPayload(), getTelemetrySetting()]);
  return (
    <main className="mx-auto max-w-xl px-4 py-12">
      <h1 className="text-2xl font-semibold">Welcome to FlowForge</h1>
      <p className="mt-1 text-slate-600">Two short steps and your platform is ready.</p>
      <SetupWizard preview={payloadAfterSetup(payload)} telemetry={telemetry} lockHint={telemetryLockHint(telemetry)} />
    </main>
  );
}
