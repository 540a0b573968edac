// Database leases: a named lock with an expiry that any process can take once
// it has expired. Replicas sharing one database use it so a job runs in one
// place at a time; a crashed holder's lease simply runs out.
import 'server-only';
import { db, type Db } from '../db';
import { isUniqueViolation } from './prisma-errors';

/** Takes (or renews) the lease; true when `holder` now holds it until now + ttlMs. */
export async function acquireLease(
  name: string,
  holder: string,
  ttlMs: number,
  now = new Date(),
  client: Db = db,
): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const taken = await client.lease.updateMany({
    where: { name, OR: [{ expiresAt: { lte: now } }, { holder }] },
    data: { holder, expiresAt },
  });
  if (taken.count === 1) return true;
  try {
    await client.lease.create({ data: { name, holder, expiresAt } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false; // someone else holds an unexpired lease
    throw error;
  }
}

export async function releaseLease(name: string, holder: string, client: Db = db): Promise<void> {
  await client.lease.deleteMany({ where: { name, holder } });
}
