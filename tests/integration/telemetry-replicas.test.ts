// Three replicas (separate processes, each with its own Prisma client and
// scheduler) share one PostgreSQL database over a simulated week: a rolling
// start, unaligned cron ticks, a restart mid-week. Exactly one boot ping and
// seven daily pings reach a real collector, each daily one at the platform's
// time of day, which all replicas agree on.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createDb, type Db } from '../../lib/db-client';
import { migrate } from '../../lib/migrate';
import { telemetryPayloadSchema } from '../../lib/telemetry/payload-schema';
import { latestDailyOccurrence } from '../../lib/telemetry/schedule';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../lib/time-units';
import { startCollector, type TestCollector } from '../helpers/ping-receiver';
import { createPostgresDatabase } from '../helpers/databases';
import { launchReplica, type ReplicaProcess } from '../helpers/replica-process';

const REPLICAS = 3;
const OFFSETS = [0, 13_000, 27_000];

let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
let db: Db;
let collector: TestCollector;
let dir: string;
const replicas: ReplicaProcess[] = [];

beforeAll(async () => {
  database = await createPostgresDatabase();
  await migrate('postgres', database.url);
  db = createDb({ type: 'postgres', url: database.url });
  const team = await db.team.create({ data: { name: 'Ops', slug: 'ops' } });
  await db.user.create({ data: { email: 'admin@example.com', name: 'Admin', passwordHash: 'x', role: 'admin' } });
  await db.project.create({ data: { name: 'p', teamId: team.id } });
  await db.setting.create({ data: { key: 'setup.completedAt', value: new Date().toISOString() } });
  collector = await startCollector(200);
  dir = mkdtempSync(path.join(tmpdir(), 'flowforge-replicas-'));
  const configPath = path.join(dir, 'flowforge.yml');
  writeFileSync(
    configPath,
    stringify({ db: { type: 'postgres', url: database.url }, telemetry: { url: collector.url, timeoutMs: 2000 } }),
  );
  replicas.push(
    ...(await Promise.all(
      Array.from({ length: REPLICAS }, (_, i) =>
        launchReplica(`replica ${i}`, configPath, { REPLICA_CLOCK_OFFSET_MS: String(OFFSETS[i]) }),
      ),
    )),
  );
}, 60_000);

afterAll(async () => {
  for (const { child } of replicas) if (child.exitCode === null) child.kill();
  await db?.$disconnect();
  await collector?.close();
  await database?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('three replicas over a simulated week: one boot ping, seven daily pings', { timeout: 180_000 }, async () => {
  // All three ask for the daily time at once: one random pick wins, everybody gets it.
  const minutes = (await Promise.all(replicas.map((r) => r.request({ type: 'prepare' }, 'prepared')))).map(
    (a) => a.minute as number,
  );
  expect(new Set(minutes).size).toBe(1);
  const minute = minutes[0];

  // The week starts just after a daily window closed, so it holds exactly seven windows.
  const T0 = latestDailyOccurrence(new Date('2026-03-02T00:00:00Z'), minute).getTime() + HOUR_MS + 7 * MINUTE_MS;
  const end = T0 + 7 * DAY_MS;
  const startAt = [T0, T0 + 2 * MINUTE_MS, T0 + 4 * MINUTE_MS]; // a rolling start
  // Replica 1 restarts ten minutes after the third daily ping: its boot ping must be skipped.
  const restartAt = latestDailyOccurrence(new Date(T0 + 3 * DAY_MS), minute).getTime() + 10 * MINUTE_MS;

  // Every replica runs every minute tick. Around the daily windows and the (re)starts the
  // replicas move in lockstep, one minute at a time, so their checks really race; in the
  // quiet hours between (where a tick does no query) the parent hands out ticks in batches.
  const events = [...startAt, restartAt];
  const busy = (t: number) => {
    const due = latestDailyOccurrence(new Date(t + 5 * MINUTE_MS), minute).getTime();
    return t - due < HOUR_MS + 5 * MINUTE_MS || events.some((e) => Math.abs(t - e) <= 5 * MINUTE_MS);
  };
  let batch: number[] = [];
  const flush = async () => {
    const ticks = batch;
    batch = [];
    await Promise.all(
      replicas.map(async (replica, i) => {
        for (const [k, t] of ticks.entries()) {
          if (t === startAt[i] || (i === 1 && t === restartAt)) {
            if (k > 0)
              await replica.request(
                { type: 'advance', ticks: ticks.slice(0, k).filter((x) => x >= startAt[i]) },
                'done',
              );
            await replica.request({ type: 'start', at: t }, 'done');
            await replica.request({ type: 'advance', ticks: ticks.slice(k) }, 'done');
            return;
          }
        }
        const mine = ticks.filter((x) => x >= startAt[i]);
        if (mine.length > 0) await replica.request({ type: 'advance', ticks: mine }, 'done');
      }),
    );
  };
  for (let t = T0; t < end; t += MINUTE_MS) {
    batch.push(t);
    if (busy(t) || batch.length >= 120) await flush();
  }
  await flush();
  const reports = await Promise.all(replicas.map((r) => r.request({ type: 'stop' }, 'stopped')));
  const sentBy = reports.map(
    (r) => (r.results as Array<{ result: { sent: string | null } }>).filter((x) => x.result.sent).length,
  );

  const rows = await db.telemetrySend.findMany({ orderBy: { sentAt: 'asc' } });
  const boot = rows.filter((r) => r.trigger === 'boot');
  const daily = rows.filter((r) => r.trigger === 'daily');
  expect(boot).toHaveLength(1);
  expect(boot[0].sentAt.getTime()).toBe(T0 + 30_000);
  expect(daily).toHaveLength(7);
  expect(rows).toHaveLength(8);
  expect(sentBy.reduce((a, b) => a + b, 0)).toBe(8);
  for (const [day, row] of daily.entries()) {
    const due = latestDailyOccurrence(new Date(T0 + (day + 1) * DAY_MS), minute).getTime();
    // At the first tick of any replica after the time of day (ticks are a minute apart).
    expect(row.sentAt.getTime()).toBeGreaterThanOrEqual(due);
    expect(row.sentAt.getTime()).toBeLessThan(due + MINUTE_MS);
  }
  for (const row of rows) expect(row).toMatchObject({ ok: true, status: 200, error: null });

  // The collector got exactly those eight pings, each a valid payload of this platform.
  expect(collector.received).toHaveLength(8);
  const instanceId = (await db.setting.findUniqueOrThrow({ where: { key: 'instanceId' } })).value;
  for (const ping of collector.received) {
    const payload = telemetryPayloadSchema.parse(JSON.parse(ping.body));
    expect(payload.instanceId).toBe(instanceId);
    expect(payload.platform.counts).toEqual({ users: 1, teams: 1, projects: 1 });
    expect(payload.platform.config.driver).toBe('postgres');
  }
  expect(collector.received.map((p) => p.body).sort()).toEqual(rows.map((r) => r.payload).sort());
});
