// Admin Settings: the telemetry pings this platform sent, when the next one is
// due, "Send now" and the download of the last payload. Data comes from
// getTelemetryActivity() (lib/telemetry/activity.ts); no database access here.
import type { TelemetryActivity as Activity, TelemetrySendSummary } from '@/lib/telemetry/activity';
import { SendNowButton } from './send-now-button';
import { formatUtc } from '@/components/ui/utc-time';

export const LAST_PAYLOAD_URL = '/api/admin/telemetry/last-payload';

const TRIGGERS: Record<string, string> = { boot: 'After start', daily: 'Daily', manual: 'Send now' };

function Result({ send }: { send: TelemetrySendSummary }) {
  const tone = send.ok ? 'text-green-700' : send.result === 'in progress' ? 'text-slate-500' : 'text-red-600';
  return <span className={tone}>{send.ok ? `Delivered (${send.result})` : send.result}</span>;
}

export function TelemetryActivity({ activity }: { activity: Activity }) {
  const { setting, next, lastSuccess, recent } = activity;
  return (
    <div className="space-y-4 text-sm" data-testid="telemetry-activity">
      <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium text-slate-600">Last successful ping</dt>
        <dd data-testid="telemetry-last-success">{lastSuccess ? `${formatUtc(lastSuccess.sentAt)} UTC (${TRIGGERS[lastSuccess.trigger] ?? lastSuccess.trigger})` : 'Never'}</dd>
        <dt className="font-medium text-slate-600">Next scheduled ping</dt>
        <dd data-testid="telemetry-next">{next.at ? `${formatUtc(next.at)} UTC · ${next.note}` : next.note}</dd>
      </dl>

      <div className="flex flex-wrap items-center gap-4">
        {setting.enabled ? (
          <SendNowButton />
        ) : (
          <p className="text-slate-500">&ldquo;Send now&rdquo; is available while telemetry is on.</p>
        )}
        {activity.hasSentPayload && (
          <a href={LAST_PAYLOAD_URL} download className="text-blue-700 underline hover:text-blue-900" data-testid="telemetry-download">
            Download the last payload sent (JSON)
          </a>
        )}
      </div>

      <div>
        <h3 className="mb-2 font-medium">Recent pings</h3>
        {recent.length === 0 ? (
          <p className="text-slate-500" data-testid="telemetry-history-empty">No ping has been sent yet.</p>
        ) : (
          // Scrolls on its own on a narrow screen instead of widening the whole page.
          <div className="overflow-x-auto">
            <table className="w-full text-left" data-testid="telemetry-history">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-1 pr-4">Time</th>
                  <th className="py-1 pr-4">Trigger</th>
                  <th className="py-1 pr-4">Result</th>
                  <th className="py-1 pr-4">Duration</th>
                  <th className="py-1">Attempts</th>
                </tr>
              </thead>
              <tbody>
                {recent.map((send) => (
                  <tr key={send.id} className="border-t border-slate-100" data-trigger={send.trigger} data-ok={send.ok}>
                    <td className="py-1 pr-4 font-mono text-xs">{formatUtc(send.sentAt)} UTC</td>
                    <td className="py-1 pr-4">{TRIGGERS[send.trigger] ?? send.trigger}</td>
                    <td className="py-1 pr-4"><Result send={send} /></td>
                    <td className="py-1 pr-4">{send.durationMs === null ? '–' : `${send.durationMs} ms`}</td>
                    <td className="py-1">{send.attempts}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </div>
  );
}
