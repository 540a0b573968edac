// Requests for the collector's route handlers, sent from a chosen address:
// `ip` goes into X-Forwarded-For (believed because tests enable
// collector.trustProxy), `peer` into the TCP-peer header that
// lib/socket-address.ts stamps on every request of the real server.
import { gzipSync } from 'node:zlib';
import { getConfig, setConfig, type Config } from '../../lib/config';
import { SOCKET_ADDRESS_HEADER } from '../../lib/socket-address-header';

export const COLLECTOR = {
  enabled: true,
  trustProxy: true,
  retentionDays: 365,
  maxRequestsPerMinute: 1000,
  maxEventsPerMinute: 100_000,
  maxBytesPerMinute: 1024 * 1024 * 1024,
};

export function collectorRequest(
  path: string,
  body: unknown,
  {
    ip = '198.51.100.1',
    peer = '127.0.0.1',
    headers = {},
    gzip = false,
  }: { ip?: string; peer?: string; headers?: Record<string, string>; gzip?: boolean } = {},
): Request {
  const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const payload = gzip ? gzipSync(text) : text;
  return new Request(`http://collector.test${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': ip,
      [SOCKET_ADDRESS_HEADER]: peer,
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      ...headers,
    },
    body: new Uint8Array(typeof payload === 'string' ? Buffer.from(payload) : payload),
  });
}

export function samplePing(overrides: Record<string, unknown> = {}) {
  return {
    instanceId: '6f1c1f9e-8a4b-4c2e-9a57-1f0d6f1b2c3d',
    os: { type: 'Linux', release: '6.1.0-18-amd64', arch: 'x64' },
    env: { nodejs: 'v20.20.2', flowforge: '0.1.0' },
    platform: { counts: { users: 12, teams: 3, projects: 40 }, config: { driver: 'sqlite' } },
    ...overrides,
  };
}

/**
 * A clock that stays at the moment it was made. The sender limits count fixed UTC minutes: a test
 * that sends until it sees a 429 holds one clock, since a loop that crossed into the next minute on
 * a slow machine would start a fresh window and never see its 429.
 */
export function stoppedClock(): { now: () => Date } {
  const at = new Date();
  return { now: () => at };
}

/** Runs `fn` with collector settings changed, restoring them afterwards. */
export async function withCollectorConfig<T>(changes: Partial<Config['collector']>, fn: () => Promise<T>): Promise<T> {
  const before = getConfig();
  setConfig({ ...before, collector: { ...before.collector, ...changes } });
  try {
    return await fn();
  } finally {
    setConfig(before);
  }
}
