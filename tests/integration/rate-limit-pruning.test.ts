// Sign-in limits leave rows behind (one per email and per address tried). They
// used to be pruned only by the collector's retention job, which does not run
// while the collector is off (the default), so the table grew without end.
import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';
import { getConfig } from '../../lib/config';
import { hitRateLimit, pruneRateLimits } from '../../lib/data/rate-limit';
import { guardedRun, PLATFORM_JOBS } from '../../lib/jobs';
import { createDb } from '../../lib/db-client';
import { SIGNIN_LIMITS } from '../../lib/sign-in-limits';

const NOW = new Date('2031-02-03T04:05:06Z');

describe.each(DRIVERS)('rate-limit pruning on %s', (driver) => {
  const { db } = useTestDatabase(driver);

  it('deletes finished sign-in windows with the collector off, and keeps open ones', async () => {
    expect(getConfig().collector.enabled).toBe(false);
    const earlier = new Date(NOW.getTime() - SIGNIN_LIMITS.account.windowMs - 1000);
    for (let i = 0; i < 5; i++)
      await hitRateLimit(`signin:account:guess${i}@example.com`, SIGNIN_LIMITS.account, earlier, db());
    await hitRateLimit('signin:ip:203.0.113.9', SIGNIN_LIMITS.address, earlier, db());
    await hitRateLimit('signin:account:now@example.com', SIGNIN_LIMITS.account, NOW, db());
    expect(await pruneRateLimits(NOW, db())).toBe(6);
    expect((await db().rateLimit.findMany()).map((row) => row.key)).toEqual(['signin:account:now@example.com']);
  });

  it('a database failure is logged by the job registry, never thrown', async () => {
    const warnings: string[] = [];
    const broken = createDb(
      driver === 'sqlite'
        ? { type: 'sqlite', url: '/nonexistent/dir/x.db' }
        : { type: 'postgres', url: 'postgresql://nobody:wrong@127.0.0.1:1/none' },
    );
    const job = PLATFORM_JOBS.find((candidate) => candidate.name === 'rate-limit-pruning')!;
    const run = guardedRun({ ...job, run: () => pruneRateLimits(NOW, broken) }, (line) => warnings.push(line));
    await expect(run()).resolves.toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('[flowforge] job rate-limit-pruning failed')]);
  });
});
