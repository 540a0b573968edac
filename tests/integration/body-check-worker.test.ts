// Large capture bodies are checked in a worker thread (lib/collector/body-check-worker.ts);
// small ones on the request's thread. Both must give the same answer to every body, and
// the worker must come back after it is ended.
import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKGROUND_NICE } from '../../lib/collector/background-priority';
import { checkPosthogBody } from '../../lib/collector/posthog-check';
import {
  bodyWorkerExternalBytes,
  checkPosthogBodyInWorker,
  stopBodyCheckWorker,
} from '../../lib/collector/body-check-worker';
import { validBatchBody, ZEROS_BODY } from '../helpers/hostile-bodies';
import { threadNice } from '../helpers/process-memory';

afterAll(stopBodyCheckWorker);

const event = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  event: 'cli_command',
  distinct_id: 'instance-1',
  uuid: '0b0e5a3c-1b7e-4c55-9a77-1d1c7b1e0f01',
  properties,
  ...extra,
});

const BODIES: Record<string, string> = {
  'a valid 1 MB batch': validBatchBody(),
  '500,000 zeros in one property': ZEROS_BODY,
  'invalid JSON': '{"event": "x", ',
  'a NUL character': JSON.stringify(event({ note: 'a\u0000b' })),
  'nesting too deep': `${'['.repeat(100)}${']'.repeat(100)}`,
  'no distinct_id': JSON.stringify({ event: 'x', properties: {} }),
  'an email as distinct_id': JSON.stringify(event({}, { distinct_id: 'alice@example.test' })),
  'an event over 64 KiB': JSON.stringify(event({ note: 'x'.repeat(70_000) })),
  'a batch of 501 events': JSON.stringify({ batch: Array.from({ length: 501 }, () => event({})) }),
  'facets and dropped properties': JSON.stringify(
    event({ command: 'config set', error_type: 'TypeError', is_ci: true, $ip: '10.0.0.1', home: '/home/alice' }),
  ),
};

describe('the body check in its worker thread', () => {
  it.each(Object.keys(BODIES))('answers %s as the request thread does', async (name) => {
    const bytes = Buffer.from(BODIES[name]);
    const here = await checkPosthogBody(bytes);
    const there = await checkPosthogBodyInWorker(Buffer.from(BODIES[name]));
    expect(there).toEqual(here);
  });

  it('refuses and accepts what it should (not only "the same")', async () => {
    const zeros = await checkPosthogBodyInWorker(Buffer.from(ZEROS_BODY));
    expect(zeros).toMatchObject({ ok: false, status: 413, code: 'payload_too_large' });
    const batch = await checkPosthogBodyInWorker(Buffer.from(validBatchBody()));
    expect(batch.ok && batch.events.length).toBe(500);
    const facets = await checkPosthogBodyInWorker(Buffer.from(BODIES['facets and dropped properties']));
    expect(facets.ok && facets.events[0].facets).toEqual([
      ['is_ci', 'true'],
      ['error_type', 'TypeError'],
      ['command', 'config set'],
    ]);
  });

  it('moves the bytes to the worker (the caller keeps an empty buffer) and starts again after it ends', async () => {
    const body = Buffer.from(validBatchBody());
    await checkPosthogBodyInWorker(body);
    expect(body.byteLength).toBe(0);
    await stopBodyCheckWorker();
    const again = await checkPosthogBodyInWorker(Buffer.from(validBatchBody()));
    expect(again.ok).toBe(true);
  });

  it('frees each body once checked: 40 refused 1 MB bodies leave no pile of bytes in the worker', async () => {
    // Left to the worker's collector, these buffers stayed: its small heap hardly grows
    // while checking zeros, so it seldom collects (38 MB after these 40 before the release, 3.7 MB with it).
    for (let sent = 0; sent < 40; sent++) {
      const refused = await checkPosthogBodyInWorker(Buffer.from(ZEROS_BODY));
      expect(refused.ok).toBe(false);
    }
    expect(await bodyWorkerExternalBytes()).toBeLessThan(8 * 1024 * 1024);
  });
});

describe.runIf(process.platform === 'linux')('the body worker thread', () => {
  // Bulk ingest gives way to the request thread when the cores are busy (bench:hostile: /login p99).
  it('runs at background priority while the request thread keeps its own', async () => {
    const mainBefore = threadNice(String(process.pid));
    const threadsBefore = new Set(readdirSync(`/proc/${process.pid}/task`));
    await stopBodyCheckWorker();
    expect((await checkPosthogBodyInWorker(Buffer.from(JSON.stringify(event({ a: 1 }))))).ok).toBe(true);
    const started = readdirSync(`/proc/${process.pid}/task`).filter((task) => !threadsBefore.has(task));
    expect(started.map((task) => threadNice(task))).toContain(Math.max(BACKGROUND_NICE, mainBefore));
    expect(threadNice(String(process.pid))).toBe(mainBefore);
  });
});
