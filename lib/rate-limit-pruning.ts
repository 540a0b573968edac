// Finished rate-limit windows are deleted hourly in every configuration. Sign-in
// leaves a row per email and per client address tried; the collector's
// retention job also prunes, but it only runs when the collector is on, so
// without this the table grew for ever on an ordinary platform. Deleting
// finished windows is idempotent, so every replica may run it without a lease.
import 'server-only';
import { db, type Db } from './db';
import { pruneRateLimits } from './data/rate-limit';

export const RATE_LIMIT_PRUNING_TASK = 'rate-limit-pruning';

/** One run; a failure is logged and never escapes (the next hour tries again). */
export async function runRateLimitPruning(now = new Date(), client: Db = db): Promise<number | null> {
  try {
    return await pruneRateLimits(now, client);
  } catch (error) {
    console.warn(`[flowforge] pruning finished rate-limit windows failed (will retry next hour): ${(error as Error).message}`);
    return null;
  }
}

const state = globalThis as unknown as { flowforgeRateLimitPruning?: boolean };

/** Started from lib/jobs.ts at boot; once per process (dev reloads and a second register() are no-ops). */
export async function startRateLimitPruning(): Promise<void> {
  if (state.flowforgeRateLimitPruning) return;
  state.flowforgeRateLimitPruning = true;
  const { default: cron } = await import('node-cron');
  cron.schedule('41 * * * *', () => void runRateLimitPruning(), { name: RATE_LIMIT_PRUNING_TASK, noOverlap: true });
}
