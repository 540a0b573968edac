// Faults during a ping, on real databases and real sockets, with the
// scheduler's injected clock: the collector hanging, slow, answering 500,
// refusing, or dropping the connection before or in the middle of its answer;
// the database gone at the moment the outcome is recorded; the process killed
// with SIGKILL between claiming the ping and completing it. Each time: no
// unhandled rejection and no throw, the history consistent when a fresh
// process (a restart) reads it, no ping repeated, and the next day's ping goes out.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { getConfig, setConfig } from '../../lib/config';
import { createDb, type Db } from '../../lib/db-client';
import { guardedRun } from '../../lib/jobs';
import { SETTING } from '../../lib/data/settings';
import { setSetting } from '../helpers/settings';
import { summariseSend } from '../../lib/telemetry/activity';
import { createTelemetryScheduler } from '../../lib/telemetry/scheduler';
import { latestDailyOccurrence } from '../../lib/telemetry/schedule';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../lib/time-units';
import { DRIVERS, PG_ADMIN_URL } from '../helpers/databases';
import { startCollector, type CollectorMode, type TestCollector } from '../helpers/ping-receiver';
import { useTestDatabase } from '../helpers/use-database';
import { freePort } from '../e2e/platform';
import { launchReplica } from '../helpers/replica-process';

const TIMEOUT_MS = 800;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => void process.on('unhandledRejection', onUnhandled));
afterAll(() => void process.off('unhandledRejection', onUnhandled));
afterEach(() => expect(unhandled).toEqual([]));

/** A URL nothing listens on: the connection is refused. */
async function refusedUrl() {
  return `http://127.0.0.1:${await freePort()}/api/v1/ping`;
}

describe.each(DRIVERS)('faults during a ping on %s', (driver) => {
  const database = useTestDatabase(driver);
  let collector: TestCollector;
  let clock = new Date('2026-05-04T00:00:00.000Z');
  const now = () => clock;
  const warnings: string[] = [];
  const deps = () => ({ now, warn: (m: string) => void warnings.push(m), retryDelayMs: 20, leaseRetryMs: 20 });
  let minute = 0;

  beforeAll(async () => {
    collector = await startCollector(200);
    setConfig({ ...getConfig(), telemetry: { ...getConfig().telemetry, url: collector.url, timeoutMs: TIMEOUT_MS } });
    const db = database.current.db;
    await setSetting(SETTING.setupCompletedAt, clock.toISOString(), db);
    await setSetting(SETTING.telemetryEnabled, 'true', db);
    minute = (await createTelemetryScheduler({ ...deps(), client: db }).minuteOfDay())!;
  });
  afterAll(() => collector.close());

  /** The next day's due time, one day after the last one used. */
  function nextDue() {
    clock = new Date(latestDailyOccurrence(new Date(clock.getTime() + DAY_MS), minute).getTime());
    return clock;
  }
  const history = (client: Db = database.current.db) => client.telemetrySend.findMany({ orderBy: { sentAt: 'asc' } });

  /** A fresh scheduler on its own database client, as a restarted process has: the day's ping goes out once. */
  async function restartAndCheckNextDay() {
    const fresh = createDb(database.current.config);
    try {
      const restarted = createTelemetryScheduler({ ...deps(), client: fresh });
      const due = nextDue();
      collector.mode = 200;
      expect(await restarted.tick()).toEqual({ sent: 'daily', ok: true });
      clock = new Date(due.getTime() + 5 * MINUTE_MS);
      expect(await restarted.tick()).toEqual({ sent: null, reason: 'a daily ping went out in the last 23 hours' });
      const rows = await history(fresh);
      // Consistent: one row per day's slot, every finished row complete, nothing left "in progress".
      const slots = rows.map((row) => row.slot).filter(Boolean);
      expect(new Set(slots).size).toBe(slots.length);
      for (const row of rows)
        expect(summariseSend(row, new Date(clock.getTime() + 2 * MINUTE_MS)).result).not.toBe('in progress');
      // A second attempt is allowed: a keep-alive socket the collector closed meanwhile is retried.
      expect(rows.at(-1)).toMatchObject({ trigger: 'daily', ok: true, status: 200 });
      expect(rows.at(-1)!.attempts).toBeLessThanOrEqual(2);
    } finally {
      await fresh.$disconnect();
    }
  }

  const collectorFaults: {
    name: string;
    mode: CollectorMode | 'refused';
    expected: { ok: boolean; status: number | null; error: string | null; attempts: number };
    maxMs: number;
  }[] = [
    {
      name: 'hangs',
      mode: 'hang',
      expected: { ok: false, status: null, error: 'timeout', attempts: 1 },
      maxMs: TIMEOUT_MS + 4000,
    },
    {
      name: 'is slow but within the timeout',
      mode: { delayMs: 300, status: 200 },
      expected: { ok: true, status: 200, error: null, attempts: 1 },
      maxMs: TIMEOUT_MS + 4000,
    },
    {
      name: 'is slower than the timeout',
      mode: { delayMs: 3000, status: 200 },
      expected: { ok: false, status: null, error: 'timeout', attempts: 1 },
      maxMs: TIMEOUT_MS + 4000,
    },
    { name: 'answers 500', mode: 500, expected: { ok: false, status: 500, error: 'http', attempts: 2 }, maxMs: 4500 },
    {
      name: 'refuses the connection',
      mode: 'refused',
      expected: { ok: false, status: null, error: 'refused', attempts: 2 },
      maxMs: 4500,
    },
    {
      name: 'closes the connection without answering',
      mode: 'reset',
      expected: { ok: false, status: null, error: 'reset', attempts: 2 },
      maxMs: 4500,
    },
    // The whole request was received and answered 200: the body cut short afterwards does not undo that.
    {
      name: 'closes the connection in the middle of its answer',
      mode: 'truncate',
      expected: { ok: true, status: 200, error: null, attempts: 1 },
      maxMs: 4500,
    },
  ];

  it.each(collectorFaults)(
    'the collector $name: the outcome is recorded, nothing thrown, the next day goes out',
    async (fault) => {
      const db = database.current.db;
      const url = fault.mode === 'refused' ? await refusedUrl() : collector.url;
      setConfig({ ...getConfig(), telemetry: { ...getConfig().telemetry, url } });
      if (fault.mode !== 'refused') collector.mode = fault.mode;
      warnings.length = 0;
      const before = (await history()).length;
      try {
        const scheduler = createTelemetryScheduler({ ...deps(), client: db });
        nextDue();
        const started = performance.now();
        expect(await scheduler.tick()).toEqual({ sent: 'daily', ok: fault.expected.ok });
        expect(performance.now() - started).toBeLessThan(fault.maxMs);
        const rows = await history();
        expect(rows).toHaveLength(before + 1);
        expect(rows.at(-1)).toMatchObject({ trigger: 'daily', ...fault.expected });
        expect(rows.at(-1)!.payload).toContain('"instanceId"');
        // One warn line per failed ping, none for a delivered one.
        expect(warnings).toHaveLength(fault.expected.ok ? 0 : 1);
        if (!fault.expected.ok) expect(warnings[0]).toMatch(/^\[flowforge\] telemetry daily ping to \S+ failed: /);
        // Within the same window the failed day is not retried: one attempt per day, as promised.
        clock = new Date(clock.getTime() + MINUTE_MS);
        expect(await scheduler.tick()).toEqual({ sent: null, reason: 'a daily ping went out in the last 23 hours' });
      } finally {
        setConfig({ ...getConfig(), telemetry: { ...getConfig().telemetry, url: collector.url } });
      }
      await restartAndCheckNextDay();
    },
  );

  it('database gone when the outcome is recorded: logged once, nothing thrown, claim kept, next day sent', async () => {
    const db = database.current.db;
    // A client of its own, so that cutting it off leaves the test's client untouched.
    const doomed = createDb(database.current.config);
    const release = cutOffOnRequest(driver, database.current.config.url);
    warnings.length = 0;
    // Room for cutting the database off while the collector holds its answer.
    setConfig({ ...getConfig(), telemetry: { ...getConfig().telemetry, timeoutMs: 10_000 } });
    try {
      const scheduler = createTelemetryScheduler({ ...deps(), client: doomed });
      const due = nextDue();
      collector.mode = 'hang'; // answered by cutOffOnRequest once the database is gone
      // Through the job registry's wrapper, as the server runs it: the failure is caught and logged there.
      const daily = guardedRun({ name: 'telemetry-daily', schedule: '* * * * *', run: () => scheduler.tick() }, (m) =>
        warnings.push(m),
      );
      await expect(daily()).resolves.toBeUndefined();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^\[flowforge\] job telemetry-daily failed \(will try again at its next run\): \S/);
      expect(warnings[0]).not.toContain('\n');
      await release();
      // The claim was committed before the ping left, so this day is not sent twice...
      const claimed = (await history(db)).at(-1)!;
      expect(claimed).toMatchObject({
        trigger: 'daily',
        durationMs: null,
        slot: `daily:${due.toISOString().slice(0, 10)}`,
      });
      expect(summariseSend(claimed, new Date(due.getTime() + 2 * MINUTE_MS)).result).toBe('interrupted');
      clock = new Date(due.getTime() + 10 * MINUTE_MS);
      collector.mode = 200;
      const received = collector.received.length;
      expect(await createTelemetryScheduler({ ...deps(), client: db, startedAt: due }).tick()).toEqual({
        sent: null,
        reason: 'a daily ping went out in the last 23 hours',
      });
      expect(collector.received).toHaveLength(received);
    } finally {
      setConfig({ ...getConfig(), telemetry: { ...getConfig().telemetry, timeoutMs: TIMEOUT_MS } });
      await release();
      await doomed.$disconnect().catch(() => {});
    }
    await restartAndCheckNextDay();
  });

  it('SIGKILL between claiming and completing a ping: after a restart nothing repeats, next day sent', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'flowforge-faults-'));
    const configPath = path.join(dir, 'flowforge.yml');
    writeFileSync(
      configPath,
      stringify({ db: database.current.config, telemetry: { url: collector.url, timeoutMs: TIMEOUT_MS } }),
    );
    const due = nextDue().getTime();
    const first = await launchReplica('the replica', configPath);
    try {
      // The day's ping is claimed and on its way when the process is killed.
      collector.mode = 'hang';
      const killed = new Promise<NodeJS.Signals | null>((resolve) =>
        first.child.once('exit', (_, signal) => resolve(signal)),
      );
      collector.onRequest = () => {
        collector.onRequest = undefined;
        first.child.kill('SIGKILL');
      };
      // Up for an hour already: its boot check is long done and the daily tick is its own.
      await first.request({ type: 'start', at: due, upForMs: HOUR_MS }, 'done');
      first.child.send({ type: 'advance', ticks: [due] });
      expect(await killed).toBe('SIGKILL');
      const claimed = (await history()).at(-1)!;
      expect(claimed).toMatchObject({
        trigger: 'daily',
        durationMs: null,
        slot: `daily:${new Date(due).toISOString().slice(0, 10)}`,
      });
      collector.release(200);
      collector.mode = 200;

      // Restarted two minutes later: no boot ping (one was claimed within the hour), no second daily
      // ping that day, and the next day's ping at its time.
      const second = await launchReplica('the replica', configPath);
      const restartAt = due + 2 * MINUTE_MS;
      const nextDay = latestDailyOccurrence(new Date(due + DAY_MS), minute).getTime();
      const received = collector.received.length;
      await second.request({ type: 'start', at: restartAt }, 'done');
      await second.request(
        { type: 'advance', ticks: [restartAt + MINUTE_MS, restartAt + 2 * MINUTE_MS, nextDay, nextDay + MINUTE_MS] },
        'done',
      );
      const { results } = await second.request({ type: 'stop' }, 'stopped');
      const exit = await new Promise<number | null>((resolve) =>
        second.child.exitCode !== null ? resolve(second.child.exitCode) : second.child.once('exit', resolve),
      );
      expect(exit).toBe(0);
      expect(results).toEqual([
        { check: 'boot', at: restartAt + 30_000, result: { sent: null, reason: 'a ping went out in the last hour' } },
        { check: 'tick', at: nextDay, result: { sent: 'daily', ok: true } },
      ]);
      expect(collector.received).toHaveLength(received + 1);
      expect(second.output.join('')).not.toMatch(/unhandled|uncaught/i);
      const rows = await history();
      expect(summariseSend(claimed, new Date(due + 2 * MINUTE_MS)).result).toBe('interrupted');
      expect(rows.at(-1)).toMatchObject({
        trigger: 'daily',
        ok: true,
        status: 200,
        slot: `daily:${new Date(nextDay).toISOString().slice(0, 10)}`,
      });
      clock = new Date(nextDay);
    } finally {
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  /**
   * When the ping reaches the collector (the claim is committed), makes the database
   * unreachable for `client`, then lets the collector answer 200. PostgreSQL: connections
   * to the database are refused and the open ones terminated. SQLite: another process
   * holds the write lock past the busy timeout. Returns a function that undoes it.
   */
  function cutOffOnRequest(kind: typeof driver, url: string) {
    let undo: () => Promise<void> = async () => {};
    let done = false;
    collector.onRequest = () => {
      collector.onRequest = undefined;
      void (async () => {
        if (kind === 'postgres') {
          // As when PostgreSQL restarts: new connections refused, open ones (idle ones too) terminated.
          const name = new URL(url).pathname.slice(1);
          const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
          await admin.connect();
          await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
          await admin.query(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
            [name],
          );
          undo = async () => {
            if (done) return;
            done = true;
            await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
            await admin.end();
          };
        } else {
          const locker = await holdSqliteWriteLock(url);
          undo = async () => {
            if (done) return;
            done = true;
            locker.kill('SIGKILL');
          };
        }
        collector.mode = 200;
        collector.release(200);
      })();
    };
    return () => undo();
  }
});

/** Another process takes SQLite's write lock and keeps it until killed. */
function holdSqliteWriteLock(file: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}); db.exec('BEGIN EXCLUSIVE');` +
        " process.send('locked'); setInterval(() => {}, 1000);",
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
}
