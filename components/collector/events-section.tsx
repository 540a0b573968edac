// The Events section of /admin/collector: PostHog-format usage events the
// platforms sent (lib/collector/event-stats.ts reads rollups, never the event
// rows). Charts with the same figures in tables beside them.
import type { EventStats, Tally } from '@/lib/collector/event-stats';
import { Card } from '@/components/ui/card';
import { DataTable, insetCell, insetRow, type Column } from '@/components/admin/data-table';
import { ShareTable } from '@/components/admin/share-table';
import { CountChart, EventsPerDayChart } from './event-charts';

const number = new Intl.NumberFormat('en');
const allColumn = { label: 'All', align: 'right' } as const;
const NAME_HEADERS: Column[] = [
  'Event',
  { label: 'Events', align: 'right' },
  { label: 'Instances', align: 'right', title: 'Distinct distinct_id values (CI runs each count once)' },
];

/** The tally cards: title, field of EventStats, test name, label column. */
const TALLIES = [
  ['Most frequent error types', 'errorTypes', 'error-types', 'Error type'],
  ['flowforge commands', 'commands', 'cli-commands', 'Command'],
  ['Admin changes', 'actions', 'admin-actions', 'Record and change'],
  ['Uptime at stop', 'uptimeAtStop', 'uptime', 'Uptime'],
] as const;

function TallyCard({ title, rows, name, heading }: { title: string; rows: Tally[]; name: string; heading: string }) {
  return (
    <Card title={title}>
      <CountChart data={rows} name={name} />
      <div className="mt-4">
        <ShareTable rows={rows} name={name} heading={heading} countLabel="Events" />
      </div>
    </Card>
  );
}

export function EventsSection({ stats }: { stats: EventStats }) {
  const names = stats.names.map((n) => n.event);
  const recent = [...stats.days].reverse();
  const ciShare = stats.ci.outOf ? Math.round((stats.ci.events / stats.ci.outOf) * 100) : null;
  return (
    <section className="mt-10 space-y-6" aria-labelledby="events-heading" data-testid="events-section">
      <div>
        <h2 id="events-heading" className="text-xl font-semibold">
          Events
        </h2>
        <p className="mt-1 text-sm text-slate-600" data-testid="events-window">
          Usage events (PostHog format) received from {stats.windowStart} to today (UTC), counted apart from pings:{' '}
          <span data-testid="events-total">{number.format(stats.total)}</span> events.{' '}
          <span data-testid="events-ci-share">
            {ciShare === null
              ? 'No event said whether it came from CI.'
              : `${ciShare}% came from CI runs (${number.format(stats.ci.events)} of ` +
                `${number.format(stats.ci.outOf)}).`}
          </span>
        </p>
      </div>

      <Card title="Events per day">
        <EventsPerDayChart days={stats.days} names={names} />
        <div className="mt-4 max-h-80 overflow-auto">
          <DataTable
            inset
            testId="table-event-days"
            headers={['Day (UTC)', ...names.map((name) => ({ label: name, align: 'right' as const })), allColumn]}
          >
            {recent.map((day) => (
              <tr key={day.day} className={insetRow} data-day={day.day}>
                <td className={insetCell()}>{day.day}</td>
                {names.map((name) => (
                  <td key={name} className={insetCell(true)} data-event={name}>
                    {number.format(day.counts[name] ?? 0)}
                  </td>
                ))}
                <td className={insetCell(true)}>{number.format(day.total)}</td>
              </tr>
            ))}
          </DataTable>
        </div>
      </Card>

      <Card title="Events by name">
        <DataTable inset testId="table-event-names" headers={NAME_HEADERS}>
          {stats.names.map((row) => (
            <tr key={row.event} className={insetRow} data-event={row.event}>
              <td className={`${insetCell()} break-all`}>{row.event}</td>
              <td className={insetCell(true)}>{number.format(row.count)}</td>
              <td className={insetCell(true)}>{number.format(row.instances)}</td>
            </tr>
          ))}
        </DataTable>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        {TALLIES.map(([title, key, name, heading]) => (
          <TallyCard key={name} title={title} rows={stats[key]} name={name} heading={heading} />
        ))}
      </div>
    </section>
  );
}
