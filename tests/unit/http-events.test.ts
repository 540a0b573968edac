import { describe, expect, it } from 'vitest';
import { BoundedQueue } from '../../lib/http-events/queue';
import { createRouteMatcher, isExcludedPath, UNMATCHED_ROUTE } from '../../lib/http-events/route-pattern';
import { hashClientAddress, normaliseAddress, redactQuery, toEventRow } from '../../lib/http-events/event-row';
import { latencyBucket, latencyBucketValue, rollUp } from '../../lib/http-events/rollup';
import { HOUR_MS, MINUTE_MS } from '../../lib/time-units';
import { loadConfig, ConfigError } from '../../lib/config';
import { plainEventRow } from '../helpers/http-events';

// The shape of .next/routes-manifest.json (Next 16), trimmed to a few routes.
const MANIFEST = {
  staticRoutes: [
    { page: '/', regex: '^/(?:/)?$' },
    { page: '/admin/users', regex: '^/admin/users(?:/)?$' },
    { page: '/admin/users/new', regex: '^/admin/users/new(?:/)?$' },
    { page: '/api/v1/ping', regex: '^/api/v1/ping(?:/)?$' },
  ],
  dynamicRoutes: [
    { page: '/admin/users/[id]', regex: '^/admin/users/([^/]+?)(?:/)?$' },
    { page: '/admin/users/[id]/delete', regex: '^/admin/users/([^/]+?)/delete(?:/)?$' },
    { page: '/api/auth/[...nextauth]', regex: '^/api/auth/(.+?)(?:/)?$' },
  ],
};

describe('route patterns', () => {
  const match = createRouteMatcher(MANIFEST);
  it.each([
    ['/', '/'],
    ['/admin/users', '/admin/users'],
    ['/admin/users/', '/admin/users'],
    ['/admin/users/new', '/admin/users/new'],
    ['/admin/users/cm4x1y2z3000', '/admin/users/[id]'],
    ['/admin/users/cm4x1y2z3000/delete', '/admin/users/[id]/delete'],
    ['/admin/users/cm4x1y2z3000.rsc', '/admin/users/[id]'],
    ['/api/auth/callback/credentials', '/api/auth/[...nextauth]'],
    ['/api/v1/ping', '/api/v1/ping'],
    ['/_next/image', '/_next/image'],
    ['/wp-login.php', UNMATCHED_ROUTE],
    ['/admin/users/a/b/c', UNMATCHED_ROUTE],
  ])('%s -> %s', (path, route) => {
    expect(match(path)).toBe(route);
  });

  it('excludes built static files only', () => {
    expect(isExcludedPath('/_next/static/chunks/app.js')).toBe(true);
    expect(isExcludedPath('/_next/image?url=x')).toBe(false);
    expect(isExcludedPath('/admin')).toBe(false);
  });
});

describe('bounded queue', () => {
  it('drops the oldest when full and counts the drops', () => {
    const queue = new BoundedQueue<number>(3);
    for (let i = 1; i <= 5; i++) queue.push(i);
    expect(queue.dropped).toBe(2);
    expect(queue.take(10)).toEqual([3, 4, 5]);
    expect(queue.length).toBe(0);
  });

  it('puts a failed batch back in front, dropping its oldest when there is no room', () => {
    const queue = new BoundedQueue<number>(4);
    [1, 2, 3].forEach((n) => queue.push(n));
    const batch = queue.take(2); // [1, 2]
    queue.push(4);
    queue.push(5); // queue: 3 4 5
    queue.putBack(batch); // room for one: 2 goes back, 1 is dropped
    expect(queue.dropped).toBe(1);
    expect(queue.take(10)).toEqual([2, 3, 4, 5]);
  });
});

describe('event rows', () => {
  const context = {
    namespace: 'flowforge',
    version: 'v1',
    target: 'host:3000',
    workerId: 'host:1:abc',
    storeClientIp: false,
    storeQueryValues: false,
    ipKey: 'k'.repeat(64),
    matchRoute: createRouteMatcher(MANIFEST),
  };
  const captured = {
    time: Date.UTC(2026, 11, 1, 12),
    elapsedUs: 1234.6,
    method: 'get',
    url: '/admin/users/abc123?token=s3cret&page=2',
    httpVersion: '1.1',
    status: 200,
    userAgent: 'x'.repeat(1000),
    clientAddress: '::ffff:203.0.113.9',
  };

  it('keeps the route pattern and the names of query parameters, never their values or the address', () => {
    const row = toEventRow(captured, context);
    expect(row).toMatchObject({
      workerRoute: '/admin/users/[id]',
      path: '/admin/users/abc123',
      queryParams: 'token&page',
      method: 'GET',
      status: 200,
      elapsed: 1235,
      httpVersion: '1.1',
      namespace: 'flowforge',
      version: 'v1',
    });
    expect(row.userAgent).toHaveLength(256);
    expect(row.ipAddr).toMatch(/^2001:db8(:[0-9a-f]{1,4}){6}$/);
    expect(JSON.stringify(row)).not.toContain('203.0.113.9');
    expect(JSON.stringify(row)).not.toContain('s3cret');
  });

  it('stores the plain address and query when configured', () => {
    const row = toEventRow(captured, { ...context, storeClientIp: true, storeQueryValues: true });
    expect(row.ipAddr).toBe('203.0.113.9');
    expect(row.queryParams).toBe('token=s3cret&page=2');
  });

  it('hashes with the key: same address same value, another key another value', () => {
    expect(hashClientAddress('203.0.113.9', 'a')).toBe(hashClientAddress('203.0.113.9', 'a'));
    expect(hashClientAddress('203.0.113.9', 'a')).not.toBe(hashClientAddress('203.0.113.9', 'b'));
    expect(hashClientAddress('203.0.113.9', 'a')).not.toBe(hashClientAddress('203.0.113.10', 'a'));
  });

  it('refuses what is not an address', () => {
    expect(normaliseAddress('unknown')).toBeNull();
    expect(normaliseAddress(undefined)).toBeNull();
    expect(normaliseAddress('::1')).toBe('::1');
    expect(redactQuery('', false)).toBeNull();
    expect(redactQuery('a=1&&b', false)).toBe('a&b');
  });
});

describe('latency buckets', () => {
  it('puts a value in a bucket whose middle is within 9.1% of it', () => {
    for (const us of [1.5, 10, 999, 1000, 12_345, 250_000, 3_000_000, 1e9]) {
      const middle = latencyBucketValue(latencyBucket(us));
      expect(Math.abs(middle - us) / us).toBeLessThan(0.091);
    }
  });

  it('rolls a batch up per minute and per hour, summing requests and elapsed', () => {
    const row = (minute: number, elapsedUs: number, status = 200) =>
      plainEventRow({ time: Date.UTC(2026, 11, 1, 12, minute, 30), elapsedUs, status });
    const rows = [row(0, 1000), row(0, 1010), row(1, 1000), row(1, 1000, 500)];
    const minutes = rollUp(rows, MINUTE_MS);
    expect(minutes.map((r) => [r.status, r.requests, r.elapsedSum])).toEqual([
      [200, 2, 2010],
      [200, 1, 1000],
      [500, 1, 1000],
    ]);
    const hours = rollUp(rows, HOUR_MS);
    expect(hours.map((r) => [r.bucketStart, r.status, r.requests])).toEqual([
      [Date.UTC(2026, 11, 1, 12), 200, 3],
      [Date.UTC(2026, 11, 1, 12), 500, 1],
    ]);
  });
});

describe('telemetry.httpEvents configuration', () => {
  const base = { FLOWFORGE_CONFIG: '/nonexistent/flowforge.yml' };
  it('is off by default, into the platform database, namespace flowforge, 30 days', () => {
    expect(loadConfig(base).telemetry.httpEvents).toEqual({
      enabled: false,
      namespace: 'flowforge',
      storeClientIp: false,
      storeQueryValues: false,
      retentionDays: 30,
    });
  });

  it('takes the database, namespace and version from the environment', () => {
    const config = loadConfig({
      ...base,
      FLOWFORGE_HTTP_EVENTS_POSTGRES: 'postgres://u:pw@db:5432/events',
      FLOWFORGE_HTTP_EVENTS_NAMESPACE: 'shop',
      FLOWFORGE_HTTP_EVENTS_VERSION: '2.3.4',
    }).telemetry.httpEvents;
    expect(config).toMatchObject({ postgres: 'postgres://u:pw@db:5432/events', namespace: 'shop', version: '2.3.4' });
  });

  it('refuses a connection string that is not PostgreSQL without repeating it', () => {
    try {
      loadConfig({ ...base, FLOWFORGE_HTTP_EVENTS_POSTGRES: 'mysql://u:hunter2@db/events' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(
        'environment variable FLOWFORGE_HTTP_EVENTS_POSTGRES must be a postgres:// connection string',
      );
    }
  });
});

describe('routes manifest and public files', () => {
  it('adds each file of public/ as a route of its own', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { readRoutesManifest } = await import('../../lib/http-events/recorder');
    const dir = mkdtempSync(path.join(tmpdir(), 'flowforge-routes-'));
    try {
      mkdirSync(path.join(dir, 'dist'));
      mkdirSync(path.join(dir, 'public/icons'), { recursive: true });
      writeFileSync(path.join(dir, 'dist/routes-manifest.json'), JSON.stringify(MANIFEST));
      writeFileSync(path.join(dir, 'public/favicon.ico'), '');
      writeFileSync(path.join(dir, 'public/icons/icon-192.png'), '');
      const match = createRouteMatcher(readRoutesManifest(path.join(dir, 'dist'), path.join(dir, 'public')));
      expect(match('/favicon.ico')).toBe('/favicon.ico');
      expect(match('/icons/icon-192.png')).toBe('/icons/icon-192.png');
      expect(match('/faviconXico')).toBe(UNMATCHED_ROUTE); // the dot is literal
      expect(match('/admin/users/x1')).toBe('/admin/users/[id]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
