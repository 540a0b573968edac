// Stores a large body's events on SQLite from the body worker thread (body-worker.ts),
// through a better-sqlite3 connection of the worker's own. better-sqlite3 runs every
// statement, and any wait for the write lock, on the calling thread: here that is the
// worker, so a 500-event INSERT, its rollups, a WAL checkpoint or a lock held by another
// connection never stall the thread that answers requests (bench:hostile). The SQL and
// the flow are the ones the request thread runs (event-writes.ts).
import type Database from 'better-sqlite3';
import { openSideConnection } from '../sqlite-side-connection';
import { writeEventBatch, type ReceivedEvents } from './event-writes';

/** Rows per INSERT: each statement is short, as on the request thread; nothing else waits on this one. */
const ROWS_PER_INSERT = 500;
/** Waiting for the write lock (the platform's connection, the CLI) blocks only this thread. */
const BUSY_TIMEOUT_MS = 10_000;

const connections = new Map<string, Database.Database>();

function connection(file: string): Database.Database {
  let open = connections.get(file);
  if (!open) {
    open = openSideConnection(file, BUSY_TIMEOUT_MS);
    connections.set(file, open);
  }
  return open;
}

/** Writes the events in one transaction (BEGIN IMMEDIATE: the write lock first, no upgrade deadlock). */
export async function storeEventsOnSqlite(file: string, received: ReceivedEvents): Promise<number> {
  const sqlite = connection(file);
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    const stored = await writeEventBatch(
      [received],
      false,
      {
        query: async (statement) => sqlite.prepare(statement.sql).all(...statement.values) as Array<{ uuid: string }>,
        execute: async (statement) => sqlite.prepare(statement.sql).run(...statement.values),
      },
      { rowsPerInsert: ROWS_PER_INSERT },
    );
    sqlite.exec('COMMIT');
    return stored;
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw error;
  }
}

/** Closes the worker's connections (the worker's end). */
export function closeWorkerConnections(): void {
  for (const open of connections.values()) open.close();
  connections.clear();
}
