// Benchmark seeding: a throwaway SQLite file and PostgreSQL database, migrated, then loaded in
// bulk SQL (a recursive CTE, generate_series) in one transaction each.
import Database from 'better-sqlite3';
import pg from 'pg';

import type { Db } from '../lib/db-client';
import type { Driver } from '../lib/db-driver';
import { createPostgresDatabase, createSqliteFile } from '../tests/helpers/databases';
import { timed } from './harness';

/**
 * Bulk-loads a SQLite file: `load` runs in one transaction with the journal in WAL mode and
 * no fsync (seeding speed, not durability), then ANALYZE gives the planner the real sizes and a
 * checkpoint moves the WAL into the file, so the measured reads start from the same state.
 */
export function bulkLoadSqlite(file: string, load: (lite: Database.Database) => void): void {
  const lite = new Database(file);
  try {
    lite.pragma('journal_mode = WAL');
    lite.pragma('synchronous = OFF');
    lite.exec('BEGIN');
    load(lite);
    lite.exec('COMMIT');
    lite.exec('ANALYZE');
    lite.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    lite.close();
  }
}

/**
 * Bulk-loads a PostgreSQL database: `load` runs in one transaction on one connection, then
 * VACUUM ANALYZE (a freshly loaded table has no visibility map yet: VACUUM gives count(*) and
 * index scans their best, index-only, plans; ANALYZE gives the planner the real sizes).
 */
export async function bulkLoadPostgres(url: string, load: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await load(client);
    await client.query('COMMIT');
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

/** One seeded database, open: what a benchmark measures on each driver in turn. */
export interface SeededDatabase {
  driver: Driver;
  /** "SQLite" or "PostgreSQL", for the printed figures. */
  label: string;
  db: Db;
}

export interface SeededDatabases {
  /** SQLite first, then PostgreSQL, each with a client open until dispose(). */
  databases: SeededDatabase[];
  dispose(): Promise<void>;
}

/**
 * A temporary SQLite file and a fresh PostgreSQL database, migrated and then
 * seeded by the caller's bulk-SQL functions, with the seeding time printed,
 * then opened. dispose() closes and removes both; a failure on the way removes what was made.
 */
export async function seededDatabases(seed: {
  sqlite: (file: string) => void | Promise<void>;
  postgres: (url: string) => Promise<void>;
}): Promise<SeededDatabases> {
  const { migrate } = await import('../lib/migrate');
  const { createDb } = await import('../lib/db-client');
  const sqlite = createSqliteFile();
  let postgres: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  try {
    await migrate('sqlite', sqlite.url);
    const [sqliteMs] = await timed(async () => seed.sqlite(sqlite.url));
    console.log(`  sqlite:     ${(sqliteMs / 1000).toFixed(1)} s (recursive CTE, one transaction)`);
    postgres = await createPostgresDatabase();
    await migrate('postgres', postgres.url);
    const url = postgres.url;
    const [postgresMs] = await timed(() => seed.postgres(url));
    console.log(
      `  postgresql: ${(postgresMs / 1000).toFixed(1)} s (generate_series, one transaction, then VACUUM ANALYZE)`,
    );
  } catch (error) {
    await postgres?.drop();
    sqlite.remove();
    throw error;
  }
  const made = postgres;
  const databases: SeededDatabase[] = [
    { driver: 'sqlite', label: 'SQLite', db: createDb({ type: 'sqlite', url: sqlite.url }) },
    { driver: 'postgres', label: 'PostgreSQL', db: createDb({ type: 'postgres', url: made.url }) },
  ];
  return {
    databases,
    dispose: async () => {
      for (const { db } of databases) await db.$disconnect();
      await made.drop();
      sqlite.remove();
    },
  };
}
