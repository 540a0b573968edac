// Sign-in limits leave rows behind (one per email and per address tried). They
// used to be pruned only by the collector's retention job, which does not run
// while the collector is off (the default), so the table grew without end.
import cron from 'node-cron';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DRIVERS } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';
import { getConfig } from '../../lib/config';
import { hitRateLimit } from '../../lib/data/rate-limit';
import { RATE_LIMIT_PRUNING_TASK, runRateLimitPruning, startRateLimitPruning } from '../../lib/rate-limit-pruning';
import { createDb } from '../../lib/db-client';

const NOW = new Date('2031-02-03T04:05:06Z');
// As lib/auth.ts counts sign-ins (not imported: next-auth needs the Next runtime).
const SIGNIN_LIMITS = { account: { limit: 10, windowMs: 15 * 60_000 }, ip: { limit: 50, windowMs: 15 * 60_000 } };

describe.each(DRIVERS)('rate-limit pruning on %s', (driver) => {
  const database = useTestDatabase(driver);
  const db = () => database.current.db;

  it('deletes finished sign-in windows with the collector off, and keeps open ones', async () => {
    expect(getConfig().collector.enabled).toBe(false);
    const earlier = new Date(NOW.getTime() - SIGNIN_LIMITS.account.windowMs - 1000);
    for (let i = 0; i < 5; i++) await hitRateLimit(`signin:account:guess${i}@example.com`, SIGNIN_LIMITS.account, earlier, db());
    await hitRateLimit('signin:ip:203.0.113.9', SIGNIN_LIMITS.ip, earlier, db());
    await hitRateLimit('signin:account:now@example.com', SIGNIN_LIMITS.account, NOW, db());
    expect(await runRateLimitPruning(NOW, db())).toBe(6);
    expect((await db().rateLimit.findMany()).map((row) => row.key)).toEqual(['signin:account:now@example.com']);
  });

  it('logs and returns null when the database fails, never throwing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const broken = createDb(driver === 'sqlite' ? { type: 'sqlite', url: '/nonexistent/dir/x.db' } : { type: 'postgres', url: 'postgresql://nobody:wrong@127.0.0.1:1/none' });
    await expect(runRateLimitPruning(NOW, broken)).resolves.toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('pruning finished rate-limit windows failed'));
    warn.mockRestore();
  });
});

describe('rate-limit pruning schedule', () => {
  const pruningTasks = () => [...cron.getTasks().values()].filter((task) => task.name === RATE_LIMIT_PRUNING_TASK);
  afterAll(() => pruningTasks().forEach((task) => task.destroy()));

  it('is scheduled hourly whether or not the collector runs, once per process', async () => {
    await startRateLimitPruning();
    await startRateLimitPruning();
    expect(pruningTasks()).toHaveLength(1);
    expect(pruningTasks()[0].getNextRun()?.getUTCMinutes()).toBe(41);
  });
});
