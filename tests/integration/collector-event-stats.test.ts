// The Events section's figures on SQLite and PostgreSQL: events sent through
// the real /batch/ handler (the events client's own format), then the rollups
// read by getEventStats() must equal the same figures computed by scanning
// CollectorEvent; a retried batch adds nothing; retention removes old rollups.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';
import { COLLECTOR, collectorRequest } from '../helpers/collector';
import { POST as batch } from '../../app/batch/route';
import { getEventStats } from '../../lib/collector/event-stats';
import { eventFacets, uptimeBucket } from '../../lib/collector/event-facets';
import { deleteExpired } from '../../lib/collector/retention';
import { buildEventMessage, EXAMPLE_PROPERTIES, wireEvent, type EventName } from '../../lib/events/catalog';

const common = (isCi: boolean) => ({
  flowforge_version: '0.1.0',
  node_major: 20,
  os_type: 'Linux',
  os_arch: 'x64',
  db_driver: 'sqlite' as const,
  is_ci: isCi,
  session_id: randomUUID(),
});

function wire(event: EventName, properties: object, distinctId: string, isCi = false) {
  const message = buildEventMessage(event, properties as never, { distinctId, common: common(isCi) });
  return wireEvent(message, '5.70.0', new Date(), randomUUID());
}

describe.each(DRIVERS)('collector event rollups on %s', (driver) => {
  const database = useTestDatabase(driver, { collector: COLLECTOR });

  it('match a scan of the stored events, and a retried batch adds nothing', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const ci = `ci-${randomUUID()}`;
    const events = [
      wire('server_started', EXAMPLE_PROPERTIES.server_started, a),
      wire('server_started', EXAMPLE_PROPERTIES.server_started, b),
      wire('server_stopped', { uptime_seconds: 30, signal: 'SIGTERM' }, a),
      wire('server_stopped', { uptime_seconds: 90_000, signal: 'SIGINT' }, b),
      wire('action_error', { record: 'user', error_type: 'FieldError' }, a),
      wire('action_error', { record: 'team', error_type: 'FieldError' }, b),
      wire('action_error', { record: 'team', error_type: 'NotFoundError' }, b),
      wire('cli_command', { ...EXAMPLE_PROPERTIES.cli_command, command: 'config get' }, ci, true),
      wire('cli_command', { ...EXAMPLE_PROPERTIES.cli_command, success: false, error_type: 'exit_3' }, a),
      wire('admin_action', { record: 'project', verb: 'created' }, a),
    ];
    const body = { api_key: 'flowforge', batch: events };
    expect((await batch(collectorRequest('/batch/', body, { gzip: true }))).status).toBe(200);
    expect((await batch(collectorRequest('/batch/', body, { gzip: true }))).status).toBe(200); // a retry

    const stats = await getEventStats(new Date(), database.current.db);
    // The same figures from the event rows themselves.
    const rows = await database.current.db.collectorEvent.findMany();
    expect(rows).toHaveLength(events.length);
    const count = (pred: (r: (typeof rows)[number]) => boolean) => rows.filter(pred).length;
    expect(stats.total).toBe(rows.length);
    for (const name of new Set(rows.map((r) => r.event))) {
      const own = rows.filter((r) => r.event === name);
      expect(stats.names.find((n) => n.event === name)).toEqual({
        event: name,
        count: own.length,
        instances: new Set(own.map((r) => r.instanceId)).size,
      });
    }
    const facetCount = (facet: string, value: string) =>
      count((r) => eventFacets(r.event, JSON.parse(r.properties)).some(([f, v]) => f === facet && v === value));
    expect(stats.errorTypes).toEqual([
      { label: 'FieldError', count: facetCount('error_type', 'FieldError') },
      { label: 'exit_3', count: 1 },
      { label: 'NotFoundError', count: 1 },
    ]);
    expect(stats.commands).toEqual([
      { label: 'config get', count: 1 },
      { label: 'config set', count: 1 },
    ]);
    expect(stats.actions).toEqual([{ label: 'project created', count: 1 }]);
    expect(stats.ci).toEqual({ events: 1, outOf: rows.length });
    expect(stats.uptimeAtStop.filter((t) => t.count > 0)).toEqual([
      { label: uptimeBucket(30), count: 1 },
      { label: uptimeBucket(90_000), count: 1 },
    ]);
    expect(stats.days).toHaveLength(1);
    expect(stats.days[0].counts).toMatchObject({ server_started: 2, action_error: 3 });
  });

  it('retention deletes the rollups of days before the window', async () => {
    const old = new Date(Date.now() - 400 * 24 * 60 * 60 * 1000);
    const day = old.toISOString().slice(0, 10);
    const client = database.current.db;
    await client.collectorEventDay.create({ data: { day, event: 'server_started', count: 5 } });
    await client.collectorEventFacet.create({
      data: { day, event: 'server_stopped', facet: 'uptime', value: 'x', count: 1 },
    });
    await client.collectorEventInstance.create({
      data: { event: 'server_started', instanceId: 'gone', firstSeenDay: day, lastSeenDay: day },
    });
    await deleteExpired(new Date(), 365, client);
    expect(await client.collectorEventDay.count({ where: { day } })).toBe(0);
    expect(await client.collectorEventFacet.count({ where: { day } })).toBe(0);
    expect(await client.collectorEventInstance.count({ where: { instanceId: 'gone' } })).toBe(0);
    expect(await client.collectorEventDay.count()).toBeGreaterThan(0); // today's stay
  });
});
