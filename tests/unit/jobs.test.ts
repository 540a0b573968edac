// The background-job registry: one place that schedules, guards and logs.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BOOT_DELAY_MS } from '../../lib/telemetry/schedule';
import { MINUTE_MS } from '../../lib/time-units';
import {
  guardedRun,
  PLATFORM_JOBS,
  startBackgroundJobs,
  startJobs,
  stopBackgroundJobs,
  type Job,
  type JobTimers,
} from '../../lib/jobs';

/** Timers on vitest's fake clock: cron expressions of the form '* * * * *' fire every minute. */
const fakeTimers: JobTimers = {
  cron: (expression, fn) => {
    expect(expression).toBe('* * * * *');
    const timer = setInterval(fn, MINUTE_MS);
    return () => clearInterval(timer);
  },
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

describe('a job run', () => {
  it('is caught and logged as one line, once per distinct message, again after a success', async () => {
    const warnings: string[] = [];
    let outcome: Error | null = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const run = guardedRun(
      {
        name: 'example',
        schedule: '* * * * *',
        run: async () => {
          if (outcome) throw outcome;
        },
      },
      (line) => warnings.push(line),
    );
    await run();
    await run();
    expect(warnings).toEqual([
      '[flowforge] job example failed (will try again at its next run): connect ECONNREFUSED 127.0.0.1:5432',
    ]);
    outcome = new Error('Invalid `prisma.lease.upsert()` invocation:\n\n  The database file is locked');
    await run();
    expect(warnings[1]).toMatch(/: The database file is locked$/); // the cause, one line, never a stack
    outcome = null;
    await run();
    outcome = new Error('The database file is locked');
    await run();
    expect(warnings).toHaveLength(3); // a success in between: the same failure is worth a line again
  });

  it('is skipped while the previous run of the same job is still going', async () => {
    let finish = () => {};
    const run = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const guarded = guardedRun({ name: 'slow', schedule: '* * * * *', run });
    const first = guarded();
    await guarded();
    expect(run).toHaveBeenCalledTimes(1);
    finish();
    await first;
    void guarded();
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('may throw synchronously without escaping', async () => {
    const warnings: string[] = [];
    const job: Job = {
      name: 'sync',
      schedule: { afterStartMs: 0 },
      run: () => {
        throw new Error('boom');
      },
    };
    await guardedRun(job, (line) => warnings.push(line))();
    expect(warnings).toHaveLength(1);
  });
});

describe('startJobs', () => {
  afterEach(() => vi.useRealTimers());

  it('runs a one-off job once after its delay and a cron job on its schedule, until stopped', async () => {
    vi.useFakeTimers();
    const boot = vi.fn(async () => {});
    const tick = vi.fn(async () => {});
    const stop = startJobs(
      [
        { name: 'boot', schedule: { afterStartMs: BOOT_DELAY_MS }, run: boot },
        { name: 'tick', schedule: '* * * * *', run: tick },
      ],
      fakeTimers,
    );
    await vi.advanceTimersByTimeAsync(BOOT_DELAY_MS - 1);
    expect(boot).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(boot).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(10 * MINUTE_MS);
    expect(boot).toHaveBeenCalledTimes(1);
    expect(tick).toHaveBeenCalledTimes(10);
    stop();
    await vi.advanceTimersByTimeAsync(10 * MINUTE_MS);
    expect(tick).toHaveBeenCalledTimes(10);
  });

  it('a stop before the delay cancels a one-off job', async () => {
    vi.useFakeTimers();
    const boot = vi.fn(async () => {});
    const stop = startJobs([{ name: 'boot', schedule: { afterStartMs: BOOT_DELAY_MS }, run: boot }], fakeTimers);
    await vi.advanceTimersByTimeAsync(10_000);
    stop();
    await vi.advanceTimersByTimeAsync(BOOT_DELAY_MS);
    expect(boot).not.toHaveBeenCalled();
  });
});

describe('startBackgroundJobs', () => {
  afterEach(() => {
    stopBackgroundJobs();
    vi.unstubAllEnvs();
  });

  const counting = () => {
    const scheduled: string[] = [];
    const timers: JobTimers = {
      cron: (expression, _fn, name) => (scheduled.push(`${name} ${expression}`), () => {}),
      after: (ms) => (scheduled.push(`after ${ms}`), () => {}),
    };
    return { scheduled, timers };
  };

  it('starts the jobs once per process', () => {
    const { scheduled, timers } = counting();
    const jobs: Job[] = [{ name: 'hourly', schedule: '5 * * * *', run: async () => {} }];
    expect(startBackgroundJobs(jobs, timers)).toBe(true);
    expect(startBackgroundJobs(jobs, timers)).toBe(false); // dev reload, second register()
    expect(scheduled).toEqual(['hourly 5 * * * *']);
    stopBackgroundJobs();
    expect(startBackgroundJobs(jobs, timers)).toBe(true); // after a stop it may start again
  });

  it('starts nothing during `next build`', () => {
    vi.stubEnv('NEXT_PHASE', 'phase-production-build');
    const { scheduled, timers } = counting();
    expect(startBackgroundJobs(PLATFORM_JOBS, timers)).toBe(false);
    expect(scheduled).toEqual([]);
  });

  it('the platform jobs have unique names and run pruning hourly whatever the configuration', () => {
    const names = PLATFORM_JOBS.map((job) => job.name);
    expect(new Set(names).size).toBe(names.length);
    expect(PLATFORM_JOBS.find((job) => job.name === 'rate-limit-pruning')?.schedule).toBe('41 * * * *');
    expect(PLATFORM_JOBS.find((job) => job.name === 'telemetry-boot')?.schedule).toEqual({
      afterStartMs: BOOT_DELAY_MS,
    });
  });
});
