// Applies the checked-in migration SQL at boot, on SQLite or PostgreSQL, with no
// Prisma schema engine (it cannot be downloaded here). Applied migrations are
// recorded in a table shaped like Prisma's `_prisma_migrations`. Safe when
// several replicas start at once: PostgreSQL takes an advisory lock, SQLite an
// exclusive write transaction, so exactly one process applies each migration.
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Driver } from './db-driver';

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  name = 'MigrationError';
}

const migrationsTable = (table: string) => `CREATE TABLE IF NOT EXISTS "${table}" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;
// Arbitrary constant: the advisory lock all replicas queue on while migrating.
const PG_LOCK_ID = 72_707_369;

export function migrationsDir(driver: Driver, root = process.cwd()): string {
  return path.join(
    /*turbopackIgnore: true*/ root,
    driver === 'sqlite' ? 'prisma/migrations' : 'prisma/postgres/migrations',
  );
}

export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) throw new MigrationError(`migrations folder not found: ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => {
      const sql = readFileSync(path.join(dir, entry.name, 'migration.sql'), 'utf8');
      return { name: entry.name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Which migrations to run; refuses a database that has migrations this code does not know. */
export function planMigrations(known: Migration[], appliedNames: string[]): Migration[] {
  const knownNames = new Set(known.map((m) => m.name));
  const unknown = appliedNames.filter((name) => !knownNames.has(name));
  if (unknown.length > 0) {
    throw new MigrationError(
      'The database is newer than this version of FlowForge: ' +
        `it has migration ${unknown.join(', ')} which this code does not know. ` +
        'Upgrade FlowForge (or restore a backup made with this version); nothing was changed.',
    );
  }
  const applied = new Set(appliedNames);
  return known.filter((m) => !applied.has(m.name));
}

export interface MigrateResult {
  applied: string[];
}

export async function migrate(driver: Driver, url: string, root = process.cwd()): Promise<MigrateResult> {
  const known = readMigrations(migrationsDir(driver, root));
  return driver === 'sqlite' ? migrateSqlite(url, known) : migratePostgres(url, known);
}

/**
 * The HTTP request events table lives wherever telemetry.httpEvents points (the
 * platform's database or a separate PostgreSQL), so its migrations are a set of
 * their own (prisma/http-events/<driver>/), recorded in their own table.
 */
export async function migrateHttpEvents(driver: Driver, url: string, root = process.cwd()): Promise<MigrateResult> {
  const known = readMigrations(path.join(/*turbopackIgnore: true*/ root, 'prisma/http-events', driver));
  const table = 'flowforge_http_events_migrations';
  // Its own advisory lock: a platform on the same PostgreSQL may be migrating at the same moment.
  return driver === 'sqlite' ? migrateSqlite(url, known, table) : migratePostgres(url, known, table, PG_LOCK_ID + 1);
}

function migrateSqlite(file: string, known: Migration[], table = '_prisma_migrations'): MigrateResult {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // WAL lets the server, the CLI and other processes read while one writes.
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 10000');
    db.exec(
      migrationsTable(table)
        .replace(/TIMESTAMPTZ/g, 'DATETIME')
        .replace('now()', 'CURRENT_TIMESTAMP'),
    );
    const run = db.transaction(() => {
      const appliedNames = db
        .prepare(`SELECT migration_name FROM "${table}" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
        .all()
        .map((row) => (row as { migration_name: string }).migration_name);
      const pending = planMigrations(known, appliedNames);
      for (const m of pending) {
        // The whole run is one transaction: a failing migration leaves nothing behind.
        try {
          db.exec(m.sql);
        } catch (error) {
          throw new MigrationError(`migration ${m.name} failed: ${(error as Error).message}`);
        }
        db.prepare(
          `INSERT INTO "${table}" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES (?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)`,
        ).run(randomUUID(), m.checksum, m.name);
      }
      return pending.map((m) => m.name);
    });
    return { applied: run.immediate() };
  } finally {
    db.close();
  }
}

async function migratePostgres(
  url: string,
  known: Migration[],
  table = '_prisma_migrations',
  lockId = PG_LOCK_ID,
): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [lockId]);
    try {
      await client.query(migrationsTable(table));
      const { rows } = await client.query<{ migration_name: string }>(
        `SELECT migration_name FROM "${table}" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      const pending = planMigrations(
        known,
        rows.map((r) => r.migration_name),
      );
      for (const m of pending) {
        // DDL is transactional in PostgreSQL: a failing migration leaves nothing behind.
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query(
            `INSERT INTO "${table}" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
             VALUES ($1, $2, $3, now(), now(), 1)`,
            [randomUUID(), m.checksum, m.name],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new MigrationError(`migration ${m.name} failed: ${(error as Error).message}`);
        }
      }
      return { applied: pending.map((m) => m.name) };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [lockId]);
    }
  } finally {
    await client.end();
  }
}
