// The dashboard figures come from rollups kept at ingest; they must equal what
// a full scan of the stored pings says. Also: retention deletes what is old,
// once per hour across replicas, and never throws.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';
import { COLLECTOR, collectorRequest, samplePing } from '../helpers/collector';
import { handlePing } from '../../lib/collector/handlers';
import { getCollectorStats } from '../../lib/collector/stats';
import { deleteExpired, runRetention } from '../../lib/collector/retention';
import { bucketOf, nodeMajor } from '../../lib/collector/report-schema';
import { createDb } from '../../lib/db-client';
import { guardedRun } from '../../lib/jobs';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2030-07-15T12:00:00Z');
const VERSIONS = ['1.0.0', '1.1.0', '2.0.0'];
const OSES = ['Linux', 'Darwin', 'Windows_NT'];

/** A seeded mix: 12 instances, pinging on different days from different addresses. */
function seededMix() {
  const reports: { at: Date; ip: string; body: ReturnType<typeof samplePing> }[] = [];
  for (let i = 0; i < 12; i++) {
    const instanceId = randomUUID();
    const daysAgo = [0, 0, 0, 2, 3, 5, 9, 12, 20, 29, 40, 45][i];
    for (let k = 0; k < 1 + (i % 3); k++) {
      const at = new Date(NOW.getTime() - (daysAgo + k) * DAY - i * 60_000);
      reports.push({
        at,
        ip: `100.64.${i % 5}.${k}`,
        body: samplePing({
          instanceId,
          os: { type: OSES[i % 3], release: '1', arch: i % 4 === 0 ? 'arm64' : 'x64' },
          env: { nodejs: i % 2 ? 'v20.11.0' : 'v22.3.0', flowforge: VERSIONS[(i + k) % 3] },
          platform: {
            counts: { users: i * 7, teams: i, projects: i * 120 },
            config: { driver: i % 2 ? 'postgres' : 'sqlite' },
          },
        }),
      });
    }
  }
  return reports.sort((a, b) => a.at.getTime() - b.at.getTime());
}

describe.each(DRIVERS)('collector dashboard figures and retention on %s', (driver) => {
  const { db } = useTestDatabase(driver, { collector: COLLECTOR });

  it('rollup-based figures equal a full scan of the stored pings', async () => {
    for (const report of seededMix()) {
      expect(
        (await handlePing(collectorRequest('/api/v1/ping', report.body, { ip: report.ip }), { now: () => report.at }))
          .status,
      ).toBe(202);
    }
    const stats = await getCollectorStats({ now: NOW, retentionDays: 365 }, db());

    // The naive way: read every ping.
    const pings = await db().collectorPing.findMany({ orderBy: { receivedAt: 'asc' } });
    const latest = new Map<string, { at: Date; payload: ReturnType<typeof samplePing> }>();
    for (const ping of pings) latest.set(ping.instanceId, { at: ping.receivedAt, payload: JSON.parse(ping.payload) });
    const activeSince = (days: number) =>
      [...latest.values()].filter((l) => l.at.getTime() >= NOW.getTime() - days * DAY);
    const recent = activeSince(30);
    const share = (pick: (p: ReturnType<typeof samplePing>) => string) => {
      const counts = new Map<string, number>();
      for (const { payload } of recent) counts.set(pick(payload), (counts.get(pick(payload)) ?? 0) + 1);
      return Object.fromEntries(counts);
    };
    const asObject = (shares: { label: string; instances: number }[]) =>
      Object.fromEntries(shares.filter((s) => s.instances > 0).map((s) => [s.label, s.instances]));

    expect(stats.active).toEqual({ day1: activeSince(1).length, day7: activeSince(7).length, day30: recent.length });
    expect(stats.active.day1).toBeGreaterThan(0);
    expect(stats.active.day30).toBeLessThan(latest.size); // instances 10 and 11 are older than 30 days
    expect(asObject(stats.versions)).toEqual(share((p) => p.env.flowforge));
    expect(asObject(stats.osTypes)).toEqual(share((p) => p.os.type));
    expect(asObject(stats.arches)).toEqual(share((p) => p.os.arch));
    expect(asObject(stats.nodeMajors)).toEqual(share((p) => nodeMajor(p.env.nodejs)));
    expect(asObject(stats.drivers)).toEqual(share((p) => p.platform.config.driver));
    expect(asObject(stats.distributions.projects)).toEqual(share((p) => bucketOf(p.platform.counts.projects)));
    expect(stats.totals.users).toBe(recent.reduce((sum, l) => sum + l.payload.platform.counts.users, 0));
    expect(stats.totals.projects).toBe(recent.reduce((sum, l) => sum + l.payload.platform.counts.projects, 0));

    const perDay = new Map<string, { pings: number; instances: Set<string>; senders: Set<string> }>();
    for (const ping of pings) {
      const day = ping.receivedAt.toISOString().slice(0, 10);
      const entry = perDay.get(day) ?? { pings: 0, instances: new Set(), senders: new Set() };
      entry.pings += 1;
      entry.instances.add(ping.instanceId);
      entry.senders.add(ping.senderHash);
      perDay.set(day, entry);
    }
    const nonEmpty = stats.days.filter((d) => d.pings > 0);
    expect(nonEmpty).toEqual(
      [...perDay.entries()].map(([day, e]) => ({
        day,
        pings: e.pings,
        instances: e.instances.size,
        senders: e.senders.size,
      })),
    );
    expect(stats.days.at(-1)!.day).toBe('2030-07-15');
    expect(stats.storedPings).toBe(pings.length);
    expect(stats.windowStart).toBe('2029-07-15');
  });

  // Pings, events, day rollups, silent instances and old salts.
  it('retention deletes what lies beyond the window, and keeps the rest', async () => {
    const before = await db().collectorPing.count();
    const cutoff = new Date(NOW.getTime() - 30 * DAY);
    const old = await db().collectorPing.count({ where: { receivedAt: { lt: cutoff } } });
    expect(old).toBeGreaterThan(0);
    await db().rateLimit.create({
      data: { key: 'collector:finished-window', count: 3, resetAt: new Date(NOW.getTime() - 1000) },
    });
    await db().rateLimit.create({
      data: { key: 'collector:open-window', count: 3, resetAt: new Date(NOW.getTime() + 30_000) },
    });
    const event = (receivedAt: Date, uuid: string) => ({
      uuid,
      event: 'server_started',
      instanceId: 'i',
      occurredAt: receivedAt,
      receivedAt,
      senderHash: 'h',
      properties: '{}',
    });
    await db().collectorEvent.createMany({
      data: [event(new Date(cutoff.getTime() - 1000), 'old-event'), event(NOW, 'new-event')],
    });
    const result = await deleteExpired(NOW, 30, db());
    expect(result.events).toBe(1);
    expect((await db().collectorEvent.findMany()).map((e) => e.uuid)).toEqual(['new-event']);
    expect(
      (await db().rateLimit.findMany({ where: { key: { startsWith: 'collector:' } } })).map((r) => r.key),
    ).toContain('collector:open-window');
    expect(await db().rateLimit.count({ where: { key: 'collector:finished-window' } })).toBe(0);
    expect(result.pings).toBe(old);
    expect(await db().collectorPing.count()).toBe(before - old);
    expect(await db().collectorPing.count({ where: { receivedAt: { lt: cutoff } } })).toBe(0);
    expect(await db().collectorDay.count({ where: { day: { lt: '2030-06-15' } } })).toBe(0);
    expect(await db().collectorDaySeen.count({ where: { day: { lt: '2030-06-15' } } })).toBe(0);
    expect(await db().collectorInstance.count({ where: { lastSeenAt: { lt: cutoff } } })).toBe(0);
    expect(await db().collectorInstance.count()).toBeGreaterThan(0);
    expect((await db().collectorSalt.findMany()).every((s) => s.day >= '2030-07-15')).toBe(true);
    const stats = await getCollectorStats({ now: NOW, retentionDays: 30 }, db());
    expect(stats.storedPings).toBe(before - old);
  });

  it('runs once per hour across replicas sharing the database (lease)', async () => {
    const at = new Date(NOW.getTime() + 60_000);
    const replicas = ['replica-a', 'replica-b', 'replica-c'];
    const results = await Promise.all(replicas.map((holder) => runRetention(at, db(), holder)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const other = replicas[(results.findIndex((r) => r !== null) + 1) % 3];
    expect(await runRetention(new Date(at.getTime() + 10 * 60_000), db(), other)).toBeNull();
    expect(await runRetention(new Date(at.getTime() + 51 * 60_000), db(), other)).not.toBeNull();
  });

  it('a database failure is logged by the job registry, never thrown', async () => {
    const broken = createDb({ type: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' });
    const warnings: string[] = [];
    const job = { name: 'collector-retention', schedule: '17 * * * *', run: () => runRetention(NOW, broken, 'x') };
    await expect(guardedRun(job, (line) => warnings.push(line))()).resolves.toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('[flowforge] job collector-retention failed')]);
    await broken.$disconnect();
  });
});
