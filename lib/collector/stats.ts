// What the collector dashboard shows, read from the rollups kept at ingest
// (CollectorInstance: one row per instance; CollectorDay: one row per day),
// never by scanning CollectorPing, so the page costs the same with a thousand
// or a million stored pings. bench/collector.ts measures it against a scan.
import 'server-only';
import { db, type Db } from '../db';
import { BUCKETS } from './report-schema';
import { utcDay } from './sender-fingerprint';

const DAY_MS = 24 * 60 * 60 * 1000;
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
}

const GROUP_COLUMNS = ['version', 'osType', 'arch', 'nodeMajor', 'driver', 'usersBucket', 'teamsBucket', 'projectsBucket'] as const;
type GroupColumn = (typeof GROUP_COLUMNS)[number];

export async function getCollectorStats({ now = new Date(), retentionDays }: { now?: Date; retentionDays: number }, client: Db = db): Promise<CollectorStats> {
  const since = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const recent = { lastSeenAt: { gte: since(DISTRIBUTION_DAYS) } };
  const windowStart = utcDay(since(retentionDays));

  const byCount = (shares: Map<string, number>) =>
    [...shares].map(([label, instances]) => ({ label, instances })).sort((a, b) => b.instances - a.instances || a.label.localeCompare(b.label));
  const byBucket = (shares: Map<string, number>) => [
    ...BUCKETS.map((label) => ({ label, instances: shares.get(label) ?? 0 })),
    ...(shares.has('unknown') ? [{ label: 'unknown', instances: shares.get('unknown')! }] : []),
  ];

  const [day1, day7, day30, groups, dayRows, oldest] = await Promise.all([
    client.collectorInstance.count({ where: { lastSeenAt: { gte: since(1) } } }),
    client.collectorInstance.count({ where: { lastSeenAt: { gte: since(7) } } }),
    client.collectorInstance.count({ where: recent }),
    // One pass over the recent instances: every combination of the grouped columns with its
    // count and sums; the per-column distributions are folded from it below.
    client.collectorInstance.groupBy({ by: [...GROUP_COLUMNS], where: recent, _count: { _all: true }, _sum: { users: true, teams: true, projects: true } }),
    client.collectorDay.findMany({ where: { day: { gte: windowStart } }, orderBy: { day: 'asc' } }),
    client.collectorPing.findFirst({ orderBy: { receivedAt: 'asc' }, select: { receivedAt: true } }),
  ]);

  const shares = Object.fromEntries(GROUP_COLUMNS.map((column) => [column, new Map<string, number>()])) as Record<GroupColumn, Map<string, number>>;
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
    distributions: { users: byBucket(shares.usersBucket), teams: byBucket(shares.teamsBucket), projects: byBucket(shares.projectsBucket) },
    days: fillDays(dayRows, utcDay(now)),
  };
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
    days.push(row ? { day, pings: row.pings, instances: row.instances, senders: row.senders } : { day, pings: 0, instances: 0, senders: 0 });
  }
  return days;
}
