// Stores pings and keeps the rollups the dashboard reads in step with them, in
// one transaction per batch (see group-commit.ts): the raw pings, each
// instance's latest state, and the day's totals (pings, distinct instances,
// distinct senders). The rows are built here and written in the ping writer's thread
// (ping-writer.ts). On SQLite the transaction takes the write lock at BEGIN
// (IMMEDIATE, lib/sqlite-writer.ts), so it never has to upgrade a read lock.
import 'server-only';
import { db, underlyingDb, type Db } from '../db';
import { isPostgresClient, jsonRowDate, postgresUrlOf, sqliteFileOf } from '../db-client';
import { STATE_COLUMNS } from './instance-columns';
import { writePings } from './ping-writer';
import type { PingRows } from './sqlite-ping-writes';
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
 * SQLite batches in flight at once: the writer thread commits them one after another, and the
 * next one waits there, not on this thread, while the previous commits.
 */
const SQLITE_WRITERS = 2;

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
    // idle a third of the time otherwise). SQLite: the next batch waits in the writer thread.
    queue = createGroupCommit((batch) => storeReports(batch, client), {
      writers: isPostgresClient(client) ? POSTGRES_WRITERS : SQLITE_WRITERS,
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
      await writeReports(client, batch);
      return;
    } catch (error) {
      // Two first pings of a day (or first sightings of an instance) raced on a rollup row
      // (23505: PostgreSQL's unique_violation, as the writer thread reports it).
      if ((error as { code?: unknown }).code !== '23505' || attempt >= 3) throw error;
    }
  }
}

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
function jsonRows(batch: Received[], date: (date: Date) => string): PingRows {
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

/**
 * The batch's rows, written and committed in the ping writer's thread (ping-writer.ts): on SQLite
 * a transaction of a few statements (sqlite-ping-writes.ts), on PostgreSQL one statement
 * (postgres-ping-writes.ts). Neither the statements nor a commit's wait is on this thread.
 */
async function writeReports(client: Db, batch: Received[]) {
  const url = postgresUrlOf(client);
  const file = sqliteFileOf(client);
  if (url === undefined && file === undefined)
    throw new Error('the collector needs a client built by createDb (its database is not known)');
  const rows = jsonRows(batch, jsonRowDate(url !== undefined));
  await writePings(
    url !== undefined ? { type: 'postgres', url, connections: POSTGRES_WRITERS } : { type: 'sqlite', file: file! },
    rows,
  );
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
