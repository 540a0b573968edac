// The setup wizard completes exactly once, even when two submissions race on
// two connections (two replicas); the migrator is idempotent, safe when several
// processes start at once, and refuses a database newer than the code.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createDb } from '../../lib/db-client';
import { completeSetup, SetupAlreadyCompleteError } from '../../lib/data/setup';
import { isSetupComplete } from '../../lib/data/settings';
import { migrate, migrationsDir, MigrationError, readMigrations } from '../../lib/migrate';
import { createPostgresDatabase, createSqliteFile, createTestDatabase, DRIVERS } from '../helpers/databases';
import type { Driver } from '../../lib/db-driver';
import { describeStartupFailure } from '../../lib/startup-error';

const cleanup: Array<() => unknown> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

const admin = (n: number) => ({
  email: `admin${n}@example.com`,
  name: `Admin ${n}`,
  password: 'Analytical-Engine-1843',
  telemetry: n === 1,
});

describe.each(DRIVERS)('completeSetup on %s', (driver) => {
  it('two racing submissions make exactly one admin; the other gets SetupAlreadyCompleteError', async () => {
    const test = await createTestDatabase(driver);
    cleanup.push(test.dispose);
    // PostgreSQL: a second connection, as a second replica would have. SQLite: the same client, as
    // one server handling two requests (better-sqlite3 is synchronous, so a second client in this
    // process would block the first one inside its busy-wait; other processes are not affected).
    const second = driver === 'postgres' ? createDb(test.config) : test.db;
    if (second !== test.db) cleanup.push(() => second.$disconnect());

    const results = await Promise.allSettled([completeSetup(admin(1), test.db), completeSetup(admin(2), second)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(SetupAlreadyCompleteError);
    expect(lost[0].reason.message).toBe('Setup has already been completed on this platform. Sign in instead.');

    // The loser's transaction left nothing behind.
    const users = await test.db.user.findMany();
    expect(users).toHaveLength(1);
    expect(users[0].role).toBe('admin');
    const winner = users[0].email === 'admin1@example.com' ? admin(1) : admin(2);
    expect(await isSetupComplete(test.db)).toBe(true);
    expect((await test.db.setting.findUniqueOrThrow({ where: { key: 'telemetry.enabled' } })).value).toBe(
      String(winner.telemetry),
    );
    expect(await test.db.auditLog.count({ where: { event: 'setup.completed', actor: winner.email } })).toBe(1);
    expect(await test.db.auditLog.count()).toBe(2);

    // And later submissions are refused too.
    await expect(completeSetup(admin(3), test.db)).rejects.toBeInstanceOf(SetupAlreadyCompleteError);
    expect(await test.db.user.count()).toBe(1);
  });
});

async function freshDatabase(driver: Driver): Promise<string> {
  if (driver === 'sqlite') {
    const file = createSqliteFile();
    cleanup.push(file.remove);
    return file.url;
  }
  const database = await createPostgresDatabase();
  cleanup.push(database.drop);
  return database.url;
}

async function insertMigrationRow(driver: Driver, url: string, name: string) {
  const sql = `INSERT INTO "_prisma_migrations"
    (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
    VALUES ('00000000-0000-0000-0000-000000000001', 'x', '${name}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)`;
  if (driver === 'sqlite') {
    const db = new Database(url);
    db.exec(sql);
    db.close();
  } else {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(sql);
    await client.end();
  }
}

const execFileAsync = promisify(execFile);
async function migrateInChild(url: string): Promise<{ applied: string[] }> {
  const script =
    `import('./lib/migrate.ts').then((m) => m.migrate('sqlite', ${JSON.stringify(url)}))` +
    '.then((r) => console.log(JSON.stringify(r)))';
  const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: process.cwd() });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe.each(DRIVERS)('migrate on %s', (driver) => {
  const all = readMigrations(migrationsDir(driver)).map((m) => m.name);

  it('applies every migration once; running it again changes nothing', async () => {
    const url = await freshDatabase(driver);
    expect(await migrate(driver, url)).toEqual({ applied: all });
    expect(await migrate(driver, url)).toEqual({ applied: [] });
    const db = createDb({ type: driver, url });
    cleanup.push(() => db.$disconnect());
    expect(await db.user.count()).toBe(0); // the tables exist
  });

  it('refuses a database that holds a migration this code does not know, and changes nothing', async () => {
    const url = await freshDatabase(driver);
    await migrate(driver, url);
    await insertMigrationRow(driver, url, '29991231000000_from_the_future');
    const error = await migrate(driver, url).catch((e) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.message).toBe(
      'The database is newer than this version of FlowForge: ' +
        'it has migration 29991231000000_from_the_future which this code does not know. ' +
        'Upgrade FlowForge (or restore a backup made with this version); nothing was changed.',
    );
  });

  it('a failing migration is a MigrationError naming it, leaves nothing behind, and is not "cannot open"', async () => {
    const url = await freshDatabase(driver);
    // A project folder whose migrations are the real ones plus one that fails halfway.
    const root = mkdtempSync(path.join(tmpdir(), 'flowforge-migrations-'));
    cleanup.push(() => rmSync(root, { recursive: true, force: true }));
    const dir = migrationsDir(driver, root);
    cpSync(migrationsDir(driver), dir, { recursive: true });
    mkdirSync(path.join(dir, '29990101000000_broken'));
    writeFileSync(
      path.join(dir, '29990101000000_broken/migration.sql'),
      'CREATE TABLE "Half" ("id" INTEGER);\nSELECT * FROM "NoSuchTable";\n',
    );
    const error = await migrate(driver, url, root).catch((e) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.message).toMatch(/^migration 29990101000000_broken failed: .*NoSuchTable/);
    const failure = describeStartupFailure(error, { type: driver, url });
    expect(failure).toEqual({ message: error.message, unexpected: false });
    expect(failure.message).not.toContain('cannot open');
    // Nothing of the failed migration stayed; the good ones (same run on SQLite) may or may not have.
    const db = createDb({ type: driver, url });
    cleanup.push(() => db.$disconnect());
    const half = await db.$queryRawUnsafe<unknown[]>(
      driver === 'sqlite'
        ? `SELECT name FROM sqlite_master WHERE name = 'Half'`
        : `SELECT tablename FROM pg_tables WHERE tablename = 'Half'`,
    );
    expect(half).toEqual([]);
  });

  it('three processes migrating one fresh database at once: each migration is applied exactly once', async () => {
    const url = await freshDatabase(driver);
    // PostgreSQL: three connections in this process (each call is async). SQLite: better-sqlite3 is
    // synchronous, so real concurrency needs three processes.
    const results =
      driver === 'postgres'
        ? await Promise.all([1, 2, 3].map(() => migrate(driver, url)))
        : await Promise.all([1, 2, 3].map(() => migrateInChild(url)));
    const appliedBy = results.map((r) => r.applied);
    expect(appliedBy.filter((a) => a.length > 0)).toEqual([all]);
    expect(appliedBy.filter((a) => a.length === 0)).toHaveLength(2);
    const db = createDb({ type: driver, url });
    cleanup.push(() => db.$disconnect());
    const rows = await db.$queryRawUnsafe<Array<{ migration_name: string }>>(
      'SELECT migration_name FROM "_prisma_migrations"',
    );
    expect(rows.map((r) => r.migration_name).sort()).toEqual(all);
  });
});
