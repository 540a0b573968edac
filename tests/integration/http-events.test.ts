// HTTP request events against the real databases: what a request becomes in
// flowforge_http_events (status, route pattern, elapsed, redaction), the
// rollups the traffic page reads and their sum over replicas, a database that
// goes away mid-run, and day partitions with retention.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS, createPostgresDatabase, PG_ADMIN_URL } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { getConfig, type Config } from '../../lib/config';
import { migrateHttpEvents } from '../../lib/migrate';
import { HttpEventsRecorder } from '../../lib/http-events/recorder';
import {
  deleteExpiredEvents,
  ensureDayPartitions,
  listPartitions,
  openHttpEventsTarget,
  writeEvents,
  type HttpEventsTarget,
} from '../../lib/data/http-events';
import { getTrafficStats } from '../../lib/data/traffic';
import { plainEventRow, workerCounters } from '../helpers/http-events';
import { DAY_MS } from '../../lib/time-units';

const MANIFEST = {
  staticRoutes: [
    { page: '/admin', regex: '^/admin(?:/)?$' },
    { page: '/api/v1/ping', regex: '^/api/v1/ping(?:/)?$' },
  ],
  dynamicRoutes: [{ page: '/admin/users/[id]', regex: '^/admin/users/([^/]+?)(?:/)?$' }],
};

type HttpEventsConfig = Config['telemetry']['httpEvents'];
function eventsConfig(changes: Partial<HttpEventsConfig> = {}) {
  const config = getConfig();
  return {
    ...config,
    telemetry: { ...config.telemetry, httpEvents: { ...config.telemetry.httpEvents, enabled: true, ...changes } },
  };
}

/** A server whose handler answers by path; each request goes through the recorder as the hook does. */
async function serve(recorders: HttpEventsRecorder[]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    for (const recorder of recorders) recorder.capture(req, res);
    const status = req.url!.startsWith('/admin/users/') ? 200 : req.url!.startsWith('/api/') ? 201 : 404;
    if (req.url!.startsWith('/boom')) {
      res.statusCode = 500;
      res.end('boom');
      return;
    }
    // Answer once 2 ms of real time have passed. A bare setTimeout(2) is not
    // enough: libuv measures timers from the loop's cached clock, so it can
    // fire after less than 2 ms of performance.now() (CI saw 1.44 ms).
    const answerAt = performance.now() + 2;
    const answerWhenDue = () => {
      if (performance.now() < answerAt) return void setTimeout(answerWhenDue, 1);
      res.statusCode = status;
      res.end('ok');
    };
    setTimeout(answerWhenDue, 2);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const silent = { log: () => {}, warn: () => {} };

describe.each(DRIVERS)('HTTP request events on %s', (driver) => {
  const ref = useTestDatabase(driver);
  let target: HttpEventsTarget;
  beforeAll(async () => {
    await migrateHttpEvents(driver, ref.current.config.url);
    target = openHttpEventsTarget(getConfig());
  });
  afterAll(async () => {
    await target?.close();
  });

  it('stores one row per request with its status, route pattern and elapsed time, redacted', async () => {
    const recorder = new HttpEventsRecorder({
      config: eventsConfig({ version: 'v9' }),
      manifest: MANIFEST,
      log: silent,
    });
    const { url, server } = await serve([recorder]);
    try {
      const paths = ['/admin/users/cm4secretid?token=hunter2&page=2', '/api/v1/ping', '/nowhere/42', '/boom'];
      for (const path of paths) await fetch(`${url}${path}`, { headers: { 'user-agent': 'test-agent/1.0' } });
      await recorder.flush();
      const rows = await target.query<Record<string, unknown>>(
        `SELECT * FROM "flowforge_http_events" WHERE "worker_id" = $1 ORDER BY "time", "path"`,
        [recorder.workerId],
      );
      expect(rows.map((row) => [row.path, row.worker_route, Number(row.status)])).toEqual([
        ['/admin/users/cm4secretid', '/admin/users/[id]', 200],
        ['/api/v1/ping', '/api/v1/ping', 201],
        ['/nowhere/42', '(unmatched)', 404],
        ['/boom', '(unmatched)', 500],
      ]);
      for (const row of rows) {
        expect(Number(row.elapsed)).toBeGreaterThan(0);
        expect(row).toMatchObject({ namespace: 'flowforge', version: 'v9', method: 'GET', http_version: '1.1' });
        expect(row.user_agent).toBe('test-agent/1.0');
        expect(String(row.request_uuid)).toMatch(/^[0-9a-f-]{36}$/);
        // Keyed hash, never the loopback address itself.
        expect(String(row.ip_addr)).toMatch(/^2001:db8:/);
      }
      expect(rows[0].query_params).toBe('token&page');
      expect(JSON.stringify(rows)).not.toContain('hunter2');
      expect(JSON.stringify(rows)).not.toContain('127.0.0.1');
      // The request took at least the handler's 2 ms.
      expect(Number(rows[0].elapsed)).toBeGreaterThanOrEqual(2000);
    } finally {
      server.close();
      await recorder.stop();
    }
  });

  it('stores the plain address and query values when configured', async () => {
    const recorder = new HttpEventsRecorder({
      config: eventsConfig({ storeClientIp: true, storeQueryValues: true }),
      manifest: MANIFEST,
      log: silent,
    });
    const { url, server } = await serve([recorder]);
    try {
      await fetch(`${url}/admin?tab=2`);
      await recorder.flush();
      const [row] = await target.query<Record<string, unknown>>(
        `SELECT "ip_addr", "query_params" FROM "flowforge_http_events" WHERE "worker_id" = $1`,
        [recorder.workerId],
      );
      expect(String(row.ip_addr)).toBe('127.0.0.1');
      expect(row.query_params).toBe('tab=2');
    } finally {
      server.close();
      await recorder.stop();
    }
  });

  it('sums the replicas: each writes its own worker id, the traffic figures add up', async () => {
    await target.execute('DELETE FROM "flowforge_http_events_minutely"');
    await target.execute('DELETE FROM "flowforge_http_events_hourly"');
    await target.execute('DELETE FROM "flowforge_http_event_workers"');
    const replicas = [0, 1].map(
      () => new HttpEventsRecorder({ config: eventsConfig(), manifest: MANIFEST, log: silent }),
    );
    const servers = await Promise.all(replicas.map((recorder) => serve([recorder])));
    try {
      for (let i = 0; i < 6; i++) await fetch(`${servers[0].url}/admin/users/u${i}`);
      for (let i = 0; i < 4; i++) await fetch(`${servers[1].url}/boom`);
      await Promise.all(replicas.map((recorder) => recorder.flush()));
      const stats = await getTrafficStats(target, 'hour');
      expect(stats.totals.requests).toBe(10);
      expect(stats.totals.serverErrors).toBe(4);
      expect(stats.totals.serverErrorRate).toBeCloseTo(0.4);
      expect(stats.workers.map((w) => w.workerId).sort()).toEqual(replicas.map((r) => r.workerId).sort());
      expect(stats.workers.map((w) => w.written).sort()).toEqual([4, 6]);
      const users = stats.routes.find((route) => route.route === '/admin/users/[id]')!;
      expect(users.requests).toBe(6);
      expect(users.p50Ms).toBeGreaterThan(1.5); // the handler waits 2 ms
      expect(users.p99Ms).toBeGreaterThanOrEqual(users.p50Ms);
      expect(stats.errors).toEqual([{ route: '(unmatched)', method: 'GET', status: 500, count: 4 }]);
      // The day's figures come from hour rollups, its chart from minute rollups: the same requests.
      for (const window of ['day', 'week'] as const) {
        const wider = await getTrafficStats(target, window);
        expect(wider.totals.requests).toBe(10);
        expect(wider.series.reduce((sum, point) => sum + point.requestsPerMinute, 0)).toBeGreaterThan(0);
        expect(wider.routes.find((route) => route.route === '/admin/users/[id]')!.requests).toBe(6);
      }
    } finally {
      for (const { server } of servers) server.close();
      await Promise.all(replicas.map((recorder) => recorder.stop()));
    }
  });

  it('reads percentiles from the latency histogram within 9.1% of the exact value', async () => {
    await target.execute('DELETE FROM "flowforge_http_events_minutely"');
    const now = Date.now();
    // 1,000 requests taking 1..1000 ms: p50 = 500 ms, p95 = 950 ms, p99 = 990 ms.
    const rows = Array.from({ length: 1000 }, (_, i) =>
      plainEventRow({ time: now - 1000, elapsedUs: (i + 1) * 1000, route: '/hist', workerId: 'hist' }),
    );
    await writeEvents(target, rows, workerCounters('hist', now, 1000));
    const route = (await getTrafficStats(target, 'hour')).routes.find((r) => r.route === '/hist')!;
    expect(Math.abs(route.p50Ms - 500) / 500).toBeLessThan(0.091);
    expect(Math.abs(route.p95Ms - 950) / 950).toBeLessThan(0.091);
    expect(Math.abs(route.p99Ms - 990) / 990).toBeLessThan(0.091);
    expect(route.meanMs).toBeCloseTo(500.5, 5);
  });

  it('deletes events and rollups past the retention window', async () => {
    const now = Date.now();
    const old = now - 40 * DAY_MS;
    const make = (time: number) => plainEventRow({ time, route: '/old', workerId: 'ret' });
    await writeEvents(target, [make(old), make(old + 1)], workerCounters('ret', old, 2), old);
    await writeEvents(target, [make(now)], workerCounters('ret', old, 3), now);
    const count = async () =>
      Number(
        (
          await target.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM "flowforge_http_events" WHERE "path" = '/old'`)
        )[0].n,
      );
    expect(await count()).toBe(3);
    const result = await deleteExpiredEvents(target, 30, now);
    expect(await count()).toBe(1);
    if (driver === 'postgres') {
      expect(result.droppedPartitions).toHaveLength(1);
    } else {
      expect(result.deletedEvents).toBe(2);
    }
    const hourly = await target.query<{ n: unknown }>(
      `SELECT COUNT(*) AS n FROM "flowforge_http_events_hourly" WHERE "bucket_start" < $1`,
      [target.time(now - 30 * DAY_MS)],
    );
    expect(Number(hourly[0].n)).toBe(0);
  });
});

describe('PostgreSQL day partitions', () => {
  const ref = useTestDatabase('postgres');
  let target: HttpEventsTarget;
  beforeAll(async () => {
    await migrateHttpEvents('postgres', ref.current.config.url);
    target = openHttpEventsTarget(getConfig());
  });
  afterAll(async () => {
    await target?.close();
  });

  it('creates today and tomorrow ahead, race-safely, and drops whole days past retention', async () => {
    const now = Date.UTC(2026, 11, 1, 23, 30);
    const created = await Promise.all([
      ensureDayPartitions(target, [now, now + DAY_MS]),
      ensureDayPartitions(openHttpEventsTarget(getConfig()), [now, now + DAY_MS]),
    ]);
    expect(created[0]).toEqual(['flowforge_http_events_p20261201', 'flowforge_http_events_p20261202']);
    expect(await listPartitions(target)).toEqual([
      'flowforge_http_events_p20261201',
      'flowforge_http_events_p20261202',
    ]);
    // 30 days of retention on 2027-01-01 00:30: all of 2026-12-01 is older than 30 days and goes;
    // 2026-12-02 ends at 12-03 00:00, inside the window, and stays.
    const result = await deleteExpiredEvents(target, 30, Date.UTC(2027, 0, 1, 0, 30));
    expect(result.droppedPartitions).toEqual(['flowforge_http_events_p20261201']);
    expect(await listPartitions(target)).toEqual(['flowforge_http_events_p20261202']);
    const parent = await target.query<{ kind: string }>(
      `SELECT relkind AS kind FROM pg_class WHERE relname = 'flowforge_http_events'`,
    );
    expect(parent[0].kind).toBe('p'); // declaratively partitioned
  });

  // The TimescaleDB recipe in README.md replaces the table.
  it('keeps writing after the table is replaced by an unpartitioned one', async () => {
    // The README's statements up to create_hypertable (TimescaleDB is not installed here).
    await target.transaction(
      [
        'ALTER TABLE flowforge_http_events RENAME TO flowforge_http_events_partitioned',
        'CREATE TABLE flowforge_http_events (LIKE flowforge_http_events_partitioned INCLUDING DEFAULTS)',
        'INSERT INTO flowforge_http_events SELECT * FROM flowforge_http_events_partitioned',
        'DROP TABLE flowforge_http_events_partitioned',
      ].map((sql) => ({ sql, params: [] })),
    );
    const fresh = openHttpEventsTarget(getConfig());
    try {
      const now = Date.now();
      const row = plainEventRow({ time: now, elapsedUs: 5 });
      await writeEvents(fresh, [row], workerCounters('w', now, 1));
      expect(await ensureDayPartitions(fresh, [now + 3 * DAY_MS])).toEqual([]);
      expect((await deleteExpiredEvents(fresh, 30, now)).droppedPartitions).toEqual([]);
      expect((await fresh.query(`SELECT * FROM flowforge_http_events`)).length).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});

describe('a separate PostgreSQL database that goes away mid-run', () => {
  useTestDatabase('postgres'); // the platform database (settings) beside the separate events one
  let events: { url: string; drop(): Promise<void> };
  let proxy: TcpProxy;
  let recorder: HttpEventsRecorder | undefined;
  const logs: string[] = [];
  beforeAll(async () => {
    events = await createPostgresDatabase();
    const admin = new URL(PG_ADMIN_URL);
    proxy = await startTcpProxy(admin.hostname, Number(admin.port || 5432));
  });
  afterEach(async () => {
    await recorder?.stop();
  });
  afterAll(async () => {
    await proxy?.close();
    await events?.drop();
  });

  it('keeps serving, drops the oldest beyond the queue, counts them and resumes by itself', async () => {
    const url = new URL(events.url);
    url.port = String(proxy.port);
    url.password = 'pw-not-for-logs';
    const separate = url.toString();
    recorder = new HttpEventsRecorder({
      config: eventsConfig({ postgres: separate }),
      migrate: true,
      manifest: MANIFEST,
      queueCapacity: 50,
      flushIntervalMs: 100,
      log: { log: (line: string) => logs.push(line), warn: (line: string) => logs.push(line) },
    });
    recorder.start();
    const { url: base, server } = await serve([recorder]);
    try {
      for (let i = 0; i < 20; i++) await fetch(`${base}/admin`);
      await expect.poll(() => recorder!.written, { timeout: 10_000 }).toBe(20);

      await proxy.cut();
      // Requests never wait for the database: 80 of them, each answered at once.
      const started = performance.now();
      for (let i = 0; i < 80; i++) expect((await fetch(`${base}/api/v1/ping`)).status).toBe(201);
      const perRequest = (performance.now() - started) / 80;
      expect(perRequest).toBeLessThan(50);
      await new Promise((resolve) => setTimeout(resolve, 500)); // a few failed writes
      expect(recorder.queue.dropped).toBe(30); // 80 into a queue of 50

      await proxy.restore();
      const target = openHttpEventsTarget({ db: getConfig().db, telemetry: { httpEvents: { postgres: events.url } } });
      try {
        await expect
          .poll(
            async () =>
              (
                await target.query<{ written: string; dropped: string }>(
                  `SELECT "written", "dropped" FROM "flowforge_http_event_workers" WHERE "worker_id" = $1`,
                  [recorder!.workerId],
                )
              ).map((row) => [Number(row.written), Number(row.dropped)]),
            { timeout: 20_000, interval: 200 },
          )
          .toEqual([[70, 30]]);
        const stored = await target.query<{ n: string }>(`SELECT COUNT(*) AS n FROM "flowforge_http_events"`);
        expect(Number(stored[0].n)).toBe(70);
        const stats = await getTrafficStats(target, 'hour');
        expect(stats.dropped).toBe(30);
      } finally {
        await target.close();
      }
      // One line when writing stopped, one when it resumed; the connection string in neither.
      expect(logs.filter((line) => line.includes('cannot write'))).toHaveLength(1);
      expect(logs.filter((line) => line.includes('again'))).toHaveLength(1);
      expect(logs.join('\n')).not.toContain('pw-not-for-logs');
      expect(logs.join('\n')).not.toContain(separate);
    } finally {
      server.close();
    }
  });
});
