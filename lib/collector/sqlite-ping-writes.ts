// A batch of pings and their rollups on SQLite: the statements and the order they run in,
// one transaction. Runs in the ping writer's thread (ping-writer-worker.ts); the rows are
// built on the request thread (store.ts, jsonRows) as one JSON text per table.
import type { SqliteStatements } from '../sqlite-writer';
import { STATE_COLUMNS, STATE_NAMES, STATE_UPDATES } from './instance-columns';

/** A batch as JSON arrays of rows, one text per table (store.ts's jsonRows, for both databases). */
export interface PingRows {
  pings: string;
  instances: string;
  sightings: string;
  /** [[day, pings], ...] in day order. */
  days: string;
  /** The instances whose extra metrics are replaced; null when no ping of the batch had a platform object. */
  metricInstances: string | null;
  metrics: string;
  hasMetrics: boolean;
}

// CollectorInstance's columns from json_each's rows: values keep their JSON type (numbers stay integers).
const INSTANCE_SELECT = [
  'value->>0',
  'value->>1',
  'value->>2',
  ...STATE_COLUMNS.map((_, index) => `value->>${index + 3}`),
].join(', ');

// Each statement has one JSON parameter of rows expanded by json_each (array order).
// "WHERE true": SQLite's grammar needs it between INSERT ... SELECT and ON CONFLICT.
const PINGS = `INSERT INTO "CollectorPing"
    ("receivedAt", "occurredAt", "source", "event", "instanceId", "senderHash", "droppedFields", "payload")
  SELECT value->>0, value->>0, 'ping', 'ping', value->>1, value->>2, value->>3, value->>4 FROM json_each(?)`;
const INSTANCES = `INSERT INTO "CollectorInstance" ("instanceId", "firstSeenAt", "lastSeenAt", ${STATE_NAMES})
  SELECT ${INSTANCE_SELECT} FROM json_each(?) WHERE true
  ON CONFLICT ("instanceId") DO UPDATE SET "lastSeenAt" = excluded."lastSeenAt", ${STATE_UPDATES}`;
const METRICS_GONE = `DELETE FROM "CollectorInstanceMetric"
  WHERE "instanceId" IN (SELECT value FROM json_each(?))`;
const METRICS = `INSERT INTO "CollectorInstanceMetric"
    ("instanceId", "metric", "kind", "numberValue", "textValue", "reportedAt")
  SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5 FROM json_each(?)`;
/** First sightings of the day, RETURNING the rows that were new. */
const SIGHTINGS = `INSERT INTO "CollectorDaySeen" ("day", "kind", "key")
  SELECT value->>0, value->>1, value->>2 FROM json_each(?) WHERE true
  ON CONFLICT DO NOTHING RETURNING "day", "kind"`;
const DAY = `INSERT INTO "CollectorDay" ("day", "pings", "instances", "senders") VALUES (?, ?, ?, ?)
  ON CONFLICT ("day") DO UPDATE SET "pings" = "pings" + excluded."pings",
    "instances" = "instances" + excluded."instances", "senders" = "senders" + excluded."senders"`;

/** The batch's statements, to run inside one transaction; day totals count the sightings that were new. */
export function writePingRows({ run, all }: SqliteStatements, rows: PingRows): void {
  run(PINGS, rows.pings);
  run(INSTANCES, rows.instances);
  if (rows.metricInstances !== null) {
    run(METRICS_GONE, rows.metricInstances);
    if (rows.hasMetrics) run(METRICS, rows.metrics);
  }
  const fresh = all<{ day: string; kind: string }>(SIGHTINGS, rows.sightings);
  const days = new Map<string, { pings: number; instances: number; senders: number }>();
  for (const [day, pings] of JSON.parse(rows.days) as [string, number][])
    days.set(day, { pings, instances: 0, senders: 0 });
  for (const { day, kind } of fresh) days.get(day)![kind === 'instance' ? 'instances' : 'senders'] += 1;
  for (const [day, { pings, instances, senders }] of days) run(DAY, day, pings, instances, senders);
}
