// The events client against a real HTTP receiver: what goes on the wire is the
// example Admin Settings shows, batches hold at most 100 events, a flood keeps
// the queue bounded and counts what it drops without a log line per event, a
// dead collector sees one request per back-off, and closing never waits
// longer than its bound.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildEventMessage, EXAMPLE_PROPERTIES, wireEvent } from '../../lib/events/catalog';
import { createEventsClient, EVENTS_BATCH_SIZE, type EventsClientOptions } from '../../lib/events/client';
import { POSTHOG_NODE_VERSION } from '../../lib/events/posthog-version';
import { startEventsReceiver, type EventsReceiver } from '../helpers/events-receiver';
import { EVENT_CONTEXT as context } from '../helpers/event-context';

/** A client of `host` (key "k") whose warnings are kept in `warnings` instead of printed. */
function quietClient(host: string, options: Omit<EventsClientOptions, 'host' | 'apiKey' | 'warn'>) {
  const warnings: string[] = [];
  const client = createEventsClient({ host, apiKey: 'k', ...options, warn: (line) => warnings.push(line) });
  return { client, warnings };
}
const heartbeat = (uptime: number) => buildEventMessage('server_heartbeat', { uptime_seconds: uptime }, context);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** Heap in use after a full collection: what is really retained. */
function retainedHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

let receiver: EventsReceiver | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await receiver?.close();
  receiver = undefined;
});

describe('events client', () => {
  it('sends gzip batches of at most 100 to /batch/, each event exactly as the example shows it', async () => {
    receiver = await startEventsReceiver();
    const client = createEventsClient({ host: receiver.host, apiKey: 'phc_test', timeoutMs: 3000 });
    const example = buildEventMessage('admin_action', EXAMPLE_PROPERTIES.admin_action, context);
    client.capture(example);
    for (let i = 0; i < 249; i++) client.capture(heartbeat(i));
    await client.close(5000);

    expect(receiver.batches.map((b) => b.body.batch.length)).toEqual([100, 100, 50]);
    expect(receiver.batches.every((b) => b.path === '/batch/' && b.gzip && b.body.api_key === 'phc_test')).toBe(true);
    const [first] = receiver.events();
    const shown = wireEvent(example, POSTHOG_NODE_VERSION, new Date(String(first.timestamp)), String(first.uuid));
    expect(JSON.stringify(first)).toBe(JSON.stringify(shown)); // same keys, same order, same values
    expect(client.counters()).toMatchObject({ sent: 250, dropped: 0, failed: 0, withheld: 0, queued: 0 });
  });

  it('a flood keeps the queue at its limit, counts the drops and writes no log line per event', async () => {
    receiver = await startEventsReceiver('hang');
    const logged = [vi.spyOn(console, 'warn'), vi.spyOn(console, 'error'), vi.spyOn(console, 'log')];
    const { client, warnings } = quietClient(receiver.host, { timeoutMs: 500, queueLimit: 1000 });
    const before = retainedHeap();
    for (let i = 0; i < 20_000; i++) client.capture(heartbeat(i));
    await new Promise((resolve) => setTimeout(resolve, 200)); // captures are queued asynchronously
    const counters = client.counters();
    expect(counters.queued).toBeLessThanOrEqual(1000);
    expect(counters.dropped).toBeGreaterThanOrEqual(19_000 - EVENTS_BATCH_SIZE);
    expect(counters.dropped + counters.queued + counters.sent + counters.failed).toBe(20_000);
    // 1,000 queued events are about 1 MB; 20,000 kept would be about 20 MB.
    const retained = retainedHeap() - before;
    expect(retained).toBeLessThan(5 * 1024 * 1024);
    await client.close(600);
    for (const spy of logged) expect(spy).not.toHaveBeenCalled();
    expect(warnings.length).toBeLessThanOrEqual(1);
  });

  it('a collector answering 503 gets one request per back-off, not one per event', async () => {
    receiver = await startEventsReceiver(503);
    const { client, warnings } = quietClient(receiver.host, {
      timeoutMs: 1000,
      batchSize: 10,
      flushIntervalMs: 100,
      backoffMs: 400,
    });
    const started = Date.now();
    while (Date.now() - started < 1200) {
      for (let i = 0; i < 20; i++) client.capture(heartbeat(i));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The receiver may have answered a request whose answer the client has not read yet (CI,
    // 2026-12-07: 3 requests, 20 failed): wait until every request received is counted.
    await expect
      .poll(() => client.counters().failed - receiver!.batches.length * 10, { timeout: 3000, interval: 5 })
      .toBe(0);
    const requests = receiver.batches.length;
    // 1.2 s with a 0.4 s back-off: about 3 requests (4 with timing slack), never hundreds.
    expect(requests).toBeGreaterThanOrEqual(2);
    expect(requests).toBeLessThanOrEqual(5);
    expect(client.counters().lastError).toBe('HTTP 503');
    expect(warnings).toEqual([expect.stringContaining('failed: HTTP 503')]);
    await client.close(200);
  });

  it('close() returns within its bound when the collector never answers; what was left counts as failed', async () => {
    receiver = await startEventsReceiver('hang');
    const { client } = quietClient(receiver.host, { timeoutMs: 3000 });
    client.capture(heartbeat(1));
    const started = Date.now();
    await client.close(800);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(750);
    expect(elapsed).toBeLessThan(2500); // not the 3 s request timeout (margin for a busy machine)
    expect(receiver.batches).toHaveLength(1); // it did try
    expect(client.counters()).toMatchObject({ sent: 0, failed: 1 });
    client.capture(heartbeat(2)); // after close: ignored
    expect(client.counters().queued).toBe(0);
  });

  it('a refused connection keeps the events queued for the next flush', async () => {
    receiver = await startEventsReceiver();
    const host = receiver.host;
    await receiver.close();
    receiver = undefined;
    const { client } = quietClient(host, { timeoutMs: 1000 });
    client.capture(heartbeat(1));
    await client.close(1000);
    expect(client.counters()).toMatchObject({ sent: 0, failed: 1, lastError: 'refused' });
  });

  it('a batch whose events were queued while on is withheld when telemetry is off as it leaves', async () => {
    receiver = await startEventsReceiver();
    let on = true;
    let checks = 0;
    const stillOn = async () => (checks++, on);
    const { client } = quietClient(receiver.host, { timeoutMs: 3000, batchSize: 10, flushIntervalMs: 60_000, stillOn });
    for (let i = 0; i < 10; i++) client.capture(heartbeat(i)); // a full batch leaves at once
    await expect.poll(() => client.counters().sent, { timeout: 5000 }).toBe(10);
    for (let i = 10; i < 15; i++) client.capture(heartbeat(i)); // these wait for the interval
    on = false; // turned off while 5 wait
    await client.close(3000);
    expect(receiver.events()).toHaveLength(10);
    expect(client.counters()).toMatchObject({ sent: 10, withheld: 5, failed: 0, queued: 0 });
    expect(checks).toBe(2); // one check a batch
  });

  it('a check that fails lets the batch go: each event was checked when it was queued', async () => {
    receiver = await startEventsReceiver();
    const stillOn = () => Promise.reject(new Error('database unreachable'));
    const { client } = quietClient(receiver.host, { timeoutMs: 3000, stillOn });
    client.capture(heartbeat(1));
    await client.close(3000);
    expect(client.counters()).toMatchObject({ sent: 1, withheld: 0 });
  });
});
