// What /admin/traffic shows, computed in SQL from the minute and hour rollups
// (lib/data/http-events.ts): never the events themselves, so the page costs the
// same with ten thousand or ten million stored requests. Sums over every
// worker (replica) that writes to the database.
import 'server-only';
import { latencyBucketValue } from '../http-events/rollup';
import { HOUR_MS, MINUTE_MS } from '../time-units';
import type { HttpEventsTarget } from './http-events';

// Each window reads the coarsest rollup that answers it. The last day reads hour rows (24 per
// key) for its figures and its chart: with 10,000,000 events over 7 days its minute rows took
// 755-822 ms to sum here (bench:traffic), its hour rows a fraction of that. The window starts at
// a whole bucket of its table, so the chart and the tables cover the same requests.
export const TRAFFIC_WINDOWS = {
  hour: {
    label: 'Last hour',
    spanMs: HOUR_MS,
    table: 'flowforge_http_events_minutely',
    tableGrainMs: MINUTE_MS,
    seriesTable: 'flowforge_http_events_minutely',
    grainMs: MINUTE_MS,
  },
  day: {
    label: 'Last 24 hours',
    spanMs: 24 * HOUR_MS,
    table: 'flowforge_http_events_hourly',
    tableGrainMs: HOUR_MS,
    seriesTable: 'flowforge_http_events_hourly',
    grainMs: HOUR_MS,
  },
  week: {
    label: 'Last 7 days',
    spanMs: 7 * 24 * HOUR_MS,
    table: 'flowforge_http_events_hourly',
    tableGrainMs: HOUR_MS,
    seriesTable: 'flowforge_http_events_hourly',
    grainMs: HOUR_MS,
  },
} as const;
export type TrafficWindow = keyof typeof TRAFFIC_WINDOWS;

export interface TrafficPoint {
  /** Start of the minute or hour, ms since 1970. */
  time: number;
  requestsPerMinute: number;
  serverErrorRate: number;
  clientErrorRate: number;
}

export interface RouteStats {
  route: string;
  requests: number;
  serverErrors: number;
  clientErrors: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export interface ErrorStats {
  route: string;
  method: string;
  status: number;
  count: number;
}

export interface WorkerStats {
  workerId: string;
  target: string;
  written: number;
  dropped: number;
  lastSeenAt: number;
}

export interface TrafficStats {
  window: TrafficWindow;
  since: number;
  until: number;
  totals: Omit<RouteStats, 'route'> & { requestsPerMinute: number; serverErrorRate: number };
  series: TrafficPoint[];
  routes: RouteStats[];
  slowest: RouteStats[];
  errors: ErrorStats[];
  workers: WorkerStats[];
  dropped: number;
}

const num = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));
const ms = (value: unknown) => (value instanceof Date ? value.getTime() : Number(value));
const bucketMs = (bucket: unknown) =>
  bucket === null || bucket === undefined ? 0 : latencyBucketValue(Number(bucket)) / 1000;

// Percentile buckets from the histogram: running sum per route in bucket order,
// the first bucket whose running sum reaches p of the route's total.
function percentileSql(table: string, groupBy: string) {
  return `WITH h AS (
      SELECT ${groupBy} AS grp, "latency_bucket" AS b, SUM("requests") AS n
      FROM "${table}" WHERE "bucket_start" >= $1 GROUP BY 1, 2
    ), c AS (
      SELECT grp, b, SUM(n) OVER (PARTITION BY grp ORDER BY b) AS cum, SUM(n) OVER (PARTITION BY grp) AS total FROM h
    )
    SELECT grp,
      MIN(CASE WHEN cum >= 0.50 * total THEN b END) AS p50,
      MIN(CASE WHEN cum >= 0.95 * total THEN b END) AS p95,
      MIN(CASE WHEN cum >= 0.99 * total THEN b END) AS p99
    FROM c GROUP BY grp`;
}

export async function getTrafficStats(
  target: HttpEventsTarget,
  window: TrafficWindow,
  now = Date.now(),
): Promise<TrafficStats> {
  const { table, tableGrainMs, seriesTable, spanMs, grainMs } = TRAFFIC_WINDOWS[window];
  // Whole minutes or hours: the window starts at the first bucket inside it.
  const since = Math.ceil((now - spanMs) / tableGrainMs) * tableGrainMs;
  const from = target.time(since);

  const [seriesRows, routeRows, routePercentiles, totalPercentiles, errorRows, workerRows] = await Promise.all([
    target.query(
      `SELECT "bucket_start" AS t, SUM("requests") AS requests,
         SUM(CASE WHEN "status" >= 500 THEN "requests" ELSE 0 END) AS server_errors,
         SUM(CASE WHEN "status" >= 400 AND "status" < 500 THEN "requests" ELSE 0 END) AS client_errors
       FROM "${seriesTable}" WHERE "bucket_start" >= $1 GROUP BY "bucket_start" ORDER BY "bucket_start"`,
      [from],
    ),
    target.query(
      `SELECT "worker_route" AS route, SUM("requests") AS requests, SUM("elapsed_sum") AS elapsed_sum,
         SUM(CASE WHEN "status" >= 500 THEN "requests" ELSE 0 END) AS server_errors,
         SUM(CASE WHEN "status" >= 400 AND "status" < 500 THEN "requests" ELSE 0 END) AS client_errors
       FROM "${table}" WHERE "bucket_start" >= $1 GROUP BY "worker_route"`,
      [from],
    ),
    target.query(percentileSql(table, '"worker_route"'), [from]),
    target.query(percentileSql(table, "'all'"), [from]),
    target.query(
      `SELECT "worker_route" AS route, "method", "status", SUM("requests") AS count
       FROM "${table}" WHERE "bucket_start" >= $1 AND "status" >= 400
       GROUP BY "worker_route", "method", "status" ORDER BY count DESC, route LIMIT 20`,
      [from],
    ),
    target.query(
      `SELECT "worker_id", "target", "written", "dropped", "last_seen_at"
       FROM "flowforge_http_event_workers" WHERE "last_seen_at" >= $1 ORDER BY "target", "worker_id"`,
      [from],
    ),
  ]);

  const percentiles = new Map(routePercentiles.map((row) => [String(row.grp), row]));
  const routes: RouteStats[] = routeRows
    .map((row) => {
      const requests = num(row.requests);
      const p = percentiles.get(String(row.route));
      return {
        route: String(row.route),
        requests,
        serverErrors: num(row.server_errors),
        clientErrors: num(row.client_errors),
        meanMs: requests ? num(row.elapsed_sum) / requests / 1000 : 0,
        p50Ms: bucketMs(p?.p50),
        p95Ms: bucketMs(p?.p95),
        p99Ms: bucketMs(p?.p99),
      };
    })
    .sort((a, b) => b.requests - a.requests || a.route.localeCompare(b.route));

  const requests = routes.reduce((sum, r) => sum + r.requests, 0);
  const serverErrors = routes.reduce((sum, r) => sum + r.serverErrors, 0);
  const all = totalPercentiles[0];
  const minutes = Math.max(1, (now - since) / MINUTE_MS);
  const workers = workerRows.map((row) => ({
    workerId: String(row.worker_id),
    target: String(row.target),
    written: num(row.written),
    dropped: num(row.dropped),
    lastSeenAt: ms(row.last_seen_at),
  }));
  return {
    window,
    since,
    until: now,
    totals: {
      requests,
      serverErrors,
      clientErrors: routes.reduce((sum, r) => sum + r.clientErrors, 0),
      meanMs: requests ? routes.reduce((sum, r) => sum + r.meanMs * r.requests, 0) / requests : 0,
      p50Ms: bucketMs(all?.p50),
      p95Ms: bucketMs(all?.p95),
      p99Ms: bucketMs(all?.p99),
      requestsPerMinute: requests / minutes,
      serverErrorRate: requests ? serverErrors / requests : 0,
    },
    series: seriesRows.map((row) => {
      const count = num(row.requests);
      return {
        time: ms(row.t),
        requestsPerMinute: count / (grainMs / MINUTE_MS),
        serverErrorRate: count ? num(row.server_errors) / count : 0,
        clientErrorRate: count ? num(row.client_errors) / count : 0,
      };
    }),
    routes,
    slowest: [...routes].sort((a, b) => b.p95Ms - a.p95Ms || b.meanMs - a.meanMs).slice(0, 10),
    errors: errorRows.map((row) => ({
      route: String(row.route),
      method: String(row.method),
      status: num(row.status),
      count: num(row.count),
    })),
    workers,
    dropped: workers.reduce((sum, w) => sum + w.dropped, 0),
  };
}
