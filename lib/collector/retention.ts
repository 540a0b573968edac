// Retention: pings and events older than collector.retentionDays are deleted, with the
// rollup rows of those days, instances not seen within the window, and salts
// of past days (rotation also deletes them, but only when a ping arrives)
// and finished rate-limit windows.
// Run hourly in every replica as a job of lib/jobs.ts (which logs a failure);
// a database lease lets one of them do the work per hour.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { getConfig } from '../config';
import { db, type Db } from '../db';
import { acquireLease } from '../data/lease';
import { pruneRateLimits } from '../data/rate-limit';
import { deleteRotatedSalts, utcDay } from './sender-fingerprint';
import { deleteEventRollupsBefore } from './event-rollups';
import { DAY_MS } from '../time-units';

// Small batches keep each write transaction short, so ingest is never blocked for long.
const DELETE_BATCH = 5000;
export const RETENTION_LEASE = 'collector.retention';
const HOLDER = `retention-${randomUUID()}`;

export interface RetentionResult {
  pings: number;
  events: number;
  days: number;
  instances: number;
  salts: number;
}

/** Deletes what `next` finds, DELETE_BATCH rows a statement, until nothing is left; returns the count. */
async function inBatches<Id>(
  next: () => Promise<Array<{ id: Id }>>,
  remove: (ids: Id[]) => Promise<{ count: number }>,
): Promise<number> {
  let deleted = 0;
  for (let batch = await next(); batch.length > 0; batch = await next()) {
    deleted += (await remove(batch.map((row) => row.id))).count;
  }
  return deleted;
}

export async function deleteExpired(now: Date, retentionDays: number, client: Db = db): Promise<RetentionResult> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const cutoffDay = utcDay(cutoff);
  const before = {
    where: { receivedAt: { lt: cutoff } },
    select: { id: true },
    orderBy: { receivedAt: 'asc' },
  } as const;
  const pings = await inBatches(
    () => client.collectorPing.findMany({ ...before, take: DELETE_BATCH }),
    (ids) => client.collectorPing.deleteMany({ where: { id: { in: ids } } }),
  );
  const events = await inBatches(
    () => client.collectorEvent.findMany({ ...before, take: DELETE_BATCH }),
    (ids) => client.collectorEvent.deleteMany({ where: { id: { in: ids } } }),
  );
  const days = (await client.collectorDay.deleteMany({ where: { day: { lt: cutoffDay } } })).count;
  await client.collectorDaySeen.deleteMany({ where: { day: { lt: cutoffDay } } });
  await deleteEventRollupsBefore(cutoffDay, client); // the Events section's rollups (lib/collector/event-rollups.ts)
  const instances = (await client.collectorInstance.deleteMany({ where: { lastSeenAt: { lt: cutoff } } })).count;
  await client.collectorInstanceMetric.deleteMany({ where: { reportedAt: { lt: cutoff } } });
  const salts = await deleteRotatedSalts(now, client);
  // Every sender leaves a rate-limit row keyed by its fingerprint; finished windows go too.
  await pruneRateLimits(now, client);
  return { pings, events, days, instances, salts };
}

/** One scheduled tick: does nothing unless the collector is on and this process wins the hour's lease. */
export async function runRetention(
  now = new Date(),
  client: Db = db,
  holder = HOLDER,
): Promise<RetentionResult | null> {
  const config = getConfig().collector;
  if (!config.enabled) return null;
  // Held for most of an hour and not released: the other replicas' ticks this hour find it taken.
  if (!(await acquireLease(RETENTION_LEASE, holder, 50 * 60 * 1000, now, client))) return null;
  const result = await deleteExpired(now, config.retentionDays, client);
  if (result.pings > 0 || result.events > 0)
    console.log(
      `[flowforge] collector retention: deleted ${result.pings} ping(s) and ${result.events} event(s) ` +
        `older than ${config.retentionDays} days`,
    );
  return result;
}
