// Pings as FlowFuse's own sender builds them (FlowFuse/flowfuse,
// forge/housekeeper/tasks/telemetryMetrics.js): each metrics module returns flat
// dotted keys, and gather() expands them into nested objects before POSTing.
// Known fields stay typed; every other leaf under `platform` is kept as an extra
// metric and shown on the dashboard, including one no FlowFuse version sends yet.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';
import { COLLECTOR, collectorRequest } from '../helpers/collector';
import { DROPPED_FIELDS_HEADER, handlePing } from '../../lib/collector/handlers';
import { getCollectorStats } from '../../lib/collector/stats';

/** FlowFuse's gather(): 'a.b.c': v becomes {a: {b: {c: v}}}, module by module in file order. */
function gather(modules: Array<Record<string, unknown>>): Record<string, unknown> {
  const metrics: Record<string, unknown> = {};
  for (const result of modules) {
    for (const [key, value] of Object.entries(result)) {
      const parts = key.split('.');
      let at = metrics;
      parts.forEach((part, index) => {
        if (index < parts.length - 1) at = (at[part] ??= {}) as Record<string, unknown>;
        else at[part] = value;
      });
    }
  }
  return metrics;
}

/** The modules 001-instanceId, 002-os, 003-env, 004-platform (and 005-certified-nodes) of FlowFuse 2.x. */
function flowfusePing({
  licensed,
  devices,
  snapshots,
  extra = {},
}: {
  licensed: boolean;
  devices: number;
  snapshots: number;
  extra?: Record<string, unknown>;
}) {
  return gather([
    { instanceId: randomUUID() },
    { 'os.type': 'Linux', 'os.release': '5.15.167.4-microsoft-standard-WSL2', 'os.arch': 'x64' },
    { 'env.nodejs': 'v18.20.4', 'env.flowforge': '2.10.0' },
    {
      'platform.counts.users': 12,
      'platform.counts.teams': 3,
      'platform.counts.projects': 9,
      'platform.counts.projectsByState.suspended': 1,
      'platform.counts.devices': devices,
      'platform.counts.projectSnapshots': snapshots,
      'platform.counts.projectTemplates': 2,
      'platform.counts.projectStacks': 4,
      'platform.counts.libraryEntries': 17,
      'platform.counts.sharedLibraryEntries': licensed ? 5 : 0,
      'platform.config.driver': 'postgres',
      'platform.config.broker.enabled': true,
      'platform.config.fileStore.enabled': licensed,
      'platform.config.email.enabled': false,
      'platform.license.id': licensed ? 'a1b2c3d4e5' : '',
      'platform.license.type': licensed ? 'EE' : 'CE',
      ...extra,
    },
    // 005-certified-nodes: module names are not metric keys (scoped, with / and @): dropped and counted.
    licensed ? { certifiedNodes: { '@flowfuse/node-red-dashboard': 3 } } : {},
  ]);
}

describe.each(DRIVERS)('FlowFuse pings on %s', (driver) => {
  const { db } = useTestDatabase(driver, { collector: COLLECTOR });

  it('keeps every metric of community and licensed FlowFuse pings, and a metric no version has yet', async () => {
    const community = flowfusePing({ licensed: false, devices: 4, snapshots: 10 });
    const licensed = flowfusePing({ licensed: true, devices: 40, snapshots: 30 });
    const future = flowfusePing({
      licensed: true,
      devices: 100,
      snapshots: 50,
      extra: { 'platform.counts.pipelines': 7 },
    });
    const answers = [];
    for (const [index, body] of [community, licensed, future].entries())
      answers.push(await handlePing(collectorRequest('/ping', body, { ip: `198.18.7.${index + 1}` })));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    const dropped = answers.map((a) => Number(a.headers.get(DROPPED_FIELDS_HEADER)));
    // Before: 17 of FlowFuse's fields were dropped and only counted. Now only certifiedNodes is.
    expect(dropped).toEqual([0, 1, 1]);

    const stored = await db().collectorInstanceMetric.findMany({
      where: { instanceId: community.instanceId as string },
      orderBy: { metric: 'asc' },
    });
    expect(stored.map((m) => m.metric)).toEqual([
      'platform.config.broker.enabled',
      'platform.config.email.enabled',
      'platform.config.fileStore.enabled',
      'platform.counts.devices',
      'platform.counts.libraryEntries',
      'platform.counts.projectSnapshots',
      'platform.counts.projectStacks',
      'platform.counts.projectTemplates',
      'platform.counts.projectsByState.suspended',
      'platform.counts.sharedLibraryEntries',
      'platform.license.id',
      'platform.license.type',
    ]);
    // Known fields stay typed as before.
    expect(
      await db().collectorInstance.findUniqueOrThrow({ where: { instanceId: community.instanceId as string } }),
    ).toMatchObject({ users: 12, driver: 'postgres', osRelease: '5.15.167.4-microsoft-standard-WSL2' });

    const stats = await getCollectorStats({ retentionDays: 365 }, db());
    const row = (metric: string) => stats.extraMetrics.find((m) => m.metric === metric);
    expect(row('platform.counts.devices')).toEqual({
      metric: 'platform.counts.devices',
      kind: 'number',
      instances: 3,
      sum: 144,
      median: 40,
      latest: 100,
    });
    expect(row('platform.counts.projectSnapshots')).toMatchObject({ instances: 3, sum: 90, median: 30 });
    expect(row('platform.config.fileStore.enabled')).toMatchObject({
      kind: 'boolean',
      instances: 3,
      sum: 2,
      latest: true,
    });
    expect(row('platform.license.type')).toMatchObject({ kind: 'text', instances: 3, sum: null, latest: 'EE' });
    expect(row('platform.counts.pipelines')).toEqual({
      metric: 'platform.counts.pipelines',
      kind: 'number',
      instances: 1,
      sum: 7,
      median: 7,
      latest: 7,
    });
  });

  it('replaces an instance metrics with its next ping, and keeps them when a ping has no platform', async () => {
    const ping = flowfusePing({ licensed: false, devices: 1, snapshots: 1 });
    const instanceId = ping.instanceId as string;
    expect((await handlePing(collectorRequest('/ping', ping, { ip: '198.18.7.9' }))).status).toBe(202);
    const next = flowfusePing({ licensed: false, devices: 2, snapshots: 1 });
    next.instanceId = instanceId;
    delete (next.platform as { license?: unknown }).license;
    expect((await handlePing(collectorRequest('/ping', next, { ip: '198.18.7.9' }))).status).toBe(202);
    expect((await handlePing(collectorRequest('/ping', { instanceId }, { ip: '198.18.7.9' }))).status).toBe(202);
    const metrics = await db().collectorInstanceMetric.findMany({ where: { instanceId } });
    expect(metrics.find((m) => m.metric === 'platform.counts.devices')?.numberValue).toBe(2);
    expect(metrics.some((m) => m.metric.startsWith('platform.license'))).toBe(false);
    // A platform object with no extra metric at all clears the set.
    const bare = { instanceId, platform: { counts: { users: 1 } } };
    expect((await handlePing(collectorRequest('/ping', bare, { ip: '198.18.7.9' }))).status).toBe(202);
    expect(await db().collectorInstanceMetric.count({ where: { instanceId } })).toBe(0);
  });

  it('stores the metrics of pings sharing one group-commit batch, the later ping of an instance winning', async () => {
    const pings = Array.from({ length: 6 }, (_, i) =>
      flowfusePing({ licensed: i % 2 === 0, devices: i, snapshots: 1 }),
    );
    pings[5].instanceId = pings[4].instanceId; // the same instance twice in the batch: the later set is kept
    const statuses = await Promise.all(
      pings.map(async (ping) => (await handlePing(collectorRequest('/ping', ping, { ip: '198.18.7.10' }))).status),
    );
    expect(statuses).toEqual(Array(6).fill(202));
    for (const [i, ping] of pings.entries()) {
      if (i === 4) continue;
      const metrics = await db().collectorInstanceMetric.findMany({ where: { instanceId: ping.instanceId as string } });
      expect(metrics.find((m) => m.metric === 'platform.counts.devices')?.numberValue).toBe(i);
      expect(metrics.find((m) => m.metric === 'platform.license.type')?.textValue).toBe(i % 2 === 0 ? 'EE' : 'CE');
    }
  });

  it('bounds what it keeps: 64 metrics, depth 4, keys of letters, digits and dots, short safe texts', async () => {
    const many = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`m${i}`, i]));
    const body = {
      instanceId: randomUUID(),
      platform: {
        counts: { users: 1 },
        many,
        a: { b: { c: { d: 1, e: 'ok' } } },
        'bad-key': 1,
        text: { email: 'alice@example.test', path: '/home/alice', long: 'x'.repeat(65), fine: 'CE' },
        list: [1, 2],
      },
    };
    const answer = await handlePing(collectorRequest('/ping', body, { ip: '198.18.7.10' }));
    expect(answer.status).toBe(202);
    const metrics = await db().collectorInstanceMetric.findMany({ where: { instanceId: body.instanceId } });
    expect(metrics).toHaveLength(64);
    expect(metrics.some((m) => m.metric.startsWith('platform.a.b.c'))).toBe(false); // depth 5
    expect(metrics.some((m) => m.textValue?.includes('@') || m.textValue?.includes('/'))).toBe(false);
    // 6 of many beyond 64 + 2 too deep + bad-key + email + path + long + list = 13, 'fine' may be beyond 64 too
    expect(Number(answer.headers.get(DROPPED_FIELDS_HEADER))).toBeGreaterThanOrEqual(13);
  });
});
