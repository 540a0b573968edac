import { requireAdmin } from '@/lib/session';
import { telemetryLockHint } from '@/lib/data/telemetry-setting';
import { buildTelemetryPayload } from '@/lib/telemetry/payload';
import { getTelemetryActivity } from '@/lib/telemetry/activity';
import { getEventsOverview } from '@/lib/events/runtime';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/admin/page-header';
import { PayloadPreview } from '@/components/telemetry/what-is-shared';
import { TelemetryActivity } from '@/components/telemetry/telemetry-activity';
import { UsageEvents } from '@/components/telemetry/usage-events';
import { TelemetrySettingForm } from '@/components/admin/telemetry-setting-form';
import { saveTelemetrySetting } from './actions';
import { sendTelemetryNow } from './telemetry-actions';

export const metadata = { title: 'Settings · FlowForge admin' };

export default async function SettingsPage() {
  // The layout checks too, but layout and page render concurrently: never build the payload for a non-admin.
  await requireAdmin();
  const [activity, payload, events] = await Promise.all([
    getTelemetryActivity(),
    buildTelemetryPayload(),
    getEventsOverview(),
  ]);
  const { setting } = activity;
  return (
    <>
      <PageHeader title="Settings" />
      <Card title="Usage statistics (telemetry)">
        <p className="mb-4 text-sm" data-testid="telemetry-status">
          Telemetry is <strong>{setting.enabled ? 'on' : 'off'}</strong>
          {setting.enabled ? ': this platform sends the report below once a day.' : ': nothing is sent.'}
        </p>
        <TelemetrySettingForm save={saveTelemetrySetting} setting={setting} lockHint={telemetryLockHint(setting)} />

        {/* Telemetry job: last successful send, next scheduled time, history, "Send now", last-payload download. */}
        <div className="mt-6 border-t border-slate-200 pt-6">
          <TelemetryActivity activity={activity} sendNow={sendTelemetryNow} />
        </div>

        <div className="mt-6 border-t border-slate-200 pt-6">
          <h3 className="text-sm font-semibold">The next ping</h3>
          <p className="mt-1 text-sm text-slate-600">
            {setting.enabled
              ? 'This is exactly the JSON the next ping will send, with today’s counts.'
              : 'Telemetry is off, so nothing is sent. ' +
                'If it were on, this is exactly the JSON the next ping would send.'}
          </p>
          <PayloadPreview payload={payload} open summary="Payload of the next ping" />
        </div>
      </Card>
      <Card title="Usage events" className="mt-6">
        <UsageEvents overview={events} />
      </Card>
    </>
  );
}
