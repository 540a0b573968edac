// What the collector dashboard shows, read from the rollups kept at ingest
// (CollectorInstance: one row per instance; CollectorDay: one row per day),
// never by scanning CollectorPing, so the page costs the same with a thousand
// or a million stored pings. bench/collector.ts measures it against a scan.
import 'server-only';
import { sqltag } from '@prisma/client/runtime/client';
import { db, type Db } from '../db';
import { BUCKETS } from './report-schema';
import { utcDay } from './sender-fingerprint';
import { DAY_MS } from '../time-units';

/** Distributions describe the instances seen in this many days. */
export const DISTRIBUTION_DAYS = 30;

export interface Share {
  label: string;
  instances: number;
}

export interface DayTotals {
  day: string;
  pings: number;
  instances: number;
  senders: number;
}

/** One extra metric across the instances that reported it in the distribution window. */
export interface ExtraMetricRow {
  metric: string;
  kind: 'number' | 'boolean' | 'text';
  instances: number;
  /** Sum over instances (a boolean counts the instances reporting true); null for text. */
  sum: number | null;
  /** Median over instances of a number; null for booleans and text. */
  median: number | null;
  /** The value of the instance that reported it most recently. */
  latest: number | boolean | string | null;
}

export interface CollectorStats {
  generatedAt: string;
  retentionDays: number;
  /** First day the stored data can cover (today minus the retention window). */
  windowStart: string;
  oldestPingAt: string | null;
  storedPings: number;
  active: { day1: number; day7: number; day30: number };
  versions: Share[];
  osTypes: Share[];
  arches: Share[];
  nodeMajors: Share[];
  drivers: Share[];
  totals: { users: number; teams: number; projects: number };
  distributions: { users: Share[]; teams: Share[]; projects: Share[] };
  days: DayTotals[];
  extraMetrics: ExtraMetricRow[];
}

const GROUP_COLUMNS = [
  'version',
  'osType',
  'arch',
  'nodeMajor',
  'driver',
  'usersBucket',
  'teamsBucket',
  'projectsBucket',
] as const;
type GroupColumn = (typeof GROUP_COLUMNS)[number];

export async function getCollectorStats(
  { now = new Date(), retentionDays }: { now?: Date; retentionDays: number },
  client: Db = db,
): Promise<CollectorStats> {
  const since = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const recent = { lastSeenAt: { gte: since(DISTRIBUTION_DAYS) } };
  const windowStart = utcDay(since(retentionDays));

  const byCount = (shares: Map<string, number>) =>
    [...shares]
      .map(([label, instances]) => ({ label, instances }))
      .sort((a, b) => b.instances - a.instances || a.label.localeCompare(b.label));
  const byBucket = (shares: Map<string, number>) => [
    ...BUCKETS.map((label) => ({ label, instances: shares.get(label) ?? 0 })),
    ...(shares.has('unknown') ? [{ label: 'unknown', instances: shares.get('unknown')! }] : []),
  ];

  const [day1, day7, day30, groups, dayRows, oldest, extraMetrics] = await Promise.all([
    client.collectorInstance.count({ where: { lastSeenAt: { gte: since(1) } } }),
    client.collectorInstance.count({ where: { lastSeenAt: { gte: since(7) } } }),
    client.collectorInstance.count({ where: recent }),
    // One pass over the recent instances: every combination of the grouped columns with its
    // count and sums; the per-column distributions are folded from it below.
    client.collectorInstance.groupBy({
      by: [...GROUP_COLUMNS],
      where: recent,
      _count: { _all: true },
      _sum: { users: true, teams: true, projects: true },
    }),
    client.collectorDay.findMany({ where: { day: { gte: windowStart } }, orderBy: { day: 'asc' } }),
    client.collectorPing.findFirst({ orderBy: { receivedAt: 'asc' }, select: { receivedAt: true } }),
    getExtraMetrics(since(DISTRIBUTION_DAYS), client),
  ]);

  const shares = Object.fromEntries(GROUP_COLUMNS.map((column) => [column, new Map<string, number>()])) as Record<
    GroupColumn,
    Map<string, number>
  >;
  const totals = { users: 0, teams: 0, projects: 0 };
  for (const row of groups) {
    for (const column of GROUP_COLUMNS) {
      const label = row[column] ?? 'unknown';
      shares[column].set(label, (shares[column].get(label) ?? 0) + row._count._all);
    }
    totals.users += row._sum.users ?? 0;
    totals.teams += row._sum.teams ?? 0;
    totals.projects += row._sum.projects ?? 0;
  }

  return {
    generatedAt: now.toISOString(),
    retentionDays,
    windowStart,
    oldestPingAt: oldest?.receivedAt.toISOString() ?? null,
    storedPings: dayRows.reduce((sum, row) => sum + row.pings, 0),
    active: { day1, day7, day30 },
    versions: byCount(shares.version),
    osTypes: byCount(shares.osType),
    arches: byCount(shares.arch),
    nodeMajors: byCount(shares.nodeMajor),
    drivers: byCount(shares.driver),
    totals,
    distributions: {
      users: byBucket(shares.usersBucket),
      teams: byBucket(shares.teamsBucket),
      projects: byBucket(shares.projectsBucket),
    },
    days: fillDays(dayRows, utcDay(now)),
    extraMetrics,
  };
}

/** Metrics shown at most (the most widely reported first): a sender cannot flood the page with names. */
export const MAX_EXTRA_METRIC_ROWS = 100;

/**
 * Instances, sum, median and latest value per extra metric, computed in SQL over one row per
 * (instance, metric): the cost grows with instances, never with pings. The median uses window
 * functions (SQLite has no percentile function), the same query on both databases.
 */
export async function getExtraMetrics(since: Date, client: Db = db): Promise<ExtraMetricRow[]> {
  const rows = await client.$queryRaw<
    {
      metric: string;
      kind: string;
      instances: bigint | number;
      total: number | null;
      median: number | null;
      latestNumber: number | null;
      latestText: string | null;
    }[]
  >(sqltag`
    WITH recent AS (
      SELECT "metric", "kind", "numberValue" AS v, "textValue" AS t, "reportedAt" AS at
      FROM "CollectorInstanceMetric" WHERE "reportedAt" >= ${since}
    ),
    totals AS (SELECT "metric", COUNT(*) AS instances, SUM(v) AS total FROM recent GROUP BY "metric"),
    ranked AS (
      SELECT "metric", v, ROW_NUMBER() OVER (PARTITION BY "metric" ORDER BY v) AS rn,
             COUNT(*) OVER (PARTITION BY "metric") AS n
      FROM recent WHERE v IS NOT NULL AND "kind" = 'number'
    ),
    medians AS (SELECT "metric", AVG(v) AS median FROM ranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY "metric"),
    latest AS (
      SELECT "metric", "kind", v, t, ROW_NUMBER() OVER (PARTITION BY "metric" ORDER BY at DESC) AS rn FROM recent
    )
    SELECT totals."metric" AS "metric", latest."kind" AS "kind", totals.instances AS "instances",
           totals.total AS "total", medians.median AS "median", latest.v AS "latestNumber", latest.t AS "latestText"
    FROM totals
    JOIN latest ON latest."metric" = totals."metric" AND latest.rn = 1
    LEFT JOIN medians ON medians."metric" = totals."metric"
    ORDER BY totals.instances DESC, totals."metric"
    LIMIT ${MAX_EXTRA_METRIC_ROWS}`);
  return rows.map((row) => {
    const kind = row.kind === 'boolean' || row.kind === 'text' ? row.kind : 'number';
    const numberOrNull = (value: number | null) => (value === null ? null : Number(value));
    return {
      metric: row.metric,
      kind,
      instances: Number(row.instances),
      sum: kind === 'text' ? null : numberOrNull(row.total),
      median: kind === 'number' ? numberOrNull(row.median) : null,
      latest:
        kind === 'text'
          ? row.latestText
          : kind === 'boolean'
            ? Number(row.latestNumber) === 1
            : numberOrNull(row.latestNumber),
    };
  });
}

/** One entry per calendar day from the first day with data to today, zeros where nothing arrived. */
export function fillDays(rows: DayTotals[], today: string): DayTotals[] {
  if (rows.length === 0) return [];
  const found = new Map(rows.map((row) => [row.day, row]));
  const days: DayTotals[] = [];
  const last = rows.at(-1)!.day > today ? rows.at(-1)!.day : today;
  for (let time = Date.parse(`${rows[0].day}T00:00:00Z`); ; time += DAY_MS) {
    const day = utcDay(new Date(time));
    if (day > last) break;
    const row = found.get(day);
    days.push(
      row
        ? { day, pings: row.pings, instances: row.instances, senders: row.senders }
        : { day, pings: 0, instances: 0, senders: 0 },
    );
  }
  return days;
}
