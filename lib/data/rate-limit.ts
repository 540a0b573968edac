// Fixed-window rate limits kept in the database, so every replica counts the
// same attempts. One row per key; a window that has ended is restarted.
import 'server-only';
import { db, type Db } from '../db';
import { isUniqueViolation } from './prisma-errors';

export interface RateLimitResult {
  allowed: boolean;
  /** Hits in the current window, this one included. */
  count: number;
  remaining: number;
  resetAt: Date;
}

export async function hitRateLimit(
  key: string,
  { limit, windowMs }: { limit: number; windowMs: number },
  now = new Date(),
  client: Db = db,
): Promise<RateLimitResult> {
  const resetAt = new Date(now.getTime() + windowMs);
  // Restart an expired window; otherwise count this hit. Each is one atomic statement.
  const restarted = await client.rateLimit.updateMany({
    where: { key, resetAt: { lte: now } },
    data: { count: 1, resetAt },
  });
  if (restarted.count === 1) return { allowed: true, count: 1, remaining: limit - 1, resetAt };
  const counted = await client.rateLimit.updateMany({
    where: { key, resetAt: { gt: now } },
    data: { count: { increment: 1 } },
  });
  if (counted.count === 0) {
    try {
      await client.rateLimit.create({ data: { key, count: 1, resetAt } });
      return { allowed: true, count: 1, remaining: limit - 1, resetAt };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return hitRateLimit(key, { limit, windowMs }, now, client); // another replica created it first
    }
  }
  const row = await client.rateLimit.findUnique({ where: { key } });
  const count = row?.count ?? limit + 1;
  return { allowed: count <= limit, count, remaining: Math.max(0, limit - count), resetAt: row?.resetAt ?? resetAt };
}

/** Takes back one hit (e.g. a sign-in that succeeded, so only failures use up an address's allowance). */
/**
 * Adds hits counted elsewhere (in memory, by lib/collector/sender-limits.ts) to their keys, in one
 * transaction; a key without a row gets one that ends at its `resetAt`. Returns each key's count
 * after the write, in the order given.
 */
export async function addRateLimitHits(
  hits: Array<{ key: string; amount: number; resetAt: Date }>,
  client: Db = db,
): Promise<number[]> {
  const rows = await client.$transaction(
    hits.map(({ key, amount, resetAt }) =>
      client.rateLimit.upsert({
        where: { key },
        create: { key, count: amount, resetAt },
        update: { count: { increment: amount } },
        select: { count: true },
      }),
    ),
  );
  return rows.map((row) => row.count);
}

export async function undoRateLimitHit(key: string, client: Db = db): Promise<void> {
  await client.rateLimit.updateMany({ where: { key, count: { gt: 0 } }, data: { count: { decrement: 1 } } });
}

export async function clearRateLimit(key: string, client: Db = db): Promise<void> {
  await client.rateLimit.deleteMany({ where: { key } });
}

/** Drops finished windows; called from a scheduled job so the table stays small. */
export async function pruneRateLimits(now = new Date(), client: Db = db): Promise<number> {
  const { count } = await client.rateLimit.deleteMany({ where: { resetAt: { lte: now } } });
  return count;
}
