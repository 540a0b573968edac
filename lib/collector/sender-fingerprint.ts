// Sender fingerprints: a keyed HMAC-SHA256 of the sender address under a
// secret salt of the current UTC day. The salt lives in the database so every
// replica computes the same fingerprint, and it is deleted once a newer day's
// salt exists: senders can be counted per day, but once the day is over nobody
// (not even we) can recompute a fingerprint from an address, so a table of all
// 2^32 IPv4 hashes is useless. The address itself is never stored.
import 'server-only';
import { createHmac, randomBytes } from 'node:crypto';
import { db, underlyingDb, type Db } from '../db';
import { isUniqueViolation } from '../data/prisma-errors';
import { utcDay } from './utc-day';

export { utcDay } from './utc-day';

/**
 * The salt for `now`'s day, created once (race-safe: the primary key picks one
 * winner, the others re-read it). A replica whose clock lags behind after
 * midnight uses the newer day's salt instead of resurrecting a deleted one.
 */
export async function currentSalt(now: Date, client: Db = db): Promise<{ day: string; secret: string }> {
  const day = utcDay(now);
  const existing = await client.collectorSalt.findUnique({ where: { day } });
  if (existing) return existing;
  const newer = await client.collectorSalt.findFirst({ where: { day: { gt: day } }, orderBy: { day: 'desc' } });
  if (newer) return newer;
  let salt: { day: string; secret: string };
  try {
    salt = await client.collectorSalt.create({ data: { day, secret: randomBytes(32).toString('base64url') } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    salt = await client.collectorSalt.findUniqueOrThrow({ where: { day } });
  }
  await deleteRotatedSalts(now, client);
  return salt;
}

/** Deletes the salts of earlier days (also run by the retention job for quiet collectors). */
export async function deleteRotatedSalts(now: Date, client: Db = db): Promise<number> {
  const { count } = await client.collectorSalt.deleteMany({ where: { day: { lt: utcDay(now) } } });
  return count;
}

export function hmacAddress(secret: string, address: string): string {
  return createHmac('sha256', secret).update(address).digest('hex');
}

// A day's salt never changes once created, so each process keeps the ones it has read:
// ingest then needs no query for the fingerprint. Per database (tests use several at once).
const saltCache = new WeakMap<Db, Map<string, { day: string; secret: string }>>();

/** The stored stand-in for a sender address: HMAC under today's salt. */
export async function hashSenderIp(address: string, now: Date, client: Db = db): Promise<string> {
  let salts = saltCache.get(underlyingDb(client));
  if (!salts) saltCache.set(underlyingDb(client), (salts = new Map()));
  const day = utcDay(now);
  let salt = salts.get(day);
  if (!salt) {
    salt = await currentSalt(now, client);
    if (salt.day === day) {
      salts.clear(); // only today's is useful
      salts.set(day, salt);
    }
  }
  return hmacAddress(salt.secret, address);
}
