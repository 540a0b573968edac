// The real platform jobs on a database that cannot be reached: they start at
// once, the failure is logged once as one line, and nothing rejects unhandled.
import { afterAll, expect, it, vi } from 'vitest';
import { createDb } from '../../lib/db-client';
import { setDb } from '../../lib/db';
import { startBackgroundJobs, stopBackgroundJobs } from '../../lib/jobs';

const dead = createDb({ type: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' });
afterAll(async () => {
  setDb(undefined);
  await dead.$disconnect();
});

it('start at once, log the failure once as one line and reject nothing unhandled', async () => {
  setDb(dead);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    const started = performance.now();
    expect(startBackgroundJobs()).toBe(true);
    expect(performance.now() - started).toBeLessThan(500); // nothing waits for the database
    // telemetry-daily-time is due at once and needs the database.
    const lines = () => warn.mock.calls.map(([line]) => String(line));
    await expect
      .poll(() => lines().some((line) => line.startsWith('[flowforge] job telemetry-daily-time failed')), {
        timeout: 10_000,
      })
      .toBe(true);
    // On a slow machine other work (the minute tick, the server_started event) may fail meanwhile:
    // every failure is one line, and each job says so once.
    for (const line of lines()) {
      expect(line).toMatch(/^\[flowforge\] \S.*: \S/);
      expect(line).not.toContain('\n');
    }
    const jobs = lines().flatMap((line) => /^\[flowforge\] job ([\w-]+) failed/.exec(line)?.[1] ?? []);
    expect(new Set(jobs).size).toBe(jobs.length);
    expect(unhandled).toEqual([]);
  } finally {
    stopBackgroundJobs();
    warn.mockRestore();
    process.off('unhandledRejection', onUnhandled);
  }
});
