import { requireAdmin } from '@/lib/session';
import { getConfig } from '@/lib/config';
import { getCollectorStats, DISTRIBUTION_DAYS, type Share } from '@/lib/collector/stats';
import { Card } from '@/components/ui/card';
import { PingsPerDayChart, ShareChart } from '@/components/collector/charts';

export const metadata = { title: 'Collector · FlowForge admin' };

const number = new Intl.NumberFormat('en');
const LABELS = { users: 'Users', teams: 'Teams', projects: 'Projects' } as const;

function ShareTable({ rows, name, heading }: { rows: Share[]; name: string; heading: string }) {
  const total = rows.reduce((sum, row) => sum + row.instances, 0);
  return (
    <table className="w-full text-sm" data-testid={`table-${name}`}>
      <thead>
        <tr className="border-b border-slate-200 text-left text-slate-500">
          <th className="py-1 font-medium">{heading}</th>
          <th className="py-1 text-right font-medium">Instances</th>
          <th className="py-1 text-right font-medium">Share</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.label} className="border-b border-slate-100" data-label={row.label}>
            <td className="py-1">{row.label}</td>
            <td className="py-1 text-right tabular-nums">{number.format(row.instances)}</td>
            <td className="py-1 text-right tabular-nums">{total ? `${Math.round((row.instances / total) * 100)}%` : '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ShareSection({ title, rows, name, heading }: { title: string; rows: Share[]; name: string; heading: string }) {
  return (
    <Card title={title}>
      <div className="grid gap-6 md:grid-cols-2">
        <ShareChart data={rows} name={name} />
        <ShareTable rows={rows} name={name} heading={heading} />
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
        <h1 className="mb-6 text-2xl font-semibold">Collector</h1>
        <Card>
          <p>This instance does not run a collector. Set <code>collector.enabled: true</code> in flowforge.yml and restart to receive pings.</p>
        </Card>
      </>
    );
  }
  const stats = await getCollectorStats({ retentionDays: config.retentionDays });
  const recentDays = stats.days.slice(-30).reverse();
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold">Collector</h1>
      <p className="mb-6 text-sm text-slate-600" data-testid="collector-window">
        Pings are kept for {config.retentionDays} days (collector.retentionDays): this page covers {stats.windowStart} to today (UTC)
        {stats.oldestPingAt ? `; the oldest stored ping arrived ${stats.oldestPingAt.slice(0, 10)}` : ''}. Distributions describe the instances seen in the
        last {DISTRIBUTION_DAYS} days, each by its latest report. {number.format(stats.storedPings)} pings stored.
      </p>

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
            <div className="mt-1 text-3xl font-semibold tabular-nums" data-testid={id}>{number.format(value)}</div>
          </div>
        ))}
      </div>

      <div className="space-y-6">
        <Card title="Pings per day">
          <div className="grid gap-6 md:grid-cols-[2fr_1fr]">
            <PingsPerDayChart data={stats.days} />
            <div className="max-h-80 overflow-y-auto">
              <table className="w-full text-sm" data-testid="table-days">
                <thead>
                  <tr className="border-b border-slate-200 text-left text-slate-500">
                    <th className="py-1 font-medium">Day (UTC)</th>
                    <th className="py-1 text-right font-medium">Pings</th>
                    <th className="py-1 text-right font-medium">Instances</th>
                    <th className="py-1 text-right font-medium" title="Distinct sender addresses, counted without storing them">Senders</th>
                  </tr>
                </thead>
                <tbody>
                  {recentDays.map((day) => (
                    <tr key={day.day} className="border-b border-slate-100" data-day={day.day}>
                      <td className="py-1">{day.day}</td>
                      <td className="py-1 text-right tabular-nums">{number.format(day.pings)}</td>
                      <td className="py-1 text-right tabular-nums">{number.format(day.instances)}</td>
                      <td className="py-1 text-right tabular-nums">{number.format(day.senders)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {stats.days.length > 30 && <p className="mt-2 text-xs text-slate-500">The latest 30 days; the chart shows all {stats.days.length}.</p>}
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
                <dd className="text-2xl font-semibold tabular-nums" data-testid={`sum-${key}`}>{number.format(stats.totals[key])}</dd>
              </div>
            ))}
          </dl>
          <div className="grid gap-6 lg:grid-cols-3">
            {(['users', 'teams', 'projects'] as const).map((key) => (
              <div key={key}>
                <h3 className="mb-2 text-sm font-semibold">Instances by number of {key}</h3>
                <ShareChart data={stats.distributions[key]} name={`${key}-distribution`} />
                <ShareTable rows={stats.distributions[key]} name={`${key}-distribution`} heading={`${key} per instance`} />
              </div>
            ))}
          </div>
        </Card>
      </div>
    </>
  );
}
