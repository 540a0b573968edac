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

type GroupColumn = 'version' | 'osType' | 'arch' | 'nodeMajor' | 'driver' | 'usersBucket' | 'teamsBucket' | 'projectsBucket';

export async function getCollectorStats({ now = new Date(), retentionDays }: { now?: Date; retentionDays: number }, client: Db = db): Promise<CollectorStats> {
  const since = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const recent = { lastSeenAt: { gte: since(DISTRIBUTION_DAYS) } };
  const windowStart = utcDay(since(retentionDays));

  const group = async (column: GroupColumn): Promise<Share[]> => {
    const rows = (await client.collectorInstance.groupBy({ by: [column], where: recent, _count: { _all: true } })) as unknown as Array<Record<GroupColumn, string | null> & { _count: { _all: number } }>;
    return rows.map((row) => ({ label: row[column] ?? 'unknown', instances: row._count._all }));
  };
  const byCount = (shares: Share[]) => shares.sort((a, b) => b.instances - a.instances || a.label.localeCompare(b.label));
  const byBucket = (shares: Share[]) => {
    const found = new Map(shares.map((s) => [s.label, s.instances]));
    return [...BUCKETS.map((label) => ({ label, instances: found.get(label) ?? 0 })), ...(found.has('unknown') ? [{ label: 'unknown', instances: found.get('unknown')! }] : [])];
  };

  const [day1, day7, day30, versions, osTypes, arches, nodeMajors, drivers, users, teams, projects, sums, dayRows, oldest] = await Promise.all([
    client.collectorInstance.count({ where: { lastSeenAt: { gte: since(1) } } }),
    client.collectorInstance.count({ where: { lastSeenAt: { gte: since(7) } } }),
    client.collectorInstance.count({ where: recent }),
    group('version'),
    group('osType'),
    group('arch'),
    group('nodeMajor'),
    group('driver'),
    group('usersBucket'),
    group('teamsBucket'),
    group('projectsBucket'),
    client.collectorInstance.aggregate({ where: recent, _sum: { users: true, teams: true, projects: true } }),
    client.collectorDay.findMany({ where: { day: { gte: windowStart } }, orderBy: { day: 'asc' } }),
    client.collectorPing.findFirst({ orderBy: { receivedAt: 'asc' }, select: { receivedAt: true } }),
  ]);

  return {
    generatedAt: now.toISOString(),
    retentionDays,
    windowStart,
    oldestPingAt: oldest?.receivedAt.toISOString() ?? null,
    storedPings: dayRows.reduce((sum, row) => sum + row.pings, 0),
    active: { day1, day7, day30 },
    versions: byCount(versions),
    osTypes: byCount(osTypes),
    arches: byCount(arches),
    nodeMajors: byCount(nodeMajors),
    drivers: byCount(drivers),
    totals: { users: sums._sum.users ?? 0, teams: sums._sum.teams ?? 0, projects: sums._sum.projects ?? 0 },
    distributions: { users: byBucket(users), teams: byBucket(teams), projects: byBucket(projects) },
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
