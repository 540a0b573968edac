import { requireAdmin } from '@/lib/session';
import { buildTelemetryPayload } from '@/lib/telemetry/payload';
import { getTelemetryActivity } from '@/lib/telemetry/activity';
import { Card } from '@/components/ui/card';
import { PayloadPreview } from '@/components/telemetry/what-is-shared';
import { TelemetryActivity } from '@/components/telemetry/telemetry-activity';

export const metadata = { title: 'Settings · FlowForge admin' };

// Minimal settings page (telemetry activity and preview); the settings work adds the toggle.
export default async function SettingsPage() {
  await requireAdmin();
  const [activity, payload] = await Promise.all([getTelemetryActivity(), buildTelemetryPayload()]);
  return (
    <>
      <h1 className="mb-6 text-2xl font-semibold">Settings</h1>
      <Card title="Usage statistics (telemetry)">
        <p className="mb-4 text-sm" data-testid="telemetry-status">
          Telemetry is <strong>{activity.setting.enabled ? 'on' : 'off'}</strong> ({activity.setting.reason}).
        </p>
        <TelemetryActivity activity={activity} />
        <PayloadPreview payload={payload} />
      </Card>
    </>
  );
}
