// The PostHog-compatible endpoints: the capture API by hand (every accept and
// reject path) and the official posthog-node client over real HTTP, gzip
// included, on SQLite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostHog } from 'posthog-node';
import { DRIVERS } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';
import { SOCKET_ADDRESS_HEADER } from '../../lib/socket-address-header';
import { COLLECTOR, collectorRequest, withCollectorConfig } from '../helpers/collector';
import { startRouteServer } from '../helpers/route-server';
import { POST as capture } from '../../app/capture/route';
import { POST as batch } from '../../app/batch/route';
import { POST as e } from '../../app/e/route';
import { POST as iv0e } from '../../app/i/v0/e/route';
import { handlePosthog } from '../../lib/collector/handlers';

let ipCounter = 0;
const nextIp = () => `198.18.0.${++ipCounter}`;

describe.each(DRIVERS)('PostHog-compatible capture on %s', (driver) => {
  const { db } = useTestDatabase(driver, { collector: COLLECTOR });

  it.each([
    ['/capture/', capture],
    ['/e/', e],
    ['/i/v0/e/', iv0e],
  ])('%s stores one event, answers {"status":1}, and defaults the timestamp to server time', async (path, route) => {
    const distinctId = randomUUID();
    const before = Date.now();
    const response = await route(
      collectorRequest(
        path,
        { api_key: 'phc_x', event: 'server started', distinct_id: distinctId, properties: { uptime: 1 } },
        { ip: nextIp() },
      ),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 1 });
    const row = await db().collectorEvent.findFirstOrThrow({ where: { instanceId: distinctId } });
    expect(row).toMatchObject({ event: 'server started' });
    expect(row.occurredAt.getTime()).toBe(row.receivedAt.getTime());
    expect(row.receivedAt.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(JSON.parse(row.properties)).toEqual({ uptime: 1 });
    expect(JSON.stringify(row)).not.toContain('phc_x'); // the project key is not kept
  });

  it('takes distinct_id from properties and keeps a given timestamp', async () => {
    const distinctId = randomUUID();
    const response = await capture(
      collectorRequest(
        '/capture/',
        { event: 'daily', properties: { distinct_id: distinctId }, timestamp: '2026-01-02T03:04:05.000Z' },
        { ip: nextIp() },
      ),
    );
    expect(response.status).toBe(200);
    const row = await db().collectorEvent.findFirstOrThrow({ where: { instanceId: distinctId } });
    expect(row.occurredAt.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(JSON.parse(row.properties)).toEqual({});
  });

  it('stores each event of a /batch/ once, however often it is retried (uuid)', async () => {
    const distinctId = randomUUID();
    const events = [0, 1, 2].map((i) => ({ event: `e${i}`, distinct_id: distinctId, uuid: randomUUID() }));
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await batch(collectorRequest('/batch/', { api_key: 'k', batch: events }, { ip: nextIp() }));
      expect(await response.json()).toEqual({ status: 1 });
    }
    expect(await db().collectorEvent.count({ where: { instanceId: distinctId } })).toBe(3);
  });

  it('accepts a bare array on any endpoint', async () => {
    const distinctId = randomUUID();
    const response = await e(
      collectorRequest(
        '/e/',
        [
          { event: 'a', distinct_id: distinctId },
          { event: 'b', distinct_id: distinctId },
        ],
        { ip: nextIp() },
      ),
    );
    expect(response.status).toBe(200);
    expect(await db().collectorEvent.count({ where: { instanceId: distinctId } })).toBe(2);
  });

  it('inflates gzip given by Content-Encoding, by ?compression=gzip-js, or by its magic bytes', async () => {
    const distinctId = randomUUID();
    const body = gzipSync(JSON.stringify({ batch: [{ event: 'zipped', distinct_id: distinctId }] }));
    const requests = [
      collectorRequest('/batch/', body, { ip: nextIp(), headers: { 'content-encoding': 'gzip' } }),
      new Request('http://collector.test/batch/?compression=gzip-js', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'x-forwarded-for': nextIp(), [SOCKET_ADDRESS_HEADER]: '127.0.0.1' },
        body,
      }),
      collectorRequest('/batch/', body, { ip: nextIp() }),
    ];
    for (const request of requests) expect((await handlePosthog(request)).status).toBe(200);
    expect(await db().collectorEvent.count({ where: { instanceId: distinctId } })).toBe(3);
  });

  it('keeps events apart from pings: no ping, no instance, no day total, even with a platform payload', async () => {
    const distinctId = randomUUID();
    const properties = {
      os: { type: 'Darwin', release: '23.1', arch: 'arm64' },
      env: { nodejs: 'v22.1.0', flowforge: '2.0.0' },
      platform: { counts: { users: 5, teams: 1, projects: 0 }, config: { driver: 'postgres' } },
    };
    const days = await db().collectorDay.findMany();
    expect(
      (
        await capture(
          collectorRequest('/capture/', { event: 'ping', distinct_id: distinctId, properties }, { ip: nextIp() }),
        )
      ).status,
    ).toBe(200);
    expect(await db().collectorEvent.count({ where: { instanceId: distinctId } })).toBe(1);
    expect(await db().collectorPing.count({ where: { instanceId: distinctId } })).toBe(0);
    expect(await db().collectorInstance.findUnique({ where: { instanceId: distinctId } })).toBeNull();
    expect(await db().collectorDay.findMany()).toEqual(days);
  });

  it('never stores an email, address or path: refuses such a distinct_id or name, drops such properties', async () => {
    const count = await db().collectorEvent.count();
    for (const body of [
      { event: 'x', distinct_id: 'alice@example.test' },
      { event: 'x', distinct_id: 'victim＠example.test' },
      { event: 'x', properties: { distinct_id: '10.0.0.1' } },
      { event: 'opened /home/alice', distinct_id: 'a' },
      {
        batch: [
          { event: 'ok', distinct_id: 'a' },
          { event: 'x', distinct_id: '::1' },
        ],
      },
    ]) {
      const response = await handlePosthog(collectorRequest('/capture/', body, { ip: nextIp() }));
      expect(response.status).toBe(400);
      expect((await response.json()).message).toMatch(/must not contain an? (email address|IP address|file path)/);
    }
    expect(await db().collectorEvent.count()).toBe(count);

    const distinctId = randomUUID();
    const response = await capture(
      collectorRequest(
        '/capture/',
        {
          event: 'cli_command',
          distinct_id: distinctId,
          properties: {
            command: 'init',
            owner: 'alice@example.test',
            server: '10.0.0.1',
            home: '/home/alice',
            disguised: ['∕home∕alice', '0010.0.0.1', 'ok'],
            'bob@example.test': 1,
            lone: 'a\ud800b',
          },
        },
        { ip: nextIp() },
      ),
    );
    expect(response.status).toBe(200);
    const row = await db().collectorEvent.findFirstOrThrow({ where: { instanceId: distinctId } });
    expect(JSON.parse(row.properties)).toEqual({ command: 'init', disguised: ['ok'], lone: 'a\ufffdb' });
    expect(row.droppedFields).toBe(6);
    for (const text of ['example.test', '10.0.0.1', 'home', '0010']) expect(JSON.stringify(row)).not.toContain(text);
  });

  it('stores a lone surrogate as U+FFFD, the same on both databases', async () => {
    const distinctId = randomUUID();
    const text = `{"event":"lone\\udc00","distinct_id":"${distinctId}","properties":{"k\\ud800":"v\\ud800"}}`;
    expect((await capture(collectorRequest('/capture/', text, { ip: nextIp() }))).status).toBe(200);
    const row = await db().collectorEvent.findFirstOrThrow({ where: { instanceId: distinctId } });
    expect(row.event).toBe('lone\ufffd');
    expect(JSON.parse(row.properties)).toEqual({ 'k\ufffd': 'v\ufffd' });
  });

  it('stores a batch in one transaction: a failure stores none of it', async () => {
    const distinctId = randomUUID();
    const duplicate = randomUUID();
    // The same uuid twice in one batch is one event, not a failure.
    const events = [
      { event: 'a', distinct_id: distinctId, uuid: duplicate },
      { event: 'b', distinct_id: distinctId, uuid: duplicate },
      { event: 'c', distinct_id: distinctId, uuid: randomUUID() },
    ];
    expect((await batch(collectorRequest('/batch/', { batch: events }, { ip: nextIp() }))).status).toBe(200);
    expect(await db().collectorEvent.count({ where: { instanceId: distinctId } })).toBe(2);
  });

  it.each([
    ['a missing event name', { distinct_id: 'x' }, 'event'],
    ['a missing distinct_id', { event: 'x', properties: {} }, 'distinct_id'],
    ['properties that are not an object', { event: 'x', distinct_id: 'x', properties: 'p' }, 'properties'],
    ['a timestamp that is not a date', { event: 'x', distinct_id: 'x', timestamp: 'yesterday' }, 'timestamp'],
    ['a batch that is not an array', { batch: { event: 'x' } }, 'batch'],
    ['an empty batch', { batch: [] }, 'batch'],
    [
      'a bad event inside a batch',
      { batch: [{ event: 'ok', distinct_id: 'x' }, { distinct_id: 'x' }] },
      'batch[1].event',
    ],
  ])('rejects %s with 400 naming the field and stores nothing', async (_label, body, path) => {
    const count = await db().collectorEvent.count();
    const response = await handlePosthog(collectorRequest('/capture/', body, { ip: nextIp() }));
    expect(response.status).toBe(400);
    const answer = await response.json();
    expect(answer.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect(await db().collectorEvent.count()).toBe(count);
  });

  it('rejects broken JSON, a bad gzip body and non-JSON content types', async () => {
    expect((await handlePosthog(collectorRequest('/capture/', '{nope', { ip: nextIp() }))).status).toBe(400);
    const badGzip = await handlePosthog(
      collectorRequest('/capture/', Buffer.from([0x1f, 0x8b, 1, 2, 3]), { ip: nextIp() }),
    );
    expect(badGzip.status).toBe(400);
    expect((await badGzip.json()).error).toBe('invalid_gzip');
    expect(
      (
        await handlePosthog(
          collectorRequest('/capture/', 'a=b', { ip: nextIp(), headers: { 'content-type': 'multipart/form-data' } }),
        )
      ).status,
    ).toBe(415);
  });

  // PostgreSQL cannot store a NUL character; nesting too deep cannot be checked.
  it('answers 400, storing nothing, to a NUL character or nesting too deep to check', async () => {
    const distinctId = randomUUID();
    const nul = await batch(
      collectorRequest(
        '/batch/',
        {
          batch: [
            { event: 'ok', distinct_id: distinctId },
            { event: 'x', distinct_id: distinctId, properties: { 'k\u0000': 1 } },
          ],
        },
        { ip: nextIp() },
      ),
    );
    expect(nul.status).toBe(400);
    expect(await nul.json()).toMatchObject({
      error: 'invalid_text',
      message: expect.stringContaining('batch[1].properties.k'),
    });
    const nulValue = await e(collectorRequest('/e/', { event: 'a\u0000b', distinct_id: distinctId }, { ip: nextIp() }));
    expect(nulValue.status).toBe(400);
    expect((await nulValue.json()).message).toContain('event contains a NUL character');
    // Deep enough to overflow the stack of the checks after parsing: was a 500 "try again later".
    const nested = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    const deep = `{"event":"x","distinct_id":"${distinctId}","properties":{"p":${nested}}}`;
    const tooDeep = await e(collectorRequest('/e/', deep, { ip: nextIp() }));
    expect(tooDeep.status).toBe(400);
    expect(await tooDeep.json()).toMatchObject({ error: 'too_deep', message: expect.stringContaining('properties.p') });
    const fine = await e(
      collectorRequest(
        '/e/',
        { event: 'x', distinct_id: distinctId, properties: { a: { b: { c: [[['deep enough']]] } } } },
        { ip: nextIp() },
      ),
    );
    expect(fine.status).toBe(200);
    expect(await db().collectorEvent.count({ where: { instanceId: distinctId } })).toBe(1);
  });

  it('answers 413 to a batch longer than the limit, storing none of it', async () => {
    const distinctId = randomUUID();
    const events = Array.from({ length: 501 }, (_, i) => ({ event: `e${i}`, distinct_id: distinctId }));
    const response = await batch(collectorRequest('/batch/', { batch: events }, { ip: nextIp() }));
    expect(response.status).toBe(413);
    expect((await response.json()).message).toContain('at most 500 events');
    expect(await db().collectorEvent.count({ where: { instanceId: distinctId } })).toBe(0);
  });

  it('answers 404 when the collector is off', async () => {
    await withCollectorConfig({ enabled: false }, async () => {
      expect(
        (await batch(collectorRequest('/batch/', { batch: [{ event: 'x', distinct_id: 'y' }] }, { ip: nextIp() })))
          .status,
      ).toBe(404);
    });
  });

  describe('the official posthog-node client', () => {
    let server: Awaited<ReturnType<typeof startRouteServer>>;
    beforeAll(async () => {
      server = await startRouteServer();
    });
    afterAll(async () => {
      await server.close();
    });

    it.each([
      ['gzip (the default)', false, 'gzip'],
      ['compression disabled', true, undefined],
    ])('delivers captured events end to end with %s', async (_label, disableCompression, encoding) => {
      const instanceId = randomUUID();
      const client = new PostHog('phc_local_test', {
        host: server.url,
        flushAt: 50,
        flushInterval: 0,
        disableCompression,
        fetchRetryCount: 0,
      });
      client.capture({
        distinctId: instanceId,
        event: 'server started',
        properties: {
          os: { type: 'Linux', release: '6.1', arch: 'x64' },
          env: { nodejs: 'v20.20.2', flowforge: '3.1.0' },
        },
      });
      client.capture({ distinctId: instanceId, event: 'server stopped', properties: { uptimeSeconds: 42 } });
      await client.shutdown(5000);

      const posted = server.seen.filter((r) => r.method === 'POST' && r.path.startsWith('/batch/'));
      expect(posted.length).toBeGreaterThan(0);
      expect(posted.at(-1)).toMatchObject({ status: 200, contentEncoding: encoding });
      const rows = await db().collectorEvent.findMany({ where: { instanceId }, orderBy: { occurredAt: 'asc' } });
      expect(rows.map((r) => r.event).sort()).toEqual(['server started', 'server stopped']);
      expect(JSON.parse(rows.find((r) => r.event === 'server stopped')!.properties)).toMatchObject({
        uptimeSeconds: 42,
        $lib: 'posthog-node',
      });
      expect(JSON.parse(rows.find((r) => r.event === 'server started')!.properties)).toMatchObject({
        env: { flowforge: '3.1.0' },
      });
    });
  });
});
