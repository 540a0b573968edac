// Builds a Prisma client for a database. SQLite and PostgreSQL have two
// generated clients with identical model APIs; the rest of the code sees one
// type, `Db`. Free of 'server-only' so that tests and scripts can build one.
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client';
import { PrismaClient as PostgresClient } from './generated/postgres/client';
import type { Config } from './config';

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
