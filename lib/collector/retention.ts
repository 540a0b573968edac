// Retention: pings older than collector.retentionDays are deleted, with the
// rollup rows of those days, instances not seen within the window, and salts
// of past days (rotation also deletes them, but only when a ping arrives)
// and finished rate-limit windows.
// Run hourly by node-cron in every replica; a database lease lets one of them
// do the work per hour. A failure is logged and never escapes.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { getConfig } from '../config';
import { db, type Db } from '../db';
import { acquireLease } from '../data/lease';
import { pruneRateLimits } from '../data/rate-limit';
import { deleteRotatedSalts, utcDay } from './sender-fingerprint';

const DAY_MS = 24 * 60 * 60 * 1000;
// Small batches keep each write transaction short, so ingest is never blocked for long.
const DELETE_BATCH = 5000;
export const RETENTION_LEASE = 'collector.retention';
const HOLDER = `retention-${randomUUID()}`;

export interface RetentionResult {
  pings: number;
  days: number;
  instances: number;
  salts: number;
}

export async function deleteExpired(now: Date, retentionDays: number, client: Db = db): Promise<RetentionResult> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const cutoffDay = utcDay(cutoff);
  let pings = 0;
  for (;;) {
    const batch = await client.collectorPing.findMany({ where: { receivedAt: { lt: cutoff } }, select: { id: true }, orderBy: { receivedAt: 'asc' }, take: DELETE_BATCH });
    if (batch.length === 0) break;
    pings += (await client.collectorPing.deleteMany({ where: { id: { in: batch.map((row) => row.id) } } })).count;
  }
  const days = (await client.collectorDay.deleteMany({ where: { day: { lt: cutoffDay } } })).count;
  await client.collectorDaySeen.deleteMany({ where: { day: { lt: cutoffDay } } });
  const instances = (await client.collectorInstance.deleteMany({ where: { lastSeenAt: { lt: cutoff } } })).count;
  const salts = await deleteRotatedSalts(now, client);
  // Every sender leaves a rate-limit row keyed by its fingerprint; finished windows go too.
  await pruneRateLimits(now, client);
  return { pings, days, instances, salts };
}

/** One scheduled tick: does nothing unless the collector is on and this process wins the hour's lease. */
export async function runRetention(now = new Date(), client: Db = db, holder = HOLDER): Promise<RetentionResult | null> {
  try {
    const config = getConfig().collector;
    if (!config.enabled) return null;
    // Held for most of an hour and not released: the other replicas' ticks this hour find it taken.
    if (!(await acquireLease(RETENTION_LEASE, holder, 50 * 60 * 1000, now, client))) return null;
    const result = await deleteExpired(now, config.retentionDays, client);
    if (result.pings > 0) console.log(`[flowforge] collector retention: deleted ${result.pings} ping(s) older than ${config.retentionDays} days`);
    return result;
  } catch (error) {
    console.warn(`[flowforge] collector retention failed (will retry next hour): ${(error as Error).message}`);
    return null;
  }
}

/** Started from lib/jobs.ts at boot. */
export async function startRetentionJob(): Promise<void> {
  if (!getConfig().collector.enabled) return;
  const { default: cron } = await import('node-cron');
  cron.schedule('17 * * * *', () => void runRetention(), { name: 'collector-retention', noOverlap: true });
}
