// lib/sqlite-writer.ts: the collector's ping batches are written through it on the request
// thread, so it must commit all or nothing and never hold the thread while another
// connection has the write lock.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteFile } from '../helpers/databases';
import { openSqliteWriter, type SqliteWriter } from '../../lib/sqlite-writer';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function setUp(options?: { lockWaitMs?: number }): { writer: SqliteWriter; other: Database.Database } {
  const file = createSqliteFile();
  const other = new Database(file.url);
  other.pragma('journal_mode = WAL');
  other.exec('CREATE TABLE t (n INTEGER NOT NULL)');
  const writer = openSqliteWriter(file.url, options);
  cleanups.push(() => {
    writer.close();
    other.close();
    file.remove();
  });
  return { writer, other };
}

const count = (db: Database.Database) => (db.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;

describe('openSqliteWriter', () => {
  it('commits every statement of a transaction and returns what the work returned', async () => {
    const { writer, other } = setUp();
    const result = await writer.transaction(({ run, all }) => {
      run('INSERT INTO t (n) VALUES (?)', 1);
      run('INSERT INTO t (n) SELECT value FROM json_each(?)', JSON.stringify([2, 3]));
      return all<{ n: number }>('SELECT n FROM t ORDER BY n').map((row) => row.n);
    });
    expect(result).toEqual([1, 2, 3]);
    expect(count(other)).toBe(3);
  });

  it('stores nothing of a transaction whose work throws', async () => {
    const { writer, other } = setUp();
    await expect(
      writer.transaction(({ run }) => {
        run('INSERT INTO t (n) VALUES (?)', 1);
        throw new Error('half way');
      }),
    ).rejects.toThrow('half way');
    expect(count(other)).toBe(0);
  });

  it('waits for a write lock held elsewhere on the event loop, not on the thread', async () => {
    const { writer, other } = setUp();
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const written = writer.transaction(({ run }) => run('INSERT INTO t (n) VALUES (?)', 1));
    await new Promise((resolve) => setTimeout(resolve, 120));
    const ticksWhileLocked = ticks;
    other.exec('COMMIT');
    await written;
    clearInterval(ticker);
    // A busy wait on this thread (busy_timeout) would have frozen the timer for the whole 120 ms.
    expect(ticksWhileLocked).toBeGreaterThanOrEqual(10);
    expect(count(other)).toBe(1);
  });

  it('fails with SQLITE_BUSY once the lock is held longer than it waits', async () => {
    const { writer, other } = setUp({ lockWaitMs: 60 });
    other.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    await expect(writer.transaction(({ run }) => run('INSERT INTO t (n) VALUES (?)', 1))).rejects.toMatchObject({
      code: expect.stringMatching(/^SQLITE_BUSY/),
    });
    expect(performance.now() - started).toBeLessThan(1000);
    other.exec('ROLLBACK');
    expect(count(other)).toBe(0);
  });
});
