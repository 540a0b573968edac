// The sender against real HTTP servers on localhost: the right JSON arrives; a
// collector that never answers is abandoned after the timeout while this
// process keeps serving; 500s and refused connections are logged, not thrown;
// a payload with a smuggled identifier is refused before it leaves.
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { getConfig, setConfig } from '../../lib/config';
import { SETTING } from '../../lib/data/settings';
import { setSetting } from '../helpers/settings';
import {
  buildTelemetryBody,
  buildTelemetryPayload,
  defaultPayloadSources,
  TelemetryPayloadRefused,
  validateTelemetryPayload,
} from '../../lib/telemetry/payload';
import { telemetryPayloadSchema } from '../../lib/telemetry/payload-schema';
import { sendManualPing, TelemetryOffError } from '../../lib/telemetry/ping';
import { postTelemetry } from '../../lib/telemetry/send';
import { startCollector, type TestCollector } from '../helpers/ping-receiver';
import { useTestDatabase } from '../helpers/use-database';
import { freePort } from '../e2e/platform';

const database = useTestDatabase('sqlite');
const collectors: TestCollector[] = [];

async function collector(mode: number | 'hang' = 200) {
  const started = await startCollector(mode);
  collectors.push(started);
  setConfig({ ...getConfig(), telemetry: { ...getConfig().telemetry, url: started.url } }); // timeoutMs: the default
  return started;
}

afterEach(async () => {
  for (const c of collectors.splice(0)) await c.close();
});

describe('a ping reaches the collector', () => {
  it('POSTs the payload as JSON, byte for byte what the preview shows, with live counts', async () => {
    const db = database.current.db;
    const team = await db.team.create({ data: { name: 'Ops', slug: 'ops' } });
    await db.user.create({ data: { email: 'ada@example.com', name: 'Ada Lovelace', passwordHash: 'x' } });
    await db.project.createMany({
      data: [
        { name: 'a', teamId: team.id },
        { name: 'b', teamId: team.id },
      ],
    });
    const target = await collector(200);

    const preview = await buildTelemetryBody(db);
    const { outcome, row } = await sendManualPing({ client: db });

    expect(outcome).toMatchObject({ ok: true, status: 200, error: null, attempts: 1 });
    expect(target.received).toHaveLength(1);
    const [ping] = target.received;
    expect(ping.method).toBe('POST');
    expect(ping.contentType).toBe('application/json');
    expect(ping.body).toBe(preview);
    const payload = telemetryPayloadSchema.parse(JSON.parse(ping.body));
    expect(payload.platform.counts).toEqual({ users: 1, teams: 1, projects: 2 });
    expect(payload.platform.config.driver).toBe('sqlite');
    expect(payload.instanceId).toBe((await db.setting.findUnique({ where: { key: SETTING.instanceId } }))!.value);
    expect(ping.body).not.toContain('ada@example.com');
    expect(ping.body).not.toContain('Ada Lovelace');

    const stored = await db.telemetrySend.findUniqueOrThrow({ where: { id: row.id } });
    expect(stored).toMatchObject({ trigger: 'manual', ok: true, status: 200, error: null, payload: ping.body });
    expect(stored.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('refuses "Send now" while telemetry is off, and records nothing', async () => {
    const db = database.current.db;
    const target = await collector(200);
    const before = await db.telemetrySend.count();
    await setSetting(SETTING.telemetryEnabled, 'false', db);
    await expect(sendManualPing({ client: db })).rejects.toBeInstanceOf(TelemetryOffError);
    await setSetting(SETTING.telemetryEnabled, 'true', db);
    expect(target.received).toHaveLength(0);
    expect(await db.telemetrySend.count()).toBe(before);
  });
});

describe('a collector that never answers', () => {
  let app: Server;
  let appUrl: string;
  beforeAll(async () => {
    app = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appUrl = `http://127.0.0.1:${(app.address() as { port: number }).port}/`;
  });
  afterAll(() => new Promise((resolve) => app.close(resolve)));

  it('is given up after the default 3 s, while this process keeps answering requests', async () => {
    const target = await collector('hang');
    expect(getConfig().telemetry.timeoutMs).toBe(3000); // nothing configured: the default from lib/config.ts
    const warn = vi.fn();
    const started = performance.now();
    // The whole "Send now" path, which reads telemetry.url and telemetry.timeoutMs from the configuration.
    const sending = sendManualPing({ client: database.current.db, warn }).then((r) => r.outcome);
    // Meanwhile the app answers, every time, quickly.
    const latencies: number[] = [];
    while (performance.now() - started < 2500) {
      const t = performance.now();
      expect(await (await fetch(appUrl)).text()).toBe('ok');
      latencies.push(performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const outcome = await sending;
    const elapsed = performance.now() - started;
    expect(outcome).toMatchObject({ ok: false, error: 'timeout', status: null, attempts: 1 });
    expect(elapsed).toBeGreaterThanOrEqual(2950);
    expect(elapsed).toBeLessThan(5000); // given up at the timeout, not later
    expect(latencies.length).toBeGreaterThan(10);
    expect(Math.max(...latencies)).toBeLessThan(1000); // never held for the 3 s of the ping (margin for a busy machine)
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/failed: timeout \(no answer within 3000 ms\)/);
    expect(target.received).toHaveLength(1); // a timeout is not retried
  });

  it('honours a configured shorter timeout', async () => {
    const target = await collector('hang');
    const started = performance.now();
    const outcome = await postTelemetry('{}', { url: target.url, timeoutMs: 300, warn: () => {} });
    const elapsed = performance.now() - started;
    expect(outcome.error).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('failures are logged once, never thrown', () => {
  it('HTTP 500: one retry after the delay, one warning, recorded', async () => {
    const db = database.current.db;
    const target = await collector(500);
    const warn = vi.fn();
    const started = performance.now();
    const outcome = await postTelemetry('{"a":1}', {
      url: target.url,
      timeoutMs: 1000,
      retryDelayMs: 200,
      warn,
      label: 'daily',
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(outcome).toMatchObject({ ok: false, status: 500, error: 'http', attempts: 2 });
    expect(target.received).toHaveLength(2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toBe(
      `[flowforge] telemetry daily ping to ${new URL(target.url).origin} failed: ` +
        'HTTP 500 after 2 attempt(s); it is not retried further',
    );

    // Through the whole path too: a manual ping to a failing collector resolves and is recorded.
    const manual = await sendManualPing({ client: db, warn: () => {} });
    expect(manual.outcome).toMatchObject({ ok: false, status: 500, error: 'http', attempts: 1 });
    expect(await db.telemetrySend.findUniqueOrThrow({ where: { id: manual.row.id } })).toMatchObject({
      ok: false,
      status: 500,
      error: 'http',
    });
  });

  it('a 4xx is not retried', async () => {
    const target = await collector(400);
    const outcome = await postTelemetry('{}', { url: target.url, timeoutMs: 1000, retryDelayMs: 10, warn: () => {} });
    expect(outcome).toMatchObject({ ok: false, status: 400, attempts: 1 });
    expect(target.received).toHaveLength(1);
  });

  it('a refused connection: retried once, then reported as "refused"', async () => {
    const port = await freePort(); // nothing listens there
    const warn = vi.fn();
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    const outcome = await postTelemetry('{}', {
      url: `http://127.0.0.1:${port}/`,
      timeoutMs: 1000,
      retryDelayMs: 50,
      warn,
    });
    process.off('unhandledRejection', unhandled);
    expect(outcome).toMatchObject({ ok: false, status: null, error: 'refused', attempts: 2 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toContain('failed: refused');
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('an unresolvable host is reported as "dns" or "network", not thrown', async () => {
    const outcome = await postTelemetry('{}', {
      url: 'http://flowforge-collector.invalid/',
      timeoutMs: 1000,
      retryDelayMs: false,
      warn: () => {},
    });
    expect(outcome.ok).toBe(false);
    expect(['dns', 'network', 'timeout']).toContain(outcome.error);
  });
});

describe('a payload carrying an identifier is refused before it leaves', () => {
  const good = () => defaultPayloadSources();

  it('rejects an email, a host name or a path hidden in a known field', async () => {
    const db = database.current.db;
    const smuggled = [
      { os: () => ({ ...good().os(), release: 'ops@example.com' }) },
      { os: () => ({ ...good().os(), type: `Linux ${os.hostname()}` }) },
      { os: () => ({ ...good().os(), type: 'EXAMPLE-HOST-42' }), forbidden: ['example-host-42'] },
      { nodejs: '/usr/local/bin/node' },
      { nodejs: '10.1.2.3' },
    ];
    for (const change of smuggled) {
      const sources = { ...good(), ...change };
      if (change.forbidden) {
        const payload = await buildTelemetryPayload(db, good());
        expect(() => validateTelemetryPayload({ ...payload, os: sources.os() }, change.forbidden)).toThrow(
          TelemetryPayloadRefused,
        );
        continue;
      }
      await expect(buildTelemetryPayload(db, sources)).rejects.toBeInstanceOf(TelemetryPayloadRefused);
    }
  });

  it('rejects an undocumented field such as a hostname', async () => {
    const payload = await buildTelemetryPayload(database.current.db);
    expect(() => validateTelemetryPayload({ ...payload, hostname: os.hostname() })).toThrow(
      /hostname is not a documented field/,
    );
    expect(() =>
      validateTelemetryPayload({ ...payload, platform: { ...payload.platform, adminEmail: 'a@b.c' } }),
    ).toThrow(/platform.adminEmail/);
  });

  it('sends nothing and records the refusal when the builder is handed a smuggled value', async () => {
    const db = database.current.db;
    const target = await collector(200);
    const warn = vi.fn();
    const { outcome, row } = await sendManualPing({
      client: db,
      warn,
      sources: { ...good(), os: () => ({ ...good().os(), release: 'root@db1.internal' }) },
    });
    expect(outcome).toMatchObject({ ok: false, error: 'invalid-payload', attempts: 0 });
    expect(target.received).toHaveLength(0);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/os.release must not contain an email address; nothing was sent/);
    expect(warn.mock.calls[0][0]).not.toContain('root@db1');
    expect(await db.telemetrySend.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      ok: false,
      error: 'invalid-payload',
      payload: null,
    });
  });
});
