// The one Prisma client of the process, built for the configured driver and
// cached on globalThis (Next's dev server reloads modules; the CLI and tests
// import this file too). SQLite and PostgreSQL have two generated clients with
// identical model APIs; the rest of the code sees one type, `Db`.
import 'server-only';
import { getConfig } from './config';
import { createDb, type Db, type Tx } from './db-client';

export { createDb, type Db, type Tx };

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

/** The client behind `db` (the proxy is one object whatever client it forwards to): for per-client caches. */
export function underlyingDb(client: Db): Db {
  return client === db ? getDb() : client;
}
