import Link from 'next/link';
import { requireAdmin } from '@/lib/session';
import { loadTraffic } from '@/lib/http-events/traffic-page';
import { TRAFFIC_WINDOWS, type RouteStats, type TrafficWindow } from '@/lib/data/traffic';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/admin/page-header';
import { DataTable, insetCell, insetRow, type Column } from '@/components/admin/data-table';
import { formatUtc, UtcTime } from '@/components/ui/utc-time';
import { LatencyChart, RequestCharts } from '@/components/traffic/charts';

export const metadata = { title: 'Traffic · FlowForge admin' };

const number = new Intl.NumberFormat('en');
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const percent = (share: number) => `${decimal.format(share * 100)}%`;
const msText = (value: number) => (value >= 100 ? number.format(Math.round(value)) : decimal.format(value));

function isWindow(value: unknown): value is TrafficWindow {
  return typeof value === 'string' && Object.hasOwn(TRAFFIC_WINDOWS, value);
}

const ROUTE_HEADERS: Column[] = [
  'Route',
  { label: 'Requests', align: 'right' },
  { label: '5xx', align: 'right', title: 'Share answered with a 5xx status' },
  { label: '4xx', align: 'right', title: 'Share answered with a 4xx status' },
  ...['p50 ms', 'p95 ms', 'p99 ms', 'Mean ms'].map((label) => ({ label, align: 'right' as const })),
];
const ERROR_HEADERS: Column[] = [
  'Route',
  'Method',
  { label: 'Status', align: 'right' },
  { label: 'Count', align: 'right' },
];
const WORKER_HEADERS: Column[] = [
  'Target',
  'Worker',
  { label: 'Written', align: 'right' },
  { label: 'Dropped', align: 'right' },
  'Last write (UTC)',
];
const currentTab = 'border-blue-700 bg-blue-700 text-white';
const otherTab = 'border-slate-300 bg-white text-slate-700';
const mono = `${insetCell()} font-mono text-xs`;

function RoutesTable({ rows, name }: { rows: RouteStats[]; name: string }) {
  if (rows.length === 0) return <p className="text-sm text-slate-500">No requests recorded in this window.</p>;
  return (
    <DataTable inset testId={`table-${name}`} headers={ROUTE_HEADERS}>
      {rows.map((row) => (
        <tr key={row.route} className={insetRow} data-route={row.route}>
          <td className={`${mono} break-all`}>{row.route}</td>
          <td className={insetCell(true)} data-cell="requests">
            {number.format(row.requests)}
          </td>
          <td className={insetCell(true)} data-cell="server-errors">
            {percent(row.serverErrors / row.requests)}
          </td>
          <td className={insetCell(true)}>{percent(row.clientErrors / row.requests)}</td>
          <td className={insetCell(true)}>{msText(row.p50Ms)}</td>
          <td className={insetCell(true)}>{msText(row.p95Ms)}</td>
          <td className={insetCell(true)}>{msText(row.p99Ms)}</td>
          <td className={insetCell(true)}>{msText(row.meanMs)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

// Requests the platform served, from the HTTP request events in SQL (lib/data/traffic.ts reads rollups only).
export default async function TrafficPage({ searchParams }: { searchParams: Promise<{ window?: string }> }) {
  await requireAdmin();
  const requested = (await searchParams).window;
  const window: TrafficWindow = isWindow(requested) ? requested : 'hour';
  let loaded: Awaited<ReturnType<typeof loadTraffic>>;
  let failure: string | undefined;
  try {
    loaded = await loadTraffic(window);
  } catch (error) {
    // Already free of connection strings (lib/data/http-events.ts); logged, and named on the page.
    failure = (error as Error).message;
    console.warn(`[flowforge] traffic page: cannot read the events database: ${failure}`);
    loaded = null;
  }
  const heading = <PageHeader title="Traffic" />;
  if (failure) {
    return (
      <>
        {heading}
        <Card>
          <p data-testid="traffic-failure">The events database cannot be read right now: {failure}</p>
        </Card>
      </>
    );
  }
  if (!loaded) {
    return (
      <>
        {heading}
        <Card>
          <p>
            HTTP request events are off. Set <code>telemetry.httpEvents.enabled: true</code> in flowforge.yml and
            restart to record every request in your own database (table <code>flowforge_http_events</code>) and see it
            here. Nothing is sent anywhere.
          </p>
        </Card>
      </>
    );
  }
  const { stats, where, queued } = loaded;
  const grainLabel = TRAFFIC_WINDOWS[window].grainMs === 60_000 ? 'minute' : 'hour';
  const points = stats.series.map((point) => ({
    label: formatUtc(new Date(point.time)).slice(window === 'week' ? 5 : 11, 16),
    requestsPerMinute: Math.round(point.requestsPerMinute * 10) / 10,
    serverErrorPercent: Math.round(point.serverErrorRate * 1000) / 10,
    clientErrorPercent: Math.round(point.clientErrorRate * 1000) / 10,
  }));
  const latency = stats.slowest.map((row) => ({
    route: row.route,
    p50: Math.round(row.p50Ms * 10) / 10,
    p95: Math.round(row.p95Ms * 10) / 10,
    p99: Math.round(row.p99Ms * 10) / 10,
  }));
  return (
    <>
      {heading}
      <p className="mb-4 text-sm text-slate-600" data-testid="traffic-window">
        {TRAFFIC_WINDOWS[window].label}: <UtcTime value={new Date(stats.since)} /> to{' '}
        <UtcTime value={new Date(stats.until)} /> UTC, per {grainLabel}, summed over {stats.workers.length} server
        process(es), from {where}. Latency percentiles are read from log-scale buckets (within 9%).
      </p>
      <nav className="mb-6 flex gap-2 text-sm" aria-label="Window">
        {(Object.keys(TRAFFIC_WINDOWS) as TrafficWindow[]).map((key) => (
          <Link
            key={key}
            href={`/admin/traffic?window=${key}`}
            aria-current={key === window ? 'page' : undefined}
            className={`rounded border px-3 py-1 ${key === window ? currentTab : otherTab}`}
          >
            {TRAFFIC_WINDOWS[key].label}
          </Link>
        ))}
      </nav>

      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        {(
          [
            ['Requests', number.format(stats.totals.requests), 'total-requests'],
            ['Requests per minute', decimal.format(stats.totals.requestsPerMinute), 'requests-per-minute'],
            ['Server error rate (5xx)', percent(stats.totals.serverErrorRate), 'error-rate'],
            [
              'p50 / p95 / p99',
              `${msText(stats.totals.p50Ms)} / ${msText(stats.totals.p95Ms)} / ${msText(stats.totals.p99Ms)} ms`,
              'latency',
            ],
            ['Events dropped', number.format(stats.dropped), 'dropped'],
          ] as const
        ).map(([label, value, id]) => (
          <div key={id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <div className="text-sm text-slate-500">{label}</div>
            <div className="mt-1 text-xl font-semibold tabular-nums" data-testid={id}>
              {value}
            </div>
          </div>
        ))}
      </div>

      <div className="space-y-6">
        <Card title="Requests per minute and error rate">
          <RequestCharts data={points} />
        </Card>

        <Card title="Routes">
          <RoutesTable rows={stats.routes} name="routes" />
        </Card>

        <Card title="Slowest routes (by p95)">
          <div className="grid gap-6 lg:grid-cols-2">
            <LatencyChart data={latency} />
            <RoutesTable rows={stats.slowest} name="slowest" />
          </div>
        </Card>

        <Card title="Most frequent errors">
          {stats.errors.length === 0 ? (
            <p className="text-sm text-slate-500">No 4xx or 5xx answers in this window.</p>
          ) : (
            <DataTable inset testId="table-errors" headers={ERROR_HEADERS}>
              {stats.errors.map((row) => (
                <tr
                  key={`${row.route} ${row.method} ${row.status}`}
                  className={insetRow}
                  data-error={`${row.method} ${row.route} ${row.status}`}
                >
                  <td className={`${mono} break-all`}>{row.route}</td>
                  <td className={insetCell()}>{row.method}</td>
                  <td className={insetCell(true)}>{row.status}</td>
                  <td className={insetCell(true)}>{number.format(row.count)}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </Card>

        <Card title="Server processes">
          <p className="mb-3 text-sm text-slate-600">
            Each server process (replica) writes its own rows; the figures above are their sum. Events are dropped only
            when the database cannot keep up or is unreachable and a process holds more than its queue allows.
            {queued > 0 ? ` This process has ${number.format(queued)} event(s) waiting to be written.` : ''}
          </p>
          <DataTable inset testId="table-workers" headers={WORKER_HEADERS}>
            {stats.workers.map((worker) => (
              <tr key={worker.workerId} className={insetRow} data-worker={worker.workerId}>
                <td className={mono}>{worker.target}</td>
                <td className={mono}>{worker.workerId}</td>
                <td className={insetCell(true)}>{number.format(worker.written)}</td>
                <td className={insetCell(true)}>{number.format(worker.dropped)}</td>
                <td className={insetCell()}>
                  <UtcTime value={new Date(worker.lastSeenAt)} />
                </td>
              </tr>
            ))}
          </DataTable>
        </Card>
      </div>
    </>
  );
}
