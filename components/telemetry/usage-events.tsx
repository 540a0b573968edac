// Admin Settings: usage events. Whether they are on and why, where they go,
// how many this server process sent, dropped, failed and withheld since it started, and
// every event type with an example built by the code that sends it (the
// instance id and common properties are this platform's own; uuid and
// timestamp are made when an event is queued). Data comes from
// getEventsOverview() (lib/events/runtime.ts); no database access here.
import { EVENT_DESCRIPTIONS } from '@/lib/events/catalog';
import type { EventsOverview } from '@/lib/events/runtime';

const HOST_FROM: Record<EventsOverview['hostFrom'], string> = {
  env: 'FLOWFORGE_POSTHOG_HOST',
  file: 'telemetry.events.host in flowforge.yml',
  'telemetry.url': 'the collector of telemetry.url',
};

export function UsageEvents({ overview }: { overview: EventsOverview }) {
  const { setting, counters } = overview;
  return (
    <div className="space-y-4 text-sm" data-testid="usage-events">
      <p data-testid="events-status">
        Usage events are <strong>{setting.enabled ? 'on' : 'off'}</strong>: {setting.reason}.{' '}
        {setting.enabled
          ? 'The events below are sent in batches, at most every 10 seconds.'
          : 'None is sent; the examples show what would be.'}
      </p>
      <dl className="grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium text-slate-600">Sent to</dt>
        <dd className="break-all">
          <code>{overview.host}</code> <span className="text-slate-500">({HOST_FROM[overview.hostFrom]})</span>
        </dd>
        <dt className="font-medium text-slate-600">Since this server started</dt>
        <dd data-testid="events-counters">
          <span data-testid="events-sent">{counters.sent}</span> sent ·{' '}
          <span data-testid="events-dropped">{counters.dropped}</span> dropped (queue full) ·{' '}
          <span data-testid="events-failed">{counters.failed}</span> failed ·{' '}
          <span data-testid="events-withheld">{counters.withheld}</span> withheld (telemetry turned off before they went
          out) · <span data-testid="events-queued">{counters.queued}</span> waiting
          {counters.lastError && <span className="text-red-600"> · last error: {counters.lastError}</span>}
        </dd>
      </dl>
      <div>
        <h3 className="mb-2 font-medium">Every event, with an example of exactly what it sends</h3>
        <ul className="space-y-2" data-testid="events-catalog">
          {overview.examples.map(({ event, wire }) => (
            <li key={event} data-event={event}>
              <details className="rounded-md border border-slate-200 bg-slate-50">
                <summary className="cursor-pointer px-3 py-2">
                  <code className="font-medium">{event}</code>{' '}
                  <span className="text-slate-600">{EVENT_DESCRIPTIONS[event]}</span>
                </summary>
                <pre className="overflow-x-auto px-3 pb-3 font-mono text-xs" data-testid={`event-example-${event}`}>
                  {JSON.stringify(wire, null, 2)}
                </pre>
              </details>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
