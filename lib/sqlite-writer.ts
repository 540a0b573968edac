// Transactions on a SQLite file through a better-sqlite3 connection of their own, for a hot
// write path: the collector's ping batches, in the ping writer's thread (lib/collector/ping-writer.ts).
// Each transaction is one synchronous call with cached prepared statements: 1.1-1.2 ms of
// CPU for a batch of 10 pings, where an interactive Prisma transaction cost 2.4-2.7 ms (BEGIN,
// five raw statements and COMMIT, each through Prisma's promise and span machinery and each
// SQL text prepared again). The calling thread never waits for the write lock: busy_timeout is 0, and when
// another connection holds the lock (the body worker storing a large batch, the CLI, another
// process) the whole transaction is tried again after a short pause on the event loop.
// Commits are synced (synchronous = FULL), as on the platform's own connection: an answer
// sent after the commit means the data is on disk.
import { openSideConnection, statementCache } from './sqlite-side-connection';

export interface SqliteStatements {
  run(sql: string, ...params: unknown[]): void;
  all<Row>(sql: string, ...params: unknown[]): Row[];
}

export interface SqliteWriter {
  /** Runs `work` in one transaction (BEGIN IMMEDIATE), all or nothing; its result once committed. */
  transaction<T>(work: (statements: SqliteStatements) => T): Promise<T>;
  close(): void;
}

/** How long a transaction keeps trying for the write lock before it fails (the Prisma connection's busy timeout). */
export const LOCK_WAIT_MS = 10_000;
const FIRST_PAUSE_MS = 1;
const LONGEST_PAUSE_MS = 25;

const isBusy = (error: unknown) =>
  typeof error === 'object' &&
  error !== null &&
  /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code));

export function openSqliteWriter(file: string, { lockWaitMs = LOCK_WAIT_MS } = {}): SqliteWriter {
  const connection = openSideConnection(file, 0, 'FULL');
  const prepare = statementCache(connection);
  const statements: SqliteStatements = {
    run: (sql, ...params) => void prepare(sql).run(...params),
    all: <Row>(sql: string, ...params: unknown[]) => prepare(sql).all(...params) as Row[],
  };
  return {
    async transaction(work) {
      const deadline = Date.now() + lockWaitMs;
      for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(LONGEST_PAUSE_MS, pause * 2)) {
        try {
          return connection.transaction(() => work(statements)).immediate();
        } catch (error) {
          if (!isBusy(error) || Date.now() + pause > deadline) throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    },
    close: () => connection.close(),
  };
}
