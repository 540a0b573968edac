// Hostile and heavy bodies cost the collector about what reading them costs:
// while 4 clients keep sending 1 MB bodies of 500,000 zeros (refused, 413) and
// valid 1 MB batches of 500 events (stored, one transaction each), sign-in
// pages keep answering and the server's memory stays bounded (the latency target itself
// is measured by bench/hostile.ts, where nothing else shares the cores).
// Before: /login p99 1.9 s and RSS 820 MB (per-element path strings of the
// body check; one transaction per event); then 150-190 MB over idle, most of it
// the main heap holding the garbage of parsing (now done in a worker thread with
// a capped heap: lib/collector/body-check-worker.ts).
import { expect, test } from '@playwright/test';
import { validBatchBody, ZEROS_BODY } from '../helpers/hostile-bodies';
import { mb, treeRssBytes } from '../helpers/process-memory';
import { startPlatform, UNLIMITED_COLLECTOR, type Platform } from './platform';

let platform: Platform;
test.beforeAll(async () => {
  platform = await startPlatform({ config: { collector: UNLIMITED_COLLECTOR } });
});
test.afterAll(async () => {
  await platform?.stop();
});

const treeRssMb = (pid: number) => mb(treeRssBytes(pid));

async function loginLatencies(minSamples: number, minMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const started = Date.now();
  while (Date.now() - started < minMs || latencies.length < minSamples) {
    const t = performance.now();
    const response = await fetch(`${platform.url}/login`);
    await response.text();
    latencies.push(performance.now() - t);
    expect(response.status).toBeLessThan(500);
  }
  return latencies.sort((a, b) => a - b);
}
const p = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];

test('hostile and 1 MB bodies from 4 clients: /login keeps answering, RSS within 160 MB of idle', async () => {
  test.setTimeout(240_000);
  expect(Buffer.byteLength(ZEROS_BODY)).toBeGreaterThan(1_000_000);
  const one = await fetch(`${platform.url}/capture/`, { method: 'POST', body: ZEROS_BODY });
  expect(one.status).toBe(413);
  // The same page with nothing else going on: on a machine shared with other work, its p99
  // says whether a 100 ms bound can be measured at all.
  const idle = await loginLatencies(50, 3000);
  const idleRss = treeRssMb(platform.pid());

  let running = true;
  const statuses = new Map<number, number>();
  let peakRss = 0;
  const clients = Array.from({ length: 4 }, async (_, client) => {
    for (let i = 0; running; i++) {
      const hostile = (client + i) % 2 === 0;
      const response = await fetch(`${platform.url}${hostile ? '/capture/' : '/batch/'}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: hostile ? ZEROS_BODY : validBatchBody(),
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
  });
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, treeRssMb(platform.pid()))), 100);
  const latencies = await loginLatencies(30, 10_000);
  running = false;
  await Promise.all(clients);
  clearInterval(sampler);

  const p99 = p(latencies, 0.99);
  const summary = [
    `login under load p50 ${p(latencies, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (n=${latencies.length})`,
    `idle p50 ${p(idle, 0.5).toFixed(1)} ms, p99 ${p(idle, 0.99).toFixed(1)} ms`,
    `peak RSS ${peakRss.toFixed(0)} MB (idle ${idleRss.toFixed(0)} MB)`,
    `answers ${JSON.stringify([...statuses])}`,
  ].join('; ');
  console.log(summary);
  expect(statuses.get(413) ?? 0, summary).toBeGreaterThan(0);
  expect(statuses.get(200) ?? 0, summary).toBeGreaterThan(0);
  expect(
    [...statuses.keys()].every((status) => status === 200 || status === 413),
    summary,
  ).toBe(true);
  // The bound was 400 MB for a server idling at 240 MB: a 160 MB budget for the load.
  // The server now idles higher (usage events, HTTP events, sessions: 270-280 MB here), so the
  // budget is what is asserted; the absolute peak is printed above and stated in the notes.
  expect(peakRss - idleRss, summary).toBeLessThan(160);
  // The 100 ms target is measured by `npm run bench:hostile`, on an otherwise idle machine. Here
  // the other Playwright workers share the cores (in CI runs: idle p99 41-204 ms, under load
  // 290-1,250 ms), so only a stall is asserted: the median staying within a few idle p99s.
  // Before the collector's fixes the server stalled behind the bodies (p99 1.9 s on a quiet machine).
  expect(p(latencies, 0.5), summary).toBeLessThan(Math.max(500, 5 * p(idle, 0.99)));
  // Every accepted batch was stored whole.
  expect((await platform.db.collectorEvent.count()) % 500).toBe(0);
  expect(await platform.db.collectorEvent.count({ where: { instanceId: 'hostile' } })).toBe(0);
});
