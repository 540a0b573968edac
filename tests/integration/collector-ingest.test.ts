// Every accept and reject path of POST /api/v1/ping and /ping, on SQLite and
// PostgreSQL, through the route handlers themselves and a real database.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { DRIVERS } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';
import { SOCKET_ADDRESS_HEADER } from '../../lib/socket-address-header';
import { COLLECTOR, collectorRequest, samplePing, withCollectorConfig } from '../helpers/collector';
import { POST as apiPing } from '../../app/api/v1/ping/route';
import { POST as classicPing } from '../../app/ping/route';
import { DROPPED_FIELDS_HEADER, handlePing } from '../../lib/collector/handlers';
import { createDb } from '../../lib/db-client';

let ipCounter = 0;
/** A fresh sender address per test, so rate limits never interfere. */
const nextIp = () => `192.0.2.${++ipCounter}`;

describe.each(DRIVERS)('collector ping ingest on %s', (driver) => {
  const { db } = useTestDatabase(driver, { collector: COLLECTOR });

  it('accepts a valid ping on /api/v1/ping with 202 and stores time, payload and a fingerprint', async () => {
    const instanceId = randomUUID();
    const before = Date.now();
    const response = await apiPing(collectorRequest('/api/v1/ping', samplePing({ instanceId }), { ip: nextIp() }));
    expect(response.status).toBe(202);
    // Nothing to say but how much was dropped: no body, a header (handlers.ts, accepted).
    expect(response.headers.get(DROPPED_FIELDS_HEADER)).toBe('0');
    expect(await response.text()).toBe('');
    const row = await db().collectorPing.findFirstOrThrow({ where: { instanceId } });
    expect(row.source).toBe('ping');
    expect(row.receivedAt.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(row.receivedAt.getTime()).toBeLessThanOrEqual(Date.now() + 5);
    expect(JSON.parse(row.payload)).toEqual(samplePing({ instanceId }));
    expect(row.senderHash).toMatch(/^[0-9a-f]{64}$/);
    const instance = await db().collectorInstance.findUniqueOrThrow({ where: { instanceId } });
    expect(instance).toMatchObject({
      version: '0.1.0',
      osType: 'Linux',
      arch: 'x64',
      nodeMajor: 'v20',
      driver: 'sqlite',
      users: 12,
      usersBucket: '10-99',
      teamsBucket: '1-9',
      projectsBucket: '10-99',
    });
  });

  it('accepts the same report on the classic /ping path', async () => {
    const instanceId = randomUUID();
    const response = await classicPing(collectorRequest('/ping', samplePing({ instanceId }), { ip: nextIp() }));
    expect(response.status).toBe(202);
    expect(await db().collectorPing.count({ where: { instanceId } })).toBe(1);
  });

  it('drops unknown fields, counts them, and still stores the known ones', async () => {
    const instanceId = randomUUID();
    const body = {
      ...samplePing({ instanceId }),
      hostname: 'build-7',
      os: { type: 'Linux', release: '6.1', arch: 'arm64', kernel: 'x' },
      extra: { a: 1, b: 2 },
    };
    const response = await apiPing(collectorRequest('/api/v1/ping', body, { ip: nextIp() }));
    expect(response.status).toBe(202);
    expect(response.headers.get(DROPPED_FIELDS_HEADER)).toBe('3');
    expect(await response.text()).toBe('');
    const row = await db().collectorPing.findFirstOrThrow({ where: { instanceId } });
    expect(row.droppedFields).toBe(3);
    const stored = JSON.parse(row.payload);
    expect(stored).not.toHaveProperty('hostname');
    expect(stored).not.toHaveProperty('extra');
    expect(stored.os).toEqual({ type: 'Linux', release: '6.1', arch: 'arm64' });
  });

  it('accepts a ping with only an instanceId (older senders) without blanking the known state', async () => {
    const instanceId = randomUUID();
    const ip = nextIp();
    expect((await apiPing(collectorRequest('/api/v1/ping', samplePing({ instanceId }), { ip }))).status).toBe(202);
    expect((await apiPing(collectorRequest('/api/v1/ping', { instanceId }, { ip }))).status).toBe(202);
    const instance = await db().collectorInstance.findUniqueOrThrow({ where: { instanceId } });
    expect(instance.version).toBe('0.1.0');
    expect(await db().collectorPing.count({ where: { instanceId } })).toBe(2);
  });

  it.each([
    ['a missing instanceId', { ...samplePing(), instanceId: undefined }, 'instanceId'],
    ['an instanceId that is not a UUID', samplePing({ instanceId: 'not-a-uuid' }), 'instanceId'],
    ['a count given as text', samplePing({ platform: { counts: { users: '12' } } }), 'platform.counts.users'],
    ['a negative count', samplePing({ platform: { counts: { users: -1 } } }), 'platform.counts.users'],
    ['os given as a string', samplePing({ os: 'Linux' }), 'os'],
    [
      'an IP address in a text field',
      samplePing({ os: { type: 'Linux', release: '10.1.2.3', arch: 'x64' } }),
      'os.release',
    ],
    ['an email in a text field', samplePing({ env: { nodejs: 'v20', flowforge: 'ada@example.com' } }), 'env.flowforge'],
  ])('rejects %s with 400 naming the field, storing nothing', async (_label, body, path) => {
    const count = await db().collectorPing.count();
    const response = await apiPing(collectorRequest('/api/v1/ping', body, { ip: nextIp() }));
    expect(response.status).toBe(400);
    const answer = await response.json();
    expect(answer.error).toBe('invalid_payload');
    expect(answer.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect(answer.message).toContain(path);
    expect(await db().collectorPing.count()).toBe(count);
  });

  it.each([
    ['a JSON array', '[1,2]', 400, 'invalid_payload'],
    ['a JSON string', '"hello"', 400, 'invalid_payload'],
    ['broken JSON', '{"instanceId": ', 400, 'invalid_json'],
    ['an empty body', '', 400, 'empty_body'],
  ])('rejects %s with %i', async (_label, body, status, code) => {
    const response = await apiPing(collectorRequest('/api/v1/ping', body, { ip: nextIp() }));
    expect(response.status).toBe(status);
    const answer = await response.json();
    expect(answer.error).toBe(code);
    expect(typeof answer.message).toBe('string');
  });

  // PostgreSQL cannot store U+0000: it answered 500 before the check.
  it('rejects a NUL character anywhere with 400 naming the field, storing nothing', async () => {
    const instanceId = randomUUID();
    const response = await apiPing(
      collectorRequest(
        '/api/v1/ping',
        samplePing({ instanceId, os: { type: 'Li\u0000nux', release: '1', arch: 'x64' } }),
        { ip: nextIp() },
      ),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_text',
      message: 'os.type contains a NUL character (\\u0000), which cannot be stored',
    });
    expect(await db().collectorPing.count({ where: { instanceId } })).toBe(0);
  });

  it('rejects a body that is not JSON by Content-Type with 415', async () => {
    const response = await apiPing(
      collectorRequest('/api/v1/ping', 'instanceId=1', {
        ip: nextIp(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    expect(response.status).toBe(415);
    expect((await response.json()).error).toBe('unsupported_media_type');
  });

  it('rejects a body over 64 KiB with 413 (declared length)', async () => {
    const body = JSON.stringify({ ...samplePing(), padding: 'x'.repeat(70 * 1024) });
    const response = await apiPing(collectorRequest('/api/v1/ping', body, { ip: nextIp() }));
    expect(response.status).toBe(413);
    expect((await response.json()).error).toBe('payload_too_large');
  });

  it('rejects a streamed body over 64 KiB with 413 even without a Content-Length', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(8 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 20) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const request = new Request('http://collector.test/api/v1/ping', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': nextIp(),
        [SOCKET_ADDRESS_HEADER]: '127.0.0.1',
      },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(request.headers.get('content-length')).toBeNull();
    const response = await apiPing(request);
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(20); // stopped reading early
  });

  it('rejects a small gzip body that inflates beyond 64 KiB with 413', async () => {
    const bomb = gzipSync(JSON.stringify({ ...samplePing(), padding: 'x'.repeat(1024 * 1024) }));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const response = await apiPing(
      collectorRequest('/api/v1/ping', bomb, { ip: nextIp(), headers: { 'content-encoding': 'gzip' } }),
    );
    expect(response.status).toBe(413);
  });

  it('accepts a gzip-encoded ping', async () => {
    const instanceId = randomUUID();
    const response = await apiPing(
      collectorRequest('/api/v1/ping', samplePing({ instanceId }), { ip: nextIp(), gzip: true }),
    );
    expect(response.status).toBe(202);
    expect(await db().collectorPing.count({ where: { instanceId } })).toBe(1);
  });

  it('answers 404 on every endpoint when collector.enabled is false', async () => {
    await withCollectorConfig({ enabled: false }, async () => {
      for (const route of [apiPing, classicPing]) {
        const response = await route(collectorRequest('/api/v1/ping', samplePing(), { ip: nextIp() }));
        expect(response.status).toBe(404);
        expect((await response.json()).error).toBe('not_found');
      }
    });
  });

  it('rate-limits each sender per minute with 429 and Retry-After, without affecting other senders', async () => {
    await withCollectorConfig({ maxRequestsPerMinute: 3 }, async () => {
      const now = new Date();
      const ip = nextIp();
      const send = (from: string, at = now) =>
        handlePing(collectorRequest('/api/v1/ping', samplePing({ instanceId: randomUUID() }), { ip: from }), {
          now: () => at,
        });
      for (let i = 0; i < 3; i++) expect((await send(ip)).status).toBe(202);
      const refused = await send(ip);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await refused.json()).error).toBe('rate_limited');
      expect((await send(nextIp())).status).toBe(202);
      expect((await send(ip, new Date(now.getTime() + 61_000))).status).toBe(202);
    });
  });

  it('tells senders apart by the TCP peer, and by X-Forwarded-For only when collector.trustProxy is set', async () => {
    // One clock: the limits count fixed UTC minutes, and a loop crossing into the next one on a
    // slow machine would start a fresh window.
    const at = new Date();
    const ping = (ip: string, peer: string) =>
      handlePing(collectorRequest('/api/v1/ping', samplePing({ instanceId: randomUUID() }), { ip, peer }), {
        now: () => at,
      });
    await withCollectorConfig({ trustProxy: false, maxRequestsPerMinute: 2 }, async () => {
      // Without trust, a sender cannot dodge its limit by inventing X-Forwarded-For addresses...
      const peer = nextIp();
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await ping(nextIp(), peer)).status);
      expect(statuses).toEqual([202, 202, 429]);
      // ...while another peer is another sender.
      expect((await ping(nextIp(), nextIp())).status).toBe(202);
    });
    await withCollectorConfig({ trustProxy: true, maxRequestsPerMinute: 2 }, async () => {
      // Behind a trusted proxy every request has the proxy's peer address;
      // the last X-Forwarded-For entry is the client.
      const proxy = nextIp();
      const client = nextIp();
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await ping(`6.6.6.${i}, ${client}`, proxy)).status);
      expect(statuses).toEqual([202, 202, 429]);
      expect((await ping(nextIp(), proxy)).status).toBe(202);
    });
  });

  it('keeps the daily rollup in step: pings, distinct instances and distinct senders', async () => {
    const at = new Date('2031-05-05T12:00:00Z');
    const send = (instanceId: string, ip: string) =>
      handlePing(collectorRequest('/api/v1/ping', samplePing({ instanceId }), { ip }), { now: () => at });
    const [a, b] = [randomUUID(), randomUUID()];
    const [ip1, ip2] = [nextIp(), nextIp()];
    for (const [id, ip] of [
      [a, ip1],
      [a, ip1],
      [b, ip1],
      [b, ip2],
    ])
      expect((await send(id, ip)).status).toBe(202);
    expect(await db().collectorDay.findUniqueOrThrow({ where: { day: '2031-05-05' } })).toEqual({
      day: '2031-05-05',
      pings: 4,
      instances: 2,
      senders: 2,
    });
  });

  it('keeps the rollups exact under concurrent pings, and stores a concurrently retried event once', async () => {
    const at = new Date('2031-06-06T09:00:00Z');
    const instances = Array.from({ length: 5 }, () => randomUUID());
    const ips = Array.from({ length: 4 }, () => nextIp());
    const responses = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        handlePing(collectorRequest('/api/v1/ping', samplePing({ instanceId: instances[i % 5] }), { ip: ips[i % 4] }), {
          now: () => at,
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(24).fill(202));
    expect(await db().collectorDay.findUniqueOrThrow({ where: { day: '2031-06-06' } })).toEqual({
      day: '2031-06-06',
      pings: 24,
      instances: 5,
      senders: 4,
    });
    expect(await db().collectorInstance.count({ where: { instanceId: { in: instances } } })).toBe(5);

    const { handlePosthog } = await import('../../lib/collector/handlers');
    const event = { event: 'retry', distinct_id: randomUUID(), uuid: randomUUID() };
    const retries = await Promise.all(
      Array.from({ length: 6 }, () =>
        handlePosthog(collectorRequest('/batch/', { batch: [event] }, { ip: nextIp() }), { now: () => at }),
      ),
    );
    expect(retries.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect(await db().collectorEvent.count({ where: { uuid: event.uuid } })).toBe(1);
    // events are not pings
    expect((await db().collectorDay.findUniqueOrThrow({ where: { day: '2031-06-06' } })).pings).toBe(24);
  });

  it('stores a group-commit batch exactly: payload text, millisecond times, an instance twice', async () => {
    // PostgreSQL sends a batch as JSON parameters the database expands: nothing may change on the way.
    const { storeReports } = await import('../../lib/collector/store');
    const instanceId = randomUUID();
    const other = randomUUID();
    const first = new Date('2031-07-07T23:59:59.123Z');
    const later = new Date('2031-07-07T23:59:59.999Z');
    const tricky = {
      instanceId,
      note: 'quote " backslash \\ tab \t newline \n \u2028 é 𝄞 \ud83d\ude00 {"json":[1]}',
      nested: { a: [1.5, -0, 1e21, null, true] },
    };
    const state = (users?: number) => (users === undefined ? {} : { platform: { counts: { users } } });
    await storeReports(
      [
        {
          report: { instanceId, payload: tricky, droppedFields: 2, state: { ...state(7), os: { type: 'Linux' } } },
          sender: { receivedAt: first, senderHash: 'a'.repeat(64) },
        },
        {
          report: { instanceId: other, payload: { instanceId: other }, droppedFields: 0, state: state(3) },
          sender: { receivedAt: first, senderHash: 'b'.repeat(64) },
        },
        // The same instance again: later fields win, a field it lacks (os.type) keeps the earlier value.
        {
          report: { instanceId, payload: { instanceId }, droppedFields: 0, state: state(1200) },
          sender: { receivedAt: later, senderHash: 'a'.repeat(64) },
        },
      ],
      db(),
    );
    const rows = await db().collectorPing.findMany({ where: { instanceId }, orderBy: { receivedAt: 'asc' } });
    expect(rows.map((row) => [row.receivedAt.toISOString(), row.occurredAt.toISOString(), row.droppedFields])).toEqual([
      [first.toISOString(), first.toISOString(), 2],
      [later.toISOString(), later.toISOString(), 0],
    ]);
    expect(rows[0].payload).toBe(JSON.stringify(tricky));
    expect(rows[0].senderHash).toBe('a'.repeat(64));
    const instance = await db().collectorInstance.findUniqueOrThrow({ where: { instanceId } });
    expect(instance).toMatchObject({ firstSeenAt: first, lastSeenAt: later, osType: 'Linux', users: 1200 });
    expect(instance.usersBucket).toBe('1,000-9,999');
    expect(await db().collectorDay.findUniqueOrThrow({ where: { day: '2031-07-07' } })).toEqual({
      day: '2031-07-07',
      pings: 3,
      instances: 2,
      senders: 2,
    });
  });

  it('answers a database failure with a JSON 500 and no internals', async () => {
    const broken = createDb({ type: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' });
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await handlePing(collectorRequest('/api/v1/ping', samplePing(), { ip: nextIp() }), {
      client: broken,
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: 'internal_error',
      message: 'The report could not be stored; try again later',
    });
    expect(error).toHaveBeenCalledTimes(1);
    error.mockRestore();
    await broken.$disconnect();
  });
});
