import { notFound } from 'next/navigation';
import { isSetupComplete } from '@/lib/data/settings';
import { buildTelemetryPayload } from '@/lib/telemetry/payload';
import { SetupWizard } from '@/components/setup/setup-wizard';

export const metadata = { title: 'Set up FlowForge' };

export default async function SetupPage() {
  // Once the first admin exists the wizard is gone for good.
  if (await isSetupComplete()) notFound();
  const preview = await buildTelemetryPayload();
  return (
    <main className="mx-auto max-w-xl px-4 py-12">
      <h1 className="text-2xl font-semibold">Welcome to FlowForge</h1>
      <p className="mt-1 text-slate-600">Two short steps and your platform is ready.</p>
      <SetupWizard preview={preview} />
    </main>
  );
}
