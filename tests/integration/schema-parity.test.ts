// Keeps the two hand-written migration folders and the Prisma schema in step:
// after migrating, both databases must have exactly the tables and columns of
// the Prisma models, and the same indexes as each other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Prisma } from '../../lib/generated/sqlite/client';
import { createPostgresDatabase, createSqliteFile } from '../helpers/databases';
import { migrate, migrationsDir, readMigrations } from '../../lib/migrate';
import type { Driver } from '../../lib/db-driver';

const scalarFields: Record<string, string[]> = Object.fromEntries(
  Object.values(Prisma.ModelName).map((model) => [
    model,
    Object.values((Prisma as unknown as Record<string, Record<string, string>>)[`${model}ScalarFieldEnum`]).sort(),
  ]),
);

let sqlite: { tables: Record<string, string[]>; indexes: string[] };
let postgres: { tables: Record<string, string[]>; indexes: string[] };
const cleanup: Array<() => unknown> = [];

beforeAll(async () => {
  const file = createSqliteFile();
  cleanup.push(file.remove);
  await migrate('sqlite', file.url);
  const lite = new Database(file.url, { readonly: true });
  const names = lite
    .prepare(
      `SELECT name FROM sqlite_master
       WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_prisma_migrations'`,
    )
    .all() as { name: string }[];
  sqlite = {
    tables: Object.fromEntries(
      names.map(({ name }) => [
        name,
        (lite.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map((c) => c.name).sort(),
      ]),
    ),
    indexes: (
      lite
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'`)
        .all() as { name: string }[]
    )
      .map((r) => r.name)
      .sort(),
  };
  lite.close();

  const database = await createPostgresDatabase();
  cleanup.push(database.drop);
  await migrate('postgres', database.url);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const columns = await client.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name != '_prisma_migrations'`,
  );
  const tables: Record<string, string[]> = {};
  for (const row of columns.rows) (tables[row.table_name] ??= []).push(row.column_name);
  for (const list of Object.values(tables)) list.sort();
  const indexes = await client.query<{ indexname: string }>(
    `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'`,
  );
  postgres = { tables, indexes: indexes.rows.map((r) => r.indexname).sort() };
  await client.end();
});

afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

describe('migrations match prisma/schema.prisma', () => {
  it('SQLite has exactly the tables and columns of the Prisma models', () => {
    expect(sqlite.tables).toEqual(scalarFields);
  });

  it('PostgreSQL has exactly the tables and columns of the Prisma models', () => {
    expect(postgres.tables).toEqual(scalarFields);
  });

  it('both databases have the same indexes', () => {
    expect(postgres.indexes).toEqual(sqlite.indexes);
  });

  it('both migration folders hold the same migration names', () => {
    const names = (driver: Driver) => readMigrations(migrationsDir(driver)).map((m) => m.name);
    expect(names('postgres')).toEqual(names('sqlite'));
  });
});
