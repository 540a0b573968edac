// Limits per sender count events and bytes, not only requests; they hold across
// replicas sharing one database; and hostile bodies are refused for about the
// cost of reading them, with nothing stored.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';
import { COLLECTOR, collectorRequest, samplePing, stoppedClock, withCollectorConfig } from '../helpers/collector';
import { handlePing, handlePosthog } from '../../lib/collector/handlers';
import { SenderLimits } from '../../lib/collector/sender-limits';

let ipCounter = 0;
const nextIp = () => `198.19.1.${++ipCounter}`;
const events = (count: number, distinctId = randomUUID()) =>
  Array.from({ length: count }, (_, i) => ({ event: `e${i}`, distinct_id: distinctId, uuid: randomUUID() }));

describe.each(DRIVERS)('collector limits on %s', (driver) => {
  const { db } = useTestDatabase(driver, { collector: COLLECTOR });

  it('counts events per sender: a batch over the minute allowance is refused whole (429)', async () => {
    const clock = stoppedClock();
    await withCollectorConfig({ maxEventsPerMinute: 100 }, async () => {
      const ip = nextIp();
      const distinctId = randomUUID();
      expect(
        (await handlePosthog(collectorRequest('/batch/', { batch: events(60, distinctId) }, { ip }), clock)).status,
      ).toBe(200);
      const refused = await handlePosthog(
        collectorRequest('/batch/', { batch: events(60, distinctId) }, { ip }),
        clock,
      );
      expect(refused.status).toBe(429);
      expect((await refused.json()).message).toContain('Too many events');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await db().collectorEvent.count({ where: { instanceId: distinctId } })).toBe(60);
      // Another sender is not affected.
      expect(
        (await handlePosthog(collectorRequest('/batch/', { batch: events(60) }, { ip: nextIp() }), clock)).status,
      ).toBe(200);
    });
  });

  it('counts bytes per sender, after gzip is inflated', async () => {
    const clock = stoppedClock();
    await withCollectorConfig({ maxBytesPerMinute: 20_000 }, async () => {
      const ip = nextIp();
      const big = { event: 'x', distinct_id: randomUUID(), properties: { note: 'a'.repeat(900) } };
      const statuses = [];
      for (let i = 0; i < 25; i++)
        statuses.push((await handlePosthog(collectorRequest('/capture/', big, { ip, gzip: true }), clock)).status);
      // ~1 KB inflated each (the gzip body is far smaller): about 20 pass, then 429.
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(15);
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(21);
      expect(statuses.at(-1)).toBe(429);
    });
  });

  it('holds across replicas: what one replica counted refuses at another after a sync', async () => {
    const limits = { requests: 3, events: 1000, bytes: 1e9 };
    const now = new Date();
    const sender = `sender-${randomUUID()}`;
    const replicaA = new SenderLimits(db());
    const replicaB = new SenderLimits(db());
    for (let i = 0; i < 3; i++) expect(replicaA.hit(sender, { requests: 1 }, limits, now).allowed).toBe(true);
    expect(replicaA.hit(sender, { requests: 1 }, limits, now).allowed).toBe(false);
    await replicaA.sync();
    // B has not heard yet: it may let one through (the documented overshoot), then learns the total.
    expect(replicaB.hit(sender, { requests: 1 }, limits, now).allowed).toBe(true);
    await replicaB.sync();
    expect(replicaB.hit(sender, { requests: 1 }, limits, now).allowed).toBe(false);
    await replicaA.sync();
    expect(replicaA.hit(sender, { requests: 1 }, limits, now).allowed).toBe(false);
    const rows = await db().rateLimit.findMany({ where: { key: { contains: sender } } });
    expect(rows.map((r) => r.count)).toEqual([4]);
    // A new minute is a new window.
    const later = new Date(now.getTime() + 60_000);
    expect(replicaB.hit(sender, { requests: 1 }, limits, later).allowed).toBe(true);
  });

  it("a sync after the wall clock's minute turned keeps the counts of the window its callers are in", async () => {
    const limits = { requests: 3, events: 1000, bytes: 1e9 };
    // A caller's clock two minutes behind the wall clock: the sync runs "in a later minute".
    const callerNow = new Date(Date.now() - 120_000);
    const sender = `sender-${randomUUID()}`;
    const replica = new SenderLimits(db());
    for (let i = 0; i < 3; i++) expect(replica.hit(sender, { requests: 1 }, limits, callerNow).allowed).toBe(true);
    await replica.sync();
    expect(replica.hit(sender, { requests: 1 }, limits, callerNow).allowed).toBe(false);
    await replica.stop();
  });

  it('stop() shares the counts not yet synced, and later hits schedule no more writes', async () => {
    const limits = { requests: 100, events: 1000, bytes: 1e9 };
    const now = new Date();
    const sender = `sender-${randomUUID()}`;
    const replica = new SenderLimits(db());
    for (let i = 0; i < 3; i++) replica.hit(sender, { requests: 1 }, limits, now);
    await replica.stop();
    const counts = async () =>
      (await db().rateLimit.findMany({ where: { key: { contains: sender } } })).map((r) => r.count);
    expect(await counts()).toEqual([3]);
    replica.hit(sender, { requests: 1 }, limits, now);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // past the sync interval
    expect(await counts()).toEqual([3]);
  });

  it('refuses 1 MB of zeros in one property with a 413 for about the cost of parsing it, storing nothing', async () => {
    const distinctId = randomUUID();
    const zeros = JSON.stringify({
      event: 'x',
      distinct_id: distinctId,
      properties: { p: new Array(500_000).fill(0) },
    });
    expect(zeros.length).toBeGreaterThan(1_000_000);
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage().heapUsed;
    const response = await handlePosthog(collectorRequest('/capture/', zeros, { ip: nextIp() }));
    const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
    expect(response.status).toBe(413);
    expect((await response.json()).message).toContain('more than 100000 JSON values');
    // Before: 0.5-1 s of CPU and hundreds of MB of path strings for this one body.
    expect(cpuMs).toBeLessThan(250);
    expect(process.memoryUsage().heapUsed - memory).toBeLessThan(100 * 1024 * 1024);
    expect(await db().collectorEvent.count({ where: { instanceId: distinctId } })).toBe(0);
  });

  it('stores a 500-event batch in one multi-row transaction, and concurrent pings by group commit', async () => {
    const distinctId = randomUUID();
    expect(
      (await handlePosthog(collectorRequest('/batch/', { batch: events(500, distinctId) }, { ip: nextIp() }))).status,
    ).toBe(200);
    expect(await db().collectorEvent.count({ where: { instanceId: distinctId } })).toBe(500);

    const instances = Array.from({ length: 30 }, () => randomUUID());
    const answers = await Promise.all(
      instances.map((instanceId) =>
        handlePing(collectorRequest('/api/v1/ping', samplePing({ instanceId }), { ip: nextIp() })),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(202));
    // 202 means committed: every ping and instance is there the moment the answers are.
    expect(await db().collectorPing.count({ where: { instanceId: { in: instances } } })).toBe(30);
    expect(await db().collectorInstance.count({ where: { instanceId: { in: instances } } })).toBe(30);
  });

  it('keeps the day rollups exact when concurrent ping batches from one sender commit side by side', async () => {
    const at = new Date();
    const clock = { now: () => at };
    const day = at.toISOString().slice(0, 10);
    const before = await db().collectorDay.findUnique({ where: { day } });
    const ip = nextIp();
    const instances = Array.from({ length: 60 }, () => randomUUID());
    const answers = await Promise.all(
      instances.map((instanceId) =>
        handlePing(collectorRequest('/api/v1/ping', samplePing({ instanceId }), { ip }), clock),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(60).fill(202));
    const after = await db().collectorDay.findUniqueOrThrow({ where: { day } });
    expect(after.pings - (before?.pings ?? 0)).toBe(60);
    expect(after.instances - (before?.instances ?? 0)).toBe(60);
    expect(after.senders - (before?.senders ?? 0)).toBe(1);
  });

  it('stores concurrent /batch/ requests by group commit: 200 means committed, a uuid twice counts once', async () => {
    const distinctId = randomUUID();
    const twice = { event: `dup-${randomUUID().slice(0, 8)}`, distinct_id: distinctId, uuid: randomUUID() };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        handlePosthog(collectorRequest('/batch/', { batch: [...events(20, distinctId), twice] }, { ip: nextIp() })),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(await db().collectorEvent.count({ where: { instanceId: distinctId } })).toBe(8 * 20 + 1);
    expect((await db().collectorEventDay.findMany({ where: { event: twice.event } })).map((r) => r.count)).toEqual([1]);
    expect(await db().collectorEventInstance.count({ where: { instanceId: distinctId } })).toBe(21);
  });
});
