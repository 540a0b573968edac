// The one Prisma client of the process, built for the configured driver and
// cached on globalThis (Next's dev server reloads modules; the CLI and tests
// import this file too). SQLite and PostgreSQL have two generated clients with
// identical model APIs; the rest of the code sees one type, `Db`.
import 'server-only';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client';
import { PrismaClient as PostgresClient } from './generated/postgres/client';
import { getConfig, type Config } from './config';

export type Db = SqliteClient;

export function createDb(db: Config['db']): Db {
  if (db.type === 'postgres') {
    const adapter = new PrismaPg({ connectionString: db.url, max: 10 });
    return new PostgresClient({ adapter }) as unknown as Db;
  }
  // busy timeout: the server, the CLI and other processes share the file.
  const adapter = new PrismaBetterSqlite3({ url: db.url, timeout: 10_000 });
  return new SqliteClient({ adapter });
}

const cache = globalThis as unknown as { flowforgeDb?: Db };

export function getDb(): Db {
  cache.flowforgeDb ??= createDb(getConfig().db);
  return cache.flowforgeDb;
}

/** Lazy proxy so that importing this module never opens a connection (e.g. during `next build`). */
export const db: Db = new Proxy({} as Db, {
  get: (_target, property) => {
    const client = getDb();
    const value = Reflect.get(client, property);
    return typeof value === 'function' ? value.bind(client) : value;
  },
});

/** Tests and the CLI swap in their own client. */
export function setDb(client: Db | undefined): void {
  cache.flowforgeDb = client;
}
