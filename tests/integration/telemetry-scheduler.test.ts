// The scheduler against real databases with a fake clock: the boot rules, the
// off switch taking effect on the next tick, the daily time kept across
// restarts, two schedulers with their own Prisma clients never doubling a
// ping, the history kept bounded. (Three separate processes over a simulated
// week: telemetry-replicas.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../lib/db-client';
import { getConfig, setConfig } from '../../lib/config';
import { SETTING } from '../../lib/data/settings';
import { setSetting } from '../helpers/settings';
import { claimSend, HISTORY_MAX_ROWS, pruneSends } from '../../lib/data/telemetry-sends';
import { guardedRun } from '../../lib/jobs';
import { createTelemetryScheduler } from '../../lib/telemetry/scheduler';
import { formatDailyTime, latestDailyOccurrence } from '../../lib/telemetry/schedule';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../lib/time-units';
import { startCollector, type TestCollector } from '../helpers/ping-receiver';
import { DRIVERS } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';

describe.each(DRIVERS)('telemetry scheduler on %s', (driver) => {
  const database = useTestDatabase(driver);
  let collector: TestCollector;
  let second: Db;
  let clock = new Date('2026-03-02T08:00:00.000Z');
  const now = () => clock;
  const quiet = { warn: () => {}, retryDelayMs: 10, leaseRetryMs: 20 };

  beforeAll(async () => {
    collector = await startCollector(200);
    setConfig({ ...getConfig(), telemetry: { ...getConfig().telemetry, url: collector.url, timeoutMs: 2000 } });
    second = createDb(database.current.config); // a second client, as a replica would have
  });
  afterAll(async () => {
    await second.$disconnect();
    await collector.close();
  });

  const sends = (trigger?: string) =>
    database.current.db.telemetrySend.findMany({ where: trigger ? { trigger } : {}, orderBy: { sentAt: 'asc' } });

  it('no boot ping before setup is complete, nor while telemetry is off', async () => {
    const db = database.current.db;
    const scheduler = createTelemetryScheduler({ ...quiet, client: db, now });
    clock = new Date(clock.getTime() + 30_000);
    expect(await scheduler.bootCheck()).toEqual({ sent: null, reason: 'setup is not complete' });
    await setSetting(SETTING.setupCompletedAt, clock.toISOString(), db);
    await setSetting(SETTING.telemetryEnabled, 'false', db);
    expect(await scheduler.bootCheck()).toEqual({ sent: null, reason: 'telemetry is off' });
    expect(await sends()).toHaveLength(0);
    expect(collector.received).toHaveLength(0);
  });

  it('one boot ping; a second process booting within the hour sends none, one booting later does', async () => {
    const db = database.current.db;
    await setSetting(SETTING.telemetryEnabled, 'true', db);
    const startA = clock;
    const a = createTelemetryScheduler({ ...quiet, client: db, now });
    expect(await a.bootCheck()).toEqual({ sent: null, reason: 'too early' });
    clock = new Date(startA.getTime() + 30_000);
    expect(await a.bootCheck()).toEqual({ sent: 'boot', ok: true });

    clock = new Date(startA.getTime() + 50 * MINUTE_MS);
    const b = createTelemetryScheduler({ ...quiet, client: second, now });
    clock = new Date(clock.getTime() + 30_000);
    expect(await b.bootCheck()).toEqual({ sent: null, reason: 'a ping went out in the last hour' });

    clock = new Date(startA.getTime() + 2 * HOUR_MS);
    const c = createTelemetryScheduler({ ...quiet, client: second, now });
    clock = new Date(clock.getTime() + 30_000);
    expect(await c.bootCheck()).toEqual({ sent: 'boot', ok: true });
    expect(await sends('boot')).toHaveLength(2);
    expect(collector.received).toHaveLength(2);
  });

  it('the boot check 30 s after the process started sends, though the scheduler was built later', async () => {
    // As in the server: the job registry sets the 30 s timer at start, the scheduler is built on the
    // first job run a moment later. Counted from its own creation, the check would be "too early".
    const processStart = new Date(clock.getTime() + 4 * HOUR_MS);
    clock = new Date(processStart.getTime() + 2_000);
    const built = createTelemetryScheduler({ ...quiet, client: database.current.db, now, startedAt: processStart });
    const countedFromCreation = createTelemetryScheduler({ ...quiet, client: second, now });
    clock = new Date(processStart.getTime() + 30_000);
    expect(await countedFromCreation.bootCheck()).toEqual({ sent: null, reason: 'too early' });
    expect(await built.bootCheck()).toEqual({ sent: 'boot', ok: true });
  });

  it('keeps one daily time for the platform, whichever process or restart asks', async () => {
    const db = database.current.db;
    const minutes = await Promise.all([
      createTelemetryScheduler({ ...quiet, client: db, now }).minuteOfDay(),
      createTelemetryScheduler({ ...quiet, client: second, now, random: () => 0.999 }).minuteOfDay(),
      createTelemetryScheduler({ ...quiet, client: second, now, random: () => 0.001 }).minuteOfDay(),
    ]);
    const stored = (await db.setting.findUniqueOrThrow({ where: { key: SETTING.telemetryDailyTime } })).value;
    for (const m of minutes) expect(formatDailyTime(m!)).toBe(stored);
  });

  it('two schedulers ticking each minute for a day: one daily ping; off stops the next tick; on resumes', async () => {
    const db = database.current.db;
    await db.telemetrySend.deleteMany();
    const a = createTelemetryScheduler({ ...quiet, client: db, now });
    const b = createTelemetryScheduler({ ...quiet, client: second, now });
    const minute = (await a.minuteOfDay())!;
    const due = latestDailyOccurrence(new Date(clock.getTime() + DAY_MS), minute).getTime();

    clock = new Date(due - 2 * MINUTE_MS);
    for (let i = 0; i < 90; i++) {
      await Promise.all([a.tick(), b.tick()]);
      clock = new Date(clock.getTime() + MINUTE_MS);
    }
    const daily = await sends('daily');
    expect(daily).toHaveLength(1);
    expect(daily[0].sentAt.getTime()).toBe(due);

    // Next day: off at the time of day -> nothing; on again 5 minutes later -> sent at that tick.
    await setSetting(SETTING.telemetryEnabled, 'false', db);
    clock = new Date(due + DAY_MS);
    expect(await a.tick()).toEqual({ sent: null, reason: 'telemetry is off' });
    clock = new Date(due + DAY_MS + MINUTE_MS);
    expect(await b.tick()).toEqual({ sent: null, reason: 'telemetry is off' });
    await setSetting(SETTING.telemetryEnabled, 'true', db);
    clock = new Date(due + DAY_MS + 2 * MINUTE_MS);
    expect(await b.tick()).toEqual({ sent: 'daily', ok: true });
    expect(await a.tick()).toEqual({ sent: null, reason: 'a daily ping went out in the last 23 hours' });
  });

  it('a platform started minutes after its time of day pings once, 30 s after start, as its boot ping', async () => {
    // The CI failure of 2026-12-07: a fresh platform whose random daily time had passed 20 min
    // earlier sent its daily ping at the first minute tick (21 s after start), not at 30 s.
    const db = database.current.db;
    await db.telemetrySend.deleteMany();
    await setSetting(SETTING.setupCompletedAt, clock.toISOString(), db);
    await setSetting(SETTING.telemetryEnabled, 'true', db);
    const minute = (await createTelemetryScheduler({ ...quiet, client: db, now }).minuteOfDay())!;
    const startedAt = new Date(
      latestDailyOccurrence(new Date(clock.getTime() + DAY_MS), minute).getTime() + 20 * MINUTE_MS + 39_000,
    );
    clock = startedAt;
    const scheduler = createTelemetryScheduler({ ...quiet, client: db, now, startedAt });
    const received = collector.received.length;
    clock = new Date(startedAt.getTime() + 21_000); // the first minute tick
    expect(await scheduler.tick()).toEqual({ sent: null, reason: 'the boot check comes first' });
    clock = new Date(startedAt.getTime() + 30_000);
    expect(await scheduler.bootCheck()).toEqual({ sent: 'boot', ok: true });
    // Another holder keeps the lease: a tick that took the lease path would say so, so these
    // answers come from the cheap reads before it (no lease write for the rest of the window).
    await db.lease.create({
      data: { name: 'telemetry', holder: 'another replica', expiresAt: new Date(clock.getTime() + DAY_MS) },
    });
    try {
      for (let tick = 1; tick <= 20; tick++) {
        clock = new Date(startedAt.getTime() + 21_000 + tick * MINUTE_MS); // the rest of the window
        expect(await scheduler.tick()).toEqual({ sent: null, reason: "a boot ping went out in today's window" });
      }
    } finally {
      await db.lease.deleteMany({ where: { holder: 'another replica' } });
    }
    expect((await sends()).map((row) => row.trigger)).toEqual(['boot']);
    expect(collector.received).toHaveLength(received + 1);
  });

  it('a check that fails is logged by the job registry once, as one line, never thrown', async () => {
    const warnings: string[] = [];
    const scheduler = createTelemetryScheduler({
      client: createDb(
        driver === 'sqlite'
          ? { type: 'sqlite', url: '/nonexistent/dir/x.db' }
          : { type: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' },
      ),
      now,
    });
    await expect(scheduler.tick()).rejects.toThrow();
    const tick = guardedRun({ name: 'telemetry-daily', schedule: '* * * * *', run: scheduler.tick }, (m) =>
      warnings.push(m),
    );
    await tick();
    await tick();
    expect(warnings).toHaveLength(1); // logged once, not every minute
    expect(warnings[0]).toMatch(/^\[flowforge\] job telemetry-daily failed \(will try again at its next run\): \S/);
    expect(warnings[0]).not.toContain('\n'); // one line with the cause, never a stack
  });

  it("a day's daily slot can be claimed once, even by clients racing past the lease", async () => {
    const at = new Date('2026-04-01T10:00:00Z');
    const claims = await Promise.all([
      claimSend('daily', at, database.current.db, 'daily:2026-04-01'),
      claimSend('daily', at, second, 'daily:2026-04-01'),
      claimSend('daily', at, second, 'daily:2026-04-01'),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimSend('daily', at, second, 'daily:2026-04-02')).not.toBeNull();
    expect(await claimSend('manual', at, second)).not.toBeNull(); // manual pings have no slot
  });

  it('keeps the history bounded: 90 days and at most the newest rows', async () => {
    const db = database.current.db;
    await db.telemetrySend.deleteMany();
    const base = Date.parse('2026-06-01T00:00:00Z');
    await db.telemetrySend.createMany({
      data: Array.from({ length: HISTORY_MAX_ROWS + 30 }, (_, i) => ({
        trigger: 'manual',
        sentAt: new Date(base - i * MINUTE_MS),
        durationMs: 1,
      })),
    });
    await db.telemetrySend.create({ data: { trigger: 'daily', sentAt: new Date(base - 91 * DAY_MS), durationMs: 1 } });
    expect(await pruneSends(new Date(base), db)).toBe(31);
    expect(await db.telemetrySend.count()).toBe(HISTORY_MAX_ROWS);
    expect((await db.telemetrySend.findFirstOrThrow({ orderBy: { sentAt: 'desc' } })).sentAt.getTime()).toBe(base);
  });
});
