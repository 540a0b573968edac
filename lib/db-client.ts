// Builds a Prisma client for a database. SQLite and PostgreSQL have two
// generated clients with identical model APIs; the rest of the code sees one
// type, `Db`. Free of 'server-only' so that tests and scripts can build one.
import { createHash } from 'node:crypto';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client';
import { PrismaClient as PostgresClient } from './generated/postgres/client';
import type { Config } from './config';

export type Db = SqliteClient;
/** The client inside `db.$transaction(async (tx) => ...)`: data functions that join a caller's transaction take one. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/**
 * The clients built for PostgreSQL. Not `instanceof PostgresClient`: Prisma 7's constructor
 * returns another object (its prototype is Object), so that test was false for every client.
 * Kept on globalThis, like the client itself (lib/db.ts): the built server bundles this module
 * into several chunks (instrumentation, each route), each with its own module state, and a set
 * of one chunk's own did not know the client another chunk had built (so the route handlers
 * wrote SQLite's SQL to PostgreSQL: /batch/ answered 500).
 */
const POSTGRES_CLIENTS = Symbol.for('flowforge.postgresUrls');
const registry = globalThis as unknown as { [POSTGRES_CLIENTS]?: WeakMap<object, string> };
/** Each PostgreSQL client's connection URL: hot writers open their own connections to it. */
const postgresClients = (registry[POSTGRES_CLIENTS] ??= new WeakMap<object, string>());
/** The file of each SQLite client, kept the same way: hot writers open their own connection to it. */
const SQLITE_FILES = Symbol.for('flowforge.sqliteFiles');
const files = globalThis as unknown as { [SQLITE_FILES]?: WeakMap<object, string> };
const sqliteFiles = (files[SQLITE_FILES] ??= new WeakMap<object, string>());

export function createDb(db: Config['db']): Db {
  if (db.type === 'postgres') {
    const adapter = new PrismaPg(
      { connectionString: db.url, max: 10 },
      { statementNameGenerator: (query) => preparedName(query.sql) },
    );
    const client = new PostgresClient({ adapter }) as unknown as Db;
    postgresClients.set(client, db.url);
    return client;
  }
  // busy timeout: the server, the CLI and other processes share the file.
  const adapter = new PrismaBetterSqlite3({ url: db.url, timeout: 10_000 });
  const client = new SqliteClient({ adapter });
  sqliteFiles.set(client, db.url.replace(/^file:/, ''));
  return client;
}

/** The connection URL of a PostgreSQL client built by createDb (undefined for SQLite). */
export function postgresUrlOf(client: Db): string | undefined {
  return postgresClients.get(client);
}

/** The database file of a SQLite client built by createDb (undefined for PostgreSQL). */
export function sqliteFileOf(client: Db): string | undefined {
  return sqliteFiles.get(client);
}

export { jsonRowDate } from './json-row-date';

/** Marks a raw statement to run as a named prepared statement on PostgreSQL (see preparedName). */
export const PREPARED_MARK = '/* prepared */';
const preparedNames = new Map<string, string>();

/**
 * The name of a statement that starts with PREPARED_MARK, '' (unnamed: parsed and planned each
 * time) for any other. A named statement is parsed once per connection and its plan kept, so each
 * run sends only its parameters: for the collector's one-statement ping batch (the same text for
 * every batch, its rows in JSON parameters) that halved PostgreSQL's CPU per batch. Only marked
 * statements are named, since every name stays prepared on its connection: a text that varies with
 * its data (a VALUES list a row long per row) would grow that cache without end. The name is the
 * text's hash, so one name never stands for two texts.
 */
function preparedName(sql: string): string {
  if (!sql.startsWith(PREPARED_MARK)) return '';
  let name = preparedNames.get(sql);
  if (!name) {
    name = `flowforge_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`;
    preparedNames.set(sql, name);
  }
  return name;
}

/** True for a client of the PostgreSQL driver (a few hot statements are written per database). */
export function isPostgresClient(client: Db): boolean {
  return postgresClients.has(client);
}
