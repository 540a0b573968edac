// The collector's ping writer thread (ping-writer.ts starts it and speaks to it).
// Messages, each answered with {id, reply} or {id, failure, code}:
//   write   {target, rows}: one batch of pings, committed -> null
// SQLite: a connection per file (lib/sqlite-writer.ts: cached statements, BEGIN IMMEDIATE,
// synced commits, the write lock waited for in short pauses), batches one after another.
// PostgreSQL: a pool per database (node-postgres), batches in flight side by side up to its
// size. The server has one database, tests many: only the last few stay open.
import pg from 'pg';
import { openSqliteWriter, type SqliteWriter } from '../sqlite-writer';
import { serveMessages } from '../worker-rpc';
import { pingStatement } from './postgres-ping-writes';
import { writePingRows, type PingRows } from './sqlite-ping-writes';

export type PingTarget = { type: 'sqlite'; file: string } | { type: 'postgres'; url: string; connections: number };
export type PingWriterMessage = { id: number; op: 'write'; target: PingTarget; rows: PingRows };

const OPEN_TARGETS = 4;

/** A Map used as a small least-recently-used cache: past OPEN_TARGETS entries the oldest is closed. */
function lru<T>(close: (value: T) => void): (key: string, open: () => T) => T {
  const entries = new Map<string, T>();
  return (key, open) => {
    let value = entries.get(key);
    if (value !== undefined)
      entries.delete(key); // re-inserted below: the Map's order is the order of use
    else {
      value = open();
      if (entries.size >= OPEN_TARGETS) {
        const [oldest, oldestValue] = entries.entries().next().value!;
        entries.delete(oldest);
        close(oldestValue);
      }
    }
    entries.set(key, value);
    return value;
  };
}

interface SqliteTarget {
  writer: SqliteWriter;
  /** The last batch's write: the next one starts after it (a batch waiting for the lock keeps its turn). */
  last: Promise<unknown>;
}

const sqliteTargets = lru<SqliteTarget>((target) => void target.last.finally(() => target.writer.close()));
const postgresPools = lru<pg.Pool>((pool) => void pool.end());

function openPool(url: string, connections: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  // An idle connection that the server ends (a restart, a dropped database) is removed by the pool;
  // unheard, its 'error' would end this thread.
  pool.on('error', () => {});
  return pool;
}

async function write(target: PingTarget, rows: PingRows): Promise<null> {
  if (target.type === 'postgres') {
    const pool = postgresPools(target.url, () => openPool(target.url, target.connections));
    await pool.query(pingStatement(rows));
    return null;
  }
  const sqlite = sqliteTargets(target.file, () => ({ writer: openSqliteWriter(target.file), last: Promise.resolve() }));
  const written = sqlite.last.then(() => sqlite.writer.transaction((statements) => writePingRows(statements, rows)));
  sqlite.last = written.catch(() => {});
  await written;
  return null;
}

// Side by side: PostgreSQL batches overlap their round trips; SQLite ones queue per file above.
serveMessages<PingWriterMessage>(({ target, rows }) => write(target, rows), { oneAtATime: false });
