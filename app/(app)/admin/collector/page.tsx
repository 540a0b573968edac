import { requireAdmin } from '@/lib/session';
import { getConfig } from '@/lib/config';
import { getCollectorStats, DISTRIBUTION_DAYS, type ExtraMetricRow, type Share } from '@/lib/collector/stats';
import { Card } from '@/components/ui/card';
import { DataTable, insetCell, insetRow, type Column } from '@/components/admin/data-table';
import { PageHeader } from '@/components/admin/page-header';
import { ShareTable } from '@/components/admin/share-table';
import { PingsPerDayChart, ShareChart } from '@/components/collector/charts';
import { EventsSection } from '@/components/collector/events-section';
import { getEventStats } from '@/lib/collector/event-stats';

export const metadata = { title: 'Collector · FlowForge admin' };

const number = new Intl.NumberFormat('en');
const LABELS = { users: 'Users', teams: 'Teams', projects: 'Projects' } as const;

function InstanceTable({ rows, name, heading }: { rows: Share[]; name: string; heading: string }) {
  const counts = rows.map((row) => ({ label: row.label, count: row.instances }));
  return <ShareTable rows={counts} name={name} heading={heading} countLabel="Instances" />;
}

// Large values in a short form (12.3K, 4.5M), the exact figure on hover: sums over many instances grow large.
const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const exact = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

function MetricValue({ value }: { value: number | boolean | string | null }) {
  if (value === null) return <>–</>;
  if (typeof value !== 'number') return <>{String(value)}</>;
  const text = Math.abs(value) >= 10_000 ? compact.format(value) : exact.format(value);
  return <span title={exact.format(value)}>{text}</span>;
}

const METRIC_HEADERS: Column[] = [
  'Metric',
  { label: 'Instances reporting it', align: 'right' },
  { label: 'Sum', align: 'right', title: 'A yes/no metric counts the instances reporting yes' },
  { label: 'Median', align: 'right' },
  { label: 'Latest', align: 'right', title: 'The value of the instance that reported it last' },
];

function ExtraMetricsTable({ rows }: { rows: ExtraMetricRow[] }) {
  if (rows.length === 0)
    return <p className="text-sm text-slate-600">No instance has reported metrics beyond the known fields yet.</p>;
  return (
    <DataTable inset testId="table-extra-metrics" headers={METRIC_HEADERS}>
      {rows.map((row) => (
        <tr key={row.metric} className={insetRow} data-metric={row.metric}>
          <td className={`${insetCell()} font-mono text-xs`}>{row.metric}</td>
          <td className={insetCell(true)}>{number.format(row.instances)}</td>
          <td className={insetCell(true)}>
            <MetricValue value={row.sum} />
          </td>
          <td className={insetCell(true)}>
            <MetricValue value={row.median} />
          </td>
          <td className={insetCell(true)}>
            <MetricValue value={row.latest} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function ShareSection({ title, rows, name, heading }: { title: string; rows: Share[]; name: string; heading: string }) {
  return (
    <Card title={title}>
      <div className="grid gap-6 md:grid-cols-2">
        <ShareChart data={rows} name={name} />
        <InstanceTable rows={rows} name={name} heading={heading} />
      </div>
    </Card>
  );
}

// The collector's picture of the instances that report to it. Reads only rollups (lib/collector/stats.ts).
export default async function CollectorDashboard() {
  await requireAdmin();
  const config = getConfig().collector;
  if (!config.enabled) {
    return (
      <>
        <PageHeader title="Collector" />
        <Card>
          <p>
            This instance does not run a collector. Set <code>collector.enabled: true</code> in flowforge.yml and
            restart to receive pings.
          </p>
        </Card>
      </>
    );
  }
  const [stats, eventStats] = await Promise.all([
    getCollectorStats({ retentionDays: config.retentionDays }),
    getEventStats(),
  ]);
  const recentDays = stats.days.slice(-30).reverse();
  return (
    <>
      <PageHeader title="Collector">
        <p data-testid="collector-window">
          {`Pings are kept for ${config.retentionDays} days (collector.retentionDays): ` +
            `this page covers ${stats.windowStart} to today (UTC)`}
          {stats.oldestPingAt ? `; the oldest stored ping arrived ${stats.oldestPingAt.slice(0, 10)}` : ''}.
          {` Distributions describe the instances seen in the last ${DISTRIBUTION_DAYS} days, ` +
            'each by its latest report. '}
          {number.format(stats.storedPings)} pings stored.
        </p>
      </PageHeader>

      <div className="mb-6 grid gap-4 sm:grid-cols-3">
        {(
          [
            ['Active in the last day', stats.active.day1, 'active-1'],
            ['Active in the last 7 days', stats.active.day7, 'active-7'],
            ['Active in the last 30 days', stats.active.day30, 'active-30'],
          ] as const
        ).map(([label, value, id]) => (
          <div key={id} className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
            <div className="text-sm text-slate-500">{label}</div>
            <div className="mt-1 text-3xl font-semibold tabular-nums" data-testid={id}>
              {number.format(value)}
            </div>
          </div>
        ))}
      </div>

      <div className="space-y-6">
        <Card title="Pings per day">
          <div className="grid gap-6 md:grid-cols-[2fr_1fr]">
            <PingsPerDayChart data={stats.days} />
            <div className="max-h-80 overflow-y-auto">
              <DataTable
                inset
                testId="table-days"
                headers={[
                  'Day (UTC)',
                  { label: 'Pings', align: 'right' },
                  { label: 'Instances', align: 'right' },
                  {
                    label: 'Senders',
                    align: 'right',
                    title: 'Distinct sender addresses, counted without storing them',
                  },
                ]}
              >
                {recentDays.map((day) => (
                  <tr key={day.day} className={insetRow} data-day={day.day}>
                    <td className={insetCell()}>{day.day}</td>
                    <td className={insetCell(true)}>{number.format(day.pings)}</td>
                    <td className={insetCell(true)}>{number.format(day.instances)}</td>
                    <td className={insetCell(true)}>{number.format(day.senders)}</td>
                  </tr>
                ))}
              </DataTable>
              {stats.days.length > 30 && (
                <p className="mt-2 text-xs text-slate-500">
                  The latest 30 days; the chart shows all {stats.days.length}.
                </p>
              )}
            </div>
          </div>
        </Card>

        <ShareSection title="Version adoption" rows={stats.versions} name="versions" heading="FlowForge version" />
        <div className="grid gap-6 lg:grid-cols-2">
          <ShareSection title="Operating system" rows={stats.osTypes} name="os" heading="OS" />
          <ShareSection title="Architecture" rows={stats.arches} name="arch" heading="Architecture" />
          <ShareSection title="Node.js" rows={stats.nodeMajors} name="node" heading="Major version" />
          <ShareSection title="Database driver" rows={stats.drivers} name="drivers" heading="Driver" />
        </div>

        <Card title="Users, teams and projects across instances">
          <dl className="mb-6 grid gap-4 sm:grid-cols-3">
            {(['users', 'teams', 'projects'] as const).map((key) => (
              <div key={key}>
                <dt className="text-sm text-slate-500">{LABELS[key]}, summed</dt>
                <dd className="text-2xl font-semibold tabular-nums" data-testid={`sum-${key}`}>
                  {number.format(stats.totals[key])}
                </dd>
              </div>
            ))}
          </dl>
          <div className="grid gap-6 lg:grid-cols-3">
            {(['users', 'teams', 'projects'] as const).map((key) => (
              <div key={key}>
                <h3 className="mb-2 text-sm font-semibold">Instances by number of {key}</h3>
                <ShareChart data={stats.distributions[key]} name={`${key}-distribution`} />
                <InstanceTable
                  rows={stats.distributions[key]}
                  name={`${key}-distribution`}
                  heading={`${key} per instance`}
                />
              </div>
            ))}
          </div>
        </Card>

        <Card title="Other metrics senders report">
          <p className="mb-4 text-sm text-slate-600">
            Every number, yes/no or short text a ping carries under <code>platform</code> beyond the fields above (for
            example FlowFuse&apos;s device and snapshot counts or its licence type), by the latest ping of each instance
            seen in the last {DISTRIBUTION_DAYS} days. A metric a newer sender adds appears here by itself.
          </p>
          <ExtraMetricsTable rows={stats.extraMetrics} />
        </Card>
      </div>

      <EventsSection stats={eventStats} />
    </>
  );
}
