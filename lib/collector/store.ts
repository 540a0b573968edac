// Stores pings and keeps the rollups the dashboard reads in step with them, in
// one transaction per batch (see group-commit.ts): the raw pings, each
// instance's latest state, and the day's totals (pings, distinct instances,
// distinct senders). On SQLite the transaction takes the write lock at BEGIN
// (IMMEDIATE, lib/sqlite-writer.ts), so it never has to upgrade a read lock.
import 'server-only';
import { db, underlyingDb, type Db } from '../db';
import { isPostgresClient, jsonRowDate, PREPARED_MARK, sqliteFileOf } from '../db-client';
import { openSqliteWriter, type SqliteWriter } from '../sqlite-writer';
import { empty, raw, sqltag } from '@prisma/client/runtime/client';
import { isUniqueViolation } from '../data/prisma-errors';
import { onShutdown } from '../shutdown';
import { createGroupCommit, type GroupCommit } from './group-commit';
import { bucketOf, nodeMajor, type ExtraMetric, type ExtraMetrics, type InstanceState } from './report-schema';
import { utcDay } from './sender-fingerprint';

export interface Report {
  instanceId: string;
  payload: unknown;
  droppedFields: number;
  state: InstanceState;
  /** Extra metrics under `platform`; null/undefined when the ping had no platform object (keep the stored ones). */
  extras?: ExtraMetrics;
}

export interface Sender {
  receivedAt: Date;
  senderHash: string;
}

interface Received {
  report: Report;
  sender: Sender;
}

const queues = new WeakMap<Db, GroupCommit<Received>>();
/**
 * Ping transactions in flight at once on PostgreSQL. They take their row locks in one order (day
 * sightings sorted, then the day row, then instances sorted), so two of them cannot deadlock.
 */
const POSTGRES_WRITERS = 3;

/**
 * Stores one ping once it is committed. Pings arriving together share one
 * transaction (group commit): a handful of multi-row statements per batch
 * instead of six statements and a commit per ping.
 */
export function storeReport(report: Report, sender: Sender, proxyOrClient: Db = db): Promise<void> {
  const client = underlyingDb(proxyOrClient);
  let queue = queues.get(client);
  if (!queue) {
    // PostgreSQL: a second and third batch are sent while one waits for its commit (the process sat
    // idle a third of the time otherwise). SQLite has one writer, and each statement runs on this thread.
    queue = createGroupCommit((batch) => storeReports(batch, client), {
      writers: isPostgresClient(client) ? POSTGRES_WRITERS : 1,
    });
    queues.set(client, queue);
    // The server's own queue: pings already accepted are committed before the process exits.
    if (proxyOrClient === db) onShutdown(queue.idle);
  }
  return queue.submit({ report, sender });
}

/** Writes a batch of pings and their rollups in one transaction; unique-key races between replicas retry. */
export async function storeReports(batch: Received[], client: Db = db): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (isPostgresClient(client)) await writeReportsPostgres(client, batch);
      else await writeReportsSqlite(client, batch);
      return;
    } catch (error) {
      // Two first pings of a day (or first sightings of an instance) raced on a rollup row.
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
    }
  }
}

// The columns of CollectorInstance a report may carry, in INSERT order.
const STATE_COLUMNS = [
  'version',
  'osType',
  'osRelease',
  'arch',
  'nodeMajor',
  'driver',
  'users',
  'teams',
  'projects',
  'usersBucket',
  'teamsBucket',
  'projectsBucket',
] as const;

const STATE_NAMES = STATE_COLUMNS.map((column) => `"${column}"`).join(', ');
// A field the report does not carry is NULL and keeps the stored value (COALESCE).
const STATE_UPDATES = STATE_COLUMNS.map(
  (column) => `"${column}" = COALESCE(excluded."${column}", "CollectorInstance"."${column}")`,
).join(', ');

/** Map entries in key order: concurrent PostgreSQL batches then lock shared rows in one order. */
const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

/** Each ping with a platform object replaces its instance's extra metrics (the latest ping wins). */
function latestMetrics(batch: Received[]) {
  const extras = new Map<string, { metrics: ExtraMetric[]; at: Date }>();
  for (const { report, sender } of batch)
    if (report.extras) extras.set(report.instanceId, { metrics: report.extras, at: sender.receivedAt });
  const sorted = [...extras].sort(byKey);
  const rows = sorted.flatMap(([instanceId, { metrics, at }]) => metrics.map((metric) => ({ instanceId, metric, at })));
  return { instances: sorted.map(([instanceId]) => instanceId), rows };
}

function pingsPerDay(batch: Received[]): Map<string, number> {
  const days = new Map<string, number>();
  for (const { sender } of batch) {
    const day = utcDay(sender.receivedAt);
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  return days;
}

/**
 * The batch as JSON arrays of rows, one parameter per table, in lock order (see POSTGRES_WRITERS):
 * the database expands them (jsonb_array_elements, json_each). Prisma's createMany and per-row
 * upserts cost 3-10x as much per row, and even a multi-row VALUES list cost Prisma's work per
 * parameter (~30 a ping): a quarter of the SQLite writer's CPU, a third of the PostgreSQL one's.
 */
function jsonRows(batch: Received[], date: (date: Date) => string) {
  const instances = new Map<string, { first: Date; last: Date; columns: Record<string, string | number> }>();
  for (const { report, sender } of batch) {
    const known = instances.get(report.instanceId);
    const columns = { ...known?.columns, ...stateColumns(report.state) };
    instances.set(report.instanceId, { first: known?.first ?? sender.receivedAt, last: sender.receivedAt, columns });
  }
  const seen = new Map<string, [string, 'instance' | 'sender', string]>();
  for (const { report, sender } of batch) {
    const day = utcDay(sender.receivedAt);
    seen.set(`${day}|i|${report.instanceId}`, [day, 'instance', report.instanceId]);
    seen.set(`${day}|s|${sender.senderHash}`, [day, 'sender', sender.senderHash]);
  }
  const { instances: metricInstances, rows: metricRows } = latestMetrics(batch);
  return {
    pings: JSON.stringify(
      batch.map(({ report, sender }) => [
        date(sender.receivedAt),
        report.instanceId,
        sender.senderHash,
        report.droppedFields,
        JSON.stringify(report.payload),
      ]),
    ),
    instances: JSON.stringify(
      [...instances]
        .sort(byKey)
        .map(([instanceId, { first, last, columns }]) => [
          instanceId,
          date(first),
          date(last),
          ...STATE_COLUMNS.map((column) => columns[column] ?? null),
        ]),
    ),
    sightings: JSON.stringify([...seen].sort(byKey).map(([, row]) => row)),
    days: JSON.stringify([...pingsPerDay(batch)].sort(byKey)),
    metricInstances: metricInstances.length ? JSON.stringify(metricInstances) : null,
    metrics: JSON.stringify(
      metricRows.map(({ instanceId, metric, at }) => [
        instanceId,
        metric.metric,
        metric.kind,
        metric.numberValue,
        metric.textValue,
        date(at),
      ]),
    ),
    hasMetrics: metricRows.length > 0,
  };
}

// CollectorInstance's columns from a JSON row [instanceId, first, last, ...STATE_COLUMNS], typed.
const INSTANCE_SELECT = [
  'r->>0',
  '(r->>1)::timestamp(3)',
  '(r->>2)::timestamp(3)',
  ...STATE_COLUMNS.map((column, index) =>
    ['users', 'teams', 'projects'].includes(column) ? `(r->>${index + 3})::integer` : `r->>${index + 3}`,
  ),
].join(', ');

// The same from json_each's rows: values keep their JSON type (numbers stay integers).
const SQLITE_INSTANCE_SELECT = [
  'value->>0',
  'value->>1',
  'value->>2',
  ...STATE_COLUMNS.map((_, index) => `value->>${index + 3}`),
].join(', ');

/**
 * PostgreSQL: the whole batch, metrics included, is one statement (data-modifying CTEs), so a
 * batch costs one round trip and no BEGIN/COMMIT (each of those is a round trip too). Day totals
 * count the sightings the INSERT reports as new (RETURNING), as on SQLite. The rows travel as one
 * JSON parameter per table that the database expands (jsonb_array_elements, in array order: the
 * lock order), not ~30 parameters a ping, so the statement's text is the same for every batch (one
 * of three, by whether the batch carries metrics) and runs prepared (PREPARED_MARK): parsed and
 * planned once per connection. Measured on batches of 4 pings: client CPU 0.29 -> 0.20 ms a ping,
 * PostgreSQL's 0.44 -> 0.18 ms. CTEs run against one snapshot in no set order, so a DELETE and an
 * INSERT of one metric could collide: the DELETE removes only the metrics the new set leaves out,
 * and the set is upserted.
 */
async function writeReportsPostgres(client: Db, batch: Received[]) {
  const rows = jsonRows(batch, jsonRowDate(true));
  const metricKeys = sqltag`SELECT r->>0, r->>1 FROM jsonb_array_elements(${rows.metrics}::jsonb) AS r`;
  const metrics =
    rows.metricInstances === null
      ? empty
      : sqltag`metricsGone AS (
      DELETE FROM "CollectorInstanceMetric"
      WHERE "instanceId" IN (SELECT jsonb_array_elements_text(${rows.metricInstances}::jsonb))
        AND ("instanceId", "metric") NOT IN (${metricKeys})),
    ${
      rows.hasMetrics
        ? sqltag`metrics AS (
      INSERT INTO "CollectorInstanceMetric"
        ("instanceId", "metric", "kind", "numberValue", "textValue", "reportedAt")
      SELECT r->>0, r->>1, r->>2, (r->>3)::double precision, r->>4, (r->>5)::timestamp(3)
      FROM jsonb_array_elements(${rows.metrics}::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n
      ON CONFLICT ("instanceId", "metric") DO UPDATE SET "kind" = excluded."kind",
        "numberValue" = excluded."numberValue", "textValue" = excluded."textValue", "reportedAt" = excluded."reportedAt"
    ),`
        : empty
    }`;
  await client.$executeRaw(sqltag`${raw(PREPARED_MARK)}
    WITH pings AS (
      INSERT INTO "CollectorPing"
        ("receivedAt", "occurredAt", "source", "event", "instanceId", "senderHash", "droppedFields", "payload")
      SELECT (r->>0)::timestamp(3), (r->>0)::timestamp(3), 'ping', 'ping', r->>1, r->>2, (r->>3)::integer, r->>4
      FROM jsonb_array_elements(${rows.pings}::jsonb) AS r
    ),
    instances AS (
      INSERT INTO "CollectorInstance" ("instanceId", "firstSeenAt", "lastSeenAt", ${raw(STATE_NAMES)})
      SELECT ${raw(INSTANCE_SELECT)} FROM jsonb_array_elements(${rows.instances}::jsonb) WITH ORDINALITY AS t(r, n)
      ORDER BY n
      ON CONFLICT ("instanceId") DO UPDATE SET "lastSeenAt" = excluded."lastSeenAt", ${raw(STATE_UPDATES)}
    ),
    ${metrics}
    seen AS (
      INSERT INTO "CollectorDaySeen" ("day", "kind", "key")
      SELECT r->>0, r->>1, r->>2 FROM jsonb_array_elements(${rows.sightings}::jsonb) WITH ORDINALITY AS t(r, n)
      ORDER BY n
      ON CONFLICT DO NOTHING RETURNING "day", "kind"
    ),
    batch ("day", "pings") AS (
      SELECT r->>0, (r->>1)::integer FROM jsonb_array_elements(${rows.days}::jsonb) WITH ORDINALITY AS t(r, n)
      ORDER BY n
    )
    INSERT INTO "CollectorDay" ("day", "pings", "instances", "senders")
    SELECT batch."day", batch."pings",
      (SELECT COUNT(*) FROM seen WHERE seen."day" = batch."day" AND seen."kind" = 'instance'),
      (SELECT COUNT(*) FROM seen WHERE seen."day" = batch."day" AND seen."kind" = 'sender')
    FROM batch
    ON CONFLICT ("day") DO UPDATE SET "pings" = "CollectorDay"."pings" + excluded."pings",
      "instances" = "CollectorDay"."instances" + excluded."instances",
      "senders" = "CollectorDay"."senders" + excluded."senders"`);
}

// SQLite's statements of a batch, in this order, each with one JSON parameter of rows expanded
// by json_each (array order). "WHERE true": SQLite's grammar needs it between INSERT ... SELECT
// and ON CONFLICT.
const SQLITE_PINGS = `INSERT INTO "CollectorPing"
    ("receivedAt", "occurredAt", "source", "event", "instanceId", "senderHash", "droppedFields", "payload")
  SELECT value->>0, value->>0, 'ping', 'ping', value->>1, value->>2, value->>3, value->>4 FROM json_each(?)`;
const SQLITE_INSTANCES = `INSERT INTO "CollectorInstance" ("instanceId", "firstSeenAt", "lastSeenAt", ${STATE_NAMES})
  SELECT ${SQLITE_INSTANCE_SELECT} FROM json_each(?) WHERE true
  ON CONFLICT ("instanceId") DO UPDATE SET "lastSeenAt" = excluded."lastSeenAt", ${STATE_UPDATES}`;
const SQLITE_METRICS_GONE = `DELETE FROM "CollectorInstanceMetric"
  WHERE "instanceId" IN (SELECT value FROM json_each(?))`;
const SQLITE_METRICS = `INSERT INTO "CollectorInstanceMetric"
    ("instanceId", "metric", "kind", "numberValue", "textValue", "reportedAt")
  SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5 FROM json_each(?)`;
/** First sightings of the day, RETURNING the rows that were new. */
const SQLITE_SIGHTINGS = `INSERT INTO "CollectorDaySeen" ("day", "kind", "key")
  SELECT value->>0, value->>1, value->>2 FROM json_each(?) WHERE true
  ON CONFLICT DO NOTHING RETURNING "day", "kind"`;
const SQLITE_DAY = `INSERT INTO "CollectorDay" ("day", "pings", "instances", "senders") VALUES (?, ?, ?, ?)
  ON CONFLICT ("day") DO UPDATE SET "pings" = "pings" + excluded."pings",
    "instances" = "instances" + excluded."instances", "senders" = "senders" + excluded."senders"`;

/** One writer per client (a test's client is its own file); it lives as long as the client. */
const sqliteWriters = new WeakMap<Db, SqliteWriter>();

/**
 * SQLite: the same JSON rows in one transaction of a few statements, on a connection of the
 * collector's own (lib/sqlite-writer.ts: cached statements, one synchronous call, never waiting
 * for the write lock on this thread, each commit synced).
 */
async function writeReportsSqlite(client: Db, batch: Received[]) {
  let writer = sqliteWriters.get(client);
  if (!writer) {
    const file = sqliteFileOf(client);
    if (!file) throw new Error('the collector needs a SQLite client built by createDb (its file is not known)');
    writer = openSqliteWriter(file);
    sqliteWriters.set(client, writer);
  }
  const rows = jsonRows(batch, jsonRowDate(false));
  await writer.transaction(({ run, all }) => {
    run(SQLITE_PINGS, rows.pings);
    run(SQLITE_INSTANCES, rows.instances);
    if (rows.metricInstances !== null) {
      run(SQLITE_METRICS_GONE, rows.metricInstances);
      if (rows.hasMetrics) run(SQLITE_METRICS, rows.metrics);
    }
    const fresh = all<{ day: string; kind: string }>(SQLITE_SIGHTINGS, rows.sightings);
    const days = new Map<string, { pings: number; instances: number; senders: number }>();
    for (const [day, pings] of pingsPerDay(batch)) days.set(day, { pings, instances: 0, senders: 0 });
    for (const { day, kind } of fresh) days.get(day)![kind === 'instance' ? 'instances' : 'senders'] += 1;
    for (const [day, { pings, instances, senders }] of days) run(SQLITE_DAY, day, pings, instances, senders);
  });
}

/** Only the fields the report carries: a PostHog event without a payload must not blank the last known state. */
export function stateColumns(state: InstanceState) {
  const columns: Record<string, string | number> = {};
  const set = (key: string, value: string | number | undefined) => {
    if (value !== undefined) columns[key] = value;
  };
  set('version', state.env?.flowforge);
  set('nodeMajor', state.env?.nodejs === undefined ? undefined : nodeMajor(state.env.nodejs));
  set('osType', state.os?.type);
  set('osRelease', state.os?.release);
  set('arch', state.os?.arch);
  set('driver', state.platform?.config?.driver);
  const counts = state.platform?.counts ?? {};
  for (const key of ['users', 'teams', 'projects'] as const) {
    const value = counts[key];
    set(key, value);
    set(`${key}Bucket`, value === undefined ? undefined : bucketOf(value));
  }
  return columns;
}
