// A better-sqlite3 connection of its own beside the platform's Prisma client, for code
// that appends in bulk: HTTP request events (lib/data/http-events.ts), large collector
// batches stored from the body worker thread (lib/collector/worker-event-store.ts) and the
// collector's ping batches (lib/sqlite-writer.ts).
// Free of server-only imports: the worker thread opens one.
import Database from 'better-sqlite3';

/**
 * Page cache (KiB; better-sqlite3's default is 16 MB a connection): these connections append
 * and upsert a few rollup rows, and a full 16 MB cache each was resident memory the server
 * kept for nothing (bench:hostile).
 */
const CACHE_KIB = 2048;

/**
 * Opens `file` with `busyTimeoutMs` of waiting for the write lock (better-sqlite3 waits on
 * the calling thread) and, by default, synchronous = NORMAL: WAL (set by the migrator) with no
 * fsync per commit; a power cut may lose the last commits but never corrupts the file. FULL
 * syncs each commit, as the platform's own Prisma connection does: for writers whose answer
 * promises the data is stored (the collector's pings).
 */
export function openSideConnection(
  file: string,
  busyTimeoutMs: number,
  synchronous: 'NORMAL' | 'FULL' = 'NORMAL',
): Database.Database {
  const connection = new Database(file);
  connection.pragma(`busy_timeout = ${busyTimeoutMs}`);
  connection.pragma(`synchronous = ${synchronous}`);
  connection.pragma(`cache_size = -${CACHE_KIB}`);
  return connection;
}

/** Prepared statements kept at once; past it the cache starts over (texts that vary with their data cannot grow it). */
const MAX_CACHED_STATEMENTS = 100;

/** A prepare() that keeps each SQL text's statement, so a hot writer parses its texts once. */
export function statementCache(connection: Database.Database): (sql: string) => Database.Statement {
  const statements = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = connection.prepare(sql);
      if (statements.size > MAX_CACHED_STATEMENTS) statements.clear();
      statements.set(sql, statement);
    }
    return statement;
  };
}
