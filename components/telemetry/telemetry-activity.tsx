// Admin Settings: the telemetry pings this platform sent, when the next one is
// due, "Send now" and the download of the last payload. Data comes from
// getTelemetryActivity() (lib/telemetry/activity.ts); no database access here.
import type { TelemetryActivity as Activity, TelemetrySendSummary } from '@/lib/telemetry/activity';
import type { FormAction, SendNowState } from '@/lib/form-state';
import { SendNowButton } from './send-now-button';
import { formatUtc } from '@/components/ui/utc-time';
import { DataTable, insetCell, insetRow } from '@/components/admin/data-table';

export const LAST_PAYLOAD_URL = '/api/admin/telemetry/last-payload';

const TRIGGERS: Record<string, string> = { boot: 'After start', daily: 'Daily', manual: 'Send now' };

function Result({ send }: { send: TelemetrySendSummary }) {
  const tone = send.ok ? 'text-green-700' : send.result === 'in progress' ? 'text-slate-500' : 'text-red-600';
  return <span className={tone}>{send.ok ? `Delivered (${send.result})` : send.result}</span>;
}

export function TelemetryActivity({ activity, sendNow }: { activity: Activity; sendNow: FormAction<SendNowState> }) {
  const { setting, next, lastSuccess, recent } = activity;
  return (
    <div className="space-y-4 text-sm" data-testid="telemetry-activity">
      <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium text-slate-600">Last successful ping</dt>
        <dd data-testid="telemetry-last-success">
          {lastSuccess
            ? `${formatUtc(lastSuccess.sentAt)} UTC (${TRIGGERS[lastSuccess.trigger] ?? lastSuccess.trigger})`
            : 'Never'}
        </dd>
        <dt className="font-medium text-slate-600">Next scheduled ping</dt>
        <dd data-testid="telemetry-next">{next.at ? `${formatUtc(next.at)} UTC · ${next.note}` : next.note}</dd>
      </dl>

      <div className="flex flex-wrap items-center gap-4">
        {setting.enabled ? (
          <SendNowButton sendNow={sendNow} />
        ) : (
          <p className="text-slate-500">&ldquo;Send now&rdquo; is available while telemetry is on.</p>
        )}
        {activity.hasSentPayload && (
          <a
            href={LAST_PAYLOAD_URL}
            download
            className="text-blue-700 underline hover:text-blue-900"
            data-testid="telemetry-download"
          >
            Download the last payload sent (JSON)
          </a>
        )}
      </div>

      <div>
        <h3 className="mb-2 font-medium">Recent pings</h3>
        {recent.length === 0 ? (
          <p className="text-slate-500" data-testid="telemetry-history-empty">
            No ping has been sent yet.
          </p>
        ) : (
          <DataTable inset testId="telemetry-history" headers={['Time', 'Trigger', 'Result', 'Duration', 'Attempts']}>
            {recent.map((send) => (
              <tr key={send.id} className={insetRow} data-trigger={send.trigger} data-ok={send.ok}>
                <td className={`${insetCell()} font-mono text-xs`}>{formatUtc(send.sentAt)} UTC</td>
                <td className={insetCell()}>{TRIGGERS[send.trigger] ?? send.trigger}</td>
                <td className={insetCell()}>
                  <Result send={send} />
                </td>
                <td className={insetCell()}>{send.durationMs === null ? '–' : `${send.durationMs} ms`}</td>
                <td className={insetCell()}>{send.attempts}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </div>
    </div>
  );
}
