// Real databases for tests: a SQLite file in a temp folder, or a fresh
// PostgreSQL database with a random name on the local server. Both are
// migrated with the production migrator and removed by dispose().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '../../lib/db-client';
import { DB_DRIVERS, type Driver } from '../../lib/db-driver';
import { migrate } from '../../lib/migrate';
import type { Config } from '../../lib/config';

export const DRIVERS: Driver[] = [...DB_DRIVERS];

/** Server used to create and drop test databases; override with FLOWFORGE_TEST_PG_URL. */
export const PG_ADMIN_URL = process.env.FLOWFORGE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  driver: Driver;
  config: Config['db'];
  db: Db;
  dispose(): Promise<void>;
}

export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `flowforge_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

export function createSqliteFile(): { url: string; dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'flowforge-test-'));
  return { url: path.join(dir, 'flowforge.db'), dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An empty store of either driver: its URL, and how to remove it once its clients are closed. */
async function createEmptyDatabase(driver: Driver): Promise<{ url: string; remove(): Promise<void> }> {
  if (driver === 'sqlite') {
    const file = createSqliteFile();
    return { url: file.url, remove: async () => file.remove() };
  }
  const database = await createPostgresDatabase();
  return { url: database.url, remove: () => database.drop() };
}

export async function createTestDatabase(driver: Driver): Promise<TestDatabase> {
  const store = await createEmptyDatabase(driver);
  await migrate(driver, store.url);
  const config: Config['db'] = { type: driver, url: store.url };
  const db = createDb(config);
  return {
    driver,
    config,
    db,
    dispose: async () => {
      await db.$disconnect();
      await store.remove();
    },
  };
}
