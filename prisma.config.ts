// Prisma CLI config for the SQLite schema (the default). The PostgreSQL twin is
// prisma/postgres/prisma.config.ts. Migrations are applied by lib/migrate.ts,
// not by the Prisma CLI (its schema engine cannot be downloaded here).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
