// The one module that reads and writes the HTTP request events tables, in
// whichever database telemetry.httpEvents points at: the platform's SQLite file
// (a better-sqlite3 connection of its own with cached prepared statements and
// no busy wait), the platform's PostgreSQL or a separate one (a small `pg` pool
// of its own). A connection string never appears in a message from here:
// errors are passed through redactSecrets() first.
import 'server-only';
import { openSideConnection, statementCache } from '../sqlite-side-connection';
import pg from 'pg';
import type { Config } from '../config';
import type { Driver } from '../db-driver';
import type { HttpEventRow } from '../http-events/event-row';
import { rollUp, type RollupRow } from '../http-events/rollup';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../time-units';

export const EVENTS_TABLE = 'flowforge_http_events';
/** The page's hour and day windows read minute rollups; they are kept at most this long. */
export const MINUTELY_KEEP_DAYS = 8;
const SQLITE_DELETE_BATCH = 5000;

export interface HttpEventsTarget {
  driver: Driver;
  /** True when the events go to their own PostgreSQL database. */
  separate: boolean;
  /** Time as the database stores it: TIMESTAMPTZ (a Date) on PostgreSQL, ms since 1970 on SQLite. */
  time(ms: number): Date | number;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  execute(sql: string, params?: unknown[]): Promise<number>;
  /** Runs the statements in one transaction. */
  transaction(statements: { sql: string; params: unknown[] }[]): Promise<void>;
  /** Removes the connection string (and its password) from a message. */
  redact(message: string): string;
  close(): Promise<void>;
}

type EventsConfig = Pick<Config, 'db'> & { telemetry: { httpEvents: { postgres?: string } } };

export function openHttpEventsTarget(config: EventsConfig): HttpEventsTarget {
  const separate = config.telemetry.httpEvents.postgres;
  if (separate) return postgresTarget(separate, true);
  if (config.db.type === 'postgres') return postgresTarget(config.db.url, false);
  return sqliteTarget(config.db.url);
}

/** Where the events go, for messages and the traffic page: never the connection string. */
export function describeTarget(target: Pick<HttpEventsTarget, 'driver' | 'separate'>): string {
  if (target.separate) return 'a separate PostgreSQL database (telemetry.httpEvents.postgres)';
  return `the platform's own ${target.driver === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database`;
}

export function redactSecrets(message: string, url: string): string {
  let out = message.split(url).join('[connection string]');
  try {
    const password = decodeURIComponent(new URL(url).password);
    if (password) out = out.split(password).join('[password]');
  } catch {}
  return out;
}

function postgresTarget(url: string, separate: boolean): HttpEventsTarget {
  // Small and bounded: one writer and the traffic page. Fails fast when the server is down.
  const pool = new pg.Pool({
    connectionString: url,
    max: 3,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 30_000,
  });
  // A connection the server closed (restart, failover, network cut) must not crash the process:
  // idle ones report to the pool, checked-out ones to themselves; the query in flight fails anyway.
  pool.on('error', () => {});
  pool.on('connect', (connection) => connection.on('error', () => {}));
  const redact = (message: string) => redactSecrets(message, url);
  const wrap = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      const cleaned = new Error(redact((error as Error).message ?? String(error)));
      (cleaned as Error & { code?: unknown }).code = (error as { code?: unknown }).code;
      throw cleaned;
    }
  };
  return {
    driver: 'postgres',
    separate,
    time: (ms) => new Date(ms),
    query: (sql, params = []) => wrap(async () => (await pool.query(sql, params)).rows),
    execute: (sql, params = []) => wrap(async () => (await pool.query(sql, params)).rowCount ?? 0),
    transaction: (statements) =>
      wrap(async () => {
        const connection = await pool.connect();
        try {
          await connection.query('BEGIN');
          for (const statement of statements) await connection.query(statement.sql, statement.params);
          await connection.query('COMMIT');
        } catch (error) {
          await connection.query('ROLLBACK').catch(() => {});
          throw error;
        } finally {
          connection.release();
        }
      }),
    redact,
    close: () => pool.end(),
  };
}

// Statements are written with $1, $2... (PostgreSQL); SQLite takes them positionally as ?.
const positional = (sql: string) => sql.replace(/\$\d+/g, '?');

/**
 * Its own connection, not the platform's Prisma client: a batch through Prisma's raw
 * queries cost 30-130 ms of the server's CPU per 500 rows here, a cached prepared
 * statement a few. better-sqlite3 is synchronous, so a transaction here runs start to
 * finish within one turn of the event loop and never holds the lock while the platform's
 * connection waits; busy_timeout 0 makes a lock held by another process (the CLI, an
 * interactive transaction) a failed write, retried by the writer, instead of a busy wait
 * that would freeze the server.
 */
function sqliteTarget(file: string): HttpEventsTarget {
  const connection = openSideConnection(file, 0);
  const cached = statementCache(connection);
  const prepare = (sql: string) => cached(positional(sql));
  const run = connection.transaction((list: { sql: string; params: unknown[] }[]) => {
    for (const statement of list) prepare(statement.sql).run(...statement.params);
  });
  return {
    driver: 'sqlite',
    separate: false,
    time: (ms) => ms,
    query: async <T>(sql: string, params: unknown[] = []) => prepare(sql).all(...params) as T[],
    execute: async (sql, params = []) => prepare(sql).run(...params).changes,
    transaction: async (list) => void run.immediate(list),
    redact: (message) => message,
    close: async () => void connection.close(),
  };
}

const EVENT_COLUMNS = [
  'request_uuid',
  'namespace',
  'version',
  'target',
  'worker_route',
  'worker_id',
  'ip_addr',
  'method',
  'path',
  'query_params',
  'http_version',
  'status',
  'user_agent',
  'elapsed',
  'time',
] as const;
const PG_ARRAY_TYPES = [
  'uuid',
  'text',
  'text',
  'text',
  'text',
  'text',
  'inet',
  'text',
  'text',
  'text',
  'text',
  'int2',
  'text',
  'int8',
  'timestamptz',
];

function eventValues(row: HttpEventRow, target: HttpEventsTarget): unknown[] {
  return [
    row.requestUuid,
    row.namespace,
    row.version,
    row.target,
    row.workerRoute,
    row.workerId,
    row.ipAddr,
    row.method,
    row.path,
    row.queryParams,
    row.httpVersion,
    row.status,
    row.userAgent,
    row.elapsed,
    target.time(row.time.getTime()),
  ];
}

function insertEventsStatement(rows: HttpEventRow[], target: HttpEventsTarget) {
  const columns = EVENT_COLUMNS.map((c) => `"${c}"`).join(', ');
  if (target.driver === 'postgres') {
    // One statement of 15 array parameters, whatever the batch size: no parse cost per row.
    const arrays = EVENT_COLUMNS.map(() => [] as unknown[]);
    for (const row of rows) eventValues(row, target).forEach((value, i) => arrays[i].push(value));
    const unnest = PG_ARRAY_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
    return { sql: `INSERT INTO "${EVENTS_TABLE}" (${columns}) SELECT * FROM unnest(${unnest})`, params: arrays };
  }
  const tuple = `(${EVENT_COLUMNS.map(() => '?').join(', ')})`;
  return {
    sql: `INSERT INTO "${EVENTS_TABLE}" (${columns}) VALUES ${rows.map(() => tuple).join(', ')}`,
    params: rows.flatMap((row) => eventValues(row, target)),
  };
}

function upsertRollupStatement(table: string, rows: RollupRow[], target: HttpEventsTarget) {
  const tuples: string[] = [];
  const params: unknown[] = [];
  for (const row of rows) {
    const n = params.length;
    tuples.push(`($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7})`);
    params.push(
      target.time(row.bucketStart),
      row.workerRoute,
      row.method,
      row.status,
      row.latencyBucket,
      row.requests,
      row.elapsedSum,
    );
  }
  const sql = `INSERT INTO "${table}"
    ("bucket_start", "worker_route", "method", "status", "latency_bucket", "requests", "elapsed_sum")
    VALUES ${tuples.join(', ')}
    ON CONFLICT ("bucket_start", "worker_route", "method", "status", "latency_bucket") DO UPDATE SET
      "requests" = "${table}"."requests" + excluded."requests",
      "elapsed_sum" = "${table}"."elapsed_sum" + excluded."elapsed_sum"`;
  return { sql, params };
}

export interface WorkerCounters {
  workerId: string;
  target: string;
  namespace: string;
  version: string | null;
  startedAt: number;
  /** Totals of this process since it started (absolute, so a retried write cannot count twice). */
  written: number;
  dropped: number;
}

function upsertWorkerStatement(worker: WorkerCounters, now: number, target: HttpEventsTarget) {
  return {
    sql: `INSERT INTO "flowforge_http_event_workers"
      ("worker_id", "target", "namespace", "version", "started_at", "last_seen_at", "written", "dropped")
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT ("worker_id") DO UPDATE SET "target" = excluded."target", "last_seen_at" = excluded."last_seen_at",
        "written" = excluded."written", "dropped" = excluded."dropped"`,
    params: [
      worker.workerId,
      worker.target,
      worker.namespace,
      worker.version,
      target.time(worker.startedAt),
      target.time(now),
      worker.written,
      worker.dropped,
    ],
  };
}

const ROLLUPS = [
  ['flowforge_http_events_minutely', MINUTE_MS],
  ['flowforge_http_events_hourly', HOUR_MS],
] as const;

/**
 * Writes a batch in one transaction: the events, their minute and hour rollups
 * and this worker's counters (so a batch is counted exactly when it is stored).
 * `worker.written` must already include the batch.
 */
export async function writeEvents(
  target: HttpEventsTarget,
  rows: HttpEventRow[],
  worker: WorkerCounters,
  now = Date.now(),
): Promise<void> {
  const statements: { sql: string; params: unknown[] }[] = [];
  if (rows.length > 0) {
    if (target.driver === 'postgres') {
      await ensureDayPartitions(
        target,
        rows.map((row) => row.time.getTime()),
      );
      statements.push(insertEventsStatement(rows, target));
      statements.push(upsertRollupStatement('flowforge_http_events_minutely', rollUp(rows, MINUTE_MS), target));
      statements.push(upsertRollupStatement('flowforge_http_events_hourly', rollUp(rows, HOUR_MS), target));
    } else {
      // One cached prepared statement per row: no SQL to compile, whatever the batch size.
      for (const row of rows) statements.push(insertEventsStatement([row], target));
      for (const [table, grain] of ROLLUPS)
        for (const rollup of rollUp(rows, grain)) statements.push(upsertRollupStatement(table, [rollup], target));
    }
  }
  statements.push(upsertWorkerStatement(worker, now, target));
  await target.transaction(statements);
}

// ---- PostgreSQL partitions: one per UTC day ----

const knownPartitions = new WeakMap<HttpEventsTarget, Set<string>>();
const partitioned = new WeakMap<HttpEventsTarget, boolean>();

/**
 * Whether the events table is declaratively partitioned (as the migration creates it).
 * An operator may have turned it into a TimescaleDB hypertable (README.md): then the
 * platform creates no partitions and leaves retention to TimescaleDB's policy.
 */
async function isPartitioned(target: HttpEventsTarget): Promise<boolean> {
  const known = partitioned.get(target);
  if (known !== undefined) return known;
  const rows = await target.query<{ kind: string }>(
    `SELECT relkind AS kind FROM pg_class WHERE oid = to_regclass($1)`,
    [EVENTS_TABLE],
  );
  const answer = rows[0]?.kind === 'p';
  partitioned.set(target, answer);
  return answer;
}

export function partitionName(dayStartMs: number): string {
  return `${EVENTS_TABLE}_p${new Date(dayStartMs).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** Creates the daily partitions holding these times (each once per process; race-safe across replicas). */
export async function ensureDayPartitions(target: HttpEventsTarget, times: number[]): Promise<string[]> {
  if (target.driver !== 'postgres' || !(await isPartitioned(target))) return [];
  let known = knownPartitions.get(target);
  if (!known) knownPartitions.set(target, (known = new Set()));
  const days = [...new Set(times.map((t) => Math.floor(t / DAY_MS) * DAY_MS))];
  const created: string[] = [];
  for (const day of days) {
    const name = partitionName(day);
    if (known.has(name)) continue;
    const from = new Date(day).toISOString();
    const to = new Date(day + DAY_MS).toISOString();
    // Two replicas creating the same partition at once would collide in the catalog: a
    // transaction-scoped advisory lock makes the second wait and then find it there.
    await target.transaction([
      { sql: 'SELECT pg_advisory_xact_lock(72707371)', params: [] },
      {
        sql: `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "${EVENTS_TABLE}"
          FOR VALUES FROM ('${from}') TO ('${to}')`,
        params: [],
      },
    ]);
    known.add(name);
    created.push(name);
  }
  return created;
}

/** The day partitions that exist, oldest first. */
export async function listPartitions(target: HttpEventsTarget): Promise<string[]> {
  const rows = await target.query<{ name: string }>(
    `SELECT child.relname AS name FROM pg_inherits
       JOIN pg_class child ON child.oid = pg_inherits.inhrelid
       JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
     WHERE parent.relname = $1 ORDER BY child.relname`,
    [EVENTS_TABLE],
  );
  return rows.map((row) => row.name);
}

export interface RetentionResult {
  droppedPartitions: string[];
  deletedEvents: number;
}

/**
 * Deletes what is older than `retentionDays`: on PostgreSQL whole day partitions
 * (a day goes once all of it is past the cutoff), on SQLite rows in batches of
 * 5,000 (short write transactions). Rollups follow; minute rollups are kept at
 * most MINUTELY_KEEP_DAYS. Idempotent, so every replica may run it.
 */
export async function deleteExpiredEvents(
  target: HttpEventsTarget,
  retentionDays: number,
  now = Date.now(),
  workerIdleDays = retentionDays,
): Promise<RetentionResult> {
  const cutoff = now - retentionDays * DAY_MS;
  const droppedPartitions: string[] = [];
  let deletedEvents = 0;
  if (target.driver === 'postgres') {
    const names = (await isPartitioned(target)) ? await listPartitions(target) : [];
    for (const name of names) {
      const match = /_p(\d{4})(\d{2})(\d{2})$/.exec(name);
      if (!match) continue;
      const dayEnd = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + DAY_MS;
      if (dayEnd > cutoff) continue;
      await target.execute(`DROP TABLE IF EXISTS "${name}"`);
      knownPartitions.get(target)?.delete(name);
      droppedPartitions.push(name);
    }
  } else {
    for (;;) {
      const deleted = await target.execute(
        `DELETE FROM "${EVENTS_TABLE}" WHERE rowid IN
          (SELECT rowid FROM "${EVENTS_TABLE}" WHERE "time" < $1 LIMIT ${SQLITE_DELETE_BATCH})`,
        [cutoff],
      );
      deletedEvents += deleted;
      if (deleted < SQLITE_DELETE_BATCH) break;
    }
  }
  const minuteCutoff = now - Math.min(retentionDays, MINUTELY_KEEP_DAYS) * DAY_MS;
  await target.execute(`DELETE FROM "flowforge_http_events_minutely" WHERE "bucket_start" < $1`, [
    target.time(minuteCutoff),
  ]);
  await target.execute(`DELETE FROM "flowforge_http_events_hourly" WHERE "bucket_start" < $1`, [target.time(cutoff)]);
  await target.execute(`DELETE FROM "flowforge_http_event_workers" WHERE "last_seen_at" < $1`, [
    target.time(now - workerIdleDays * DAY_MS),
  ]);
  return { droppedPartitions, deletedEvents };
}
