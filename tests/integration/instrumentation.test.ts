// Boot is never blocked by a background job: register() (instrumentation.ts)
// returns while a job it started never settles. (formbricks'
// apps/web/instrumentation.test.ts proves the same for its jobs.)
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../helpers/use-database';
import { stopBackgroundJobs } from '../../lib/jobs';

// The first platform job (telemetry-daily-time, due at once) asks the scheduler for the
// daily minute; here that promise never settles, as a hung database connection would.
const neverSettles = vi.fn(() => new Promise<never>(() => {}));
vi.mock('../../lib/telemetry/scheduler', () => ({
  createTelemetryScheduler: () => ({ minuteOfDay: neverSettles, bootCheck: neverSettles, tick: neverSettles }),
}));

describe('register()', () => {
  const database = useTestDatabase('sqlite');
  afterEach(() => {
    stopBackgroundJobs();
    vi.unstubAllEnvs();
  });

  it('returns while a job it started never resolves', async () => {
    vi.stubEnv('NEXT_RUNTIME', 'nodejs');
    const { register } = await import('../../instrumentation');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const outcome = await Promise.race([
      register().then(() => 'returned'),
      new Promise((resolve) => setTimeout(() => resolve('blocked'), 5_000)),
    ]);
    log.mockRestore();
    expect(outcome).toBe('returned');
    await expect.poll(() => neverSettles.mock.calls.length).toBeGreaterThan(0); // the job did start
    expect(await database.current.db.setting.count()).toBeGreaterThan(0); // boot ran (instance id stored)
  });
});
