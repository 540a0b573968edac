// Prisma CLI config for the PostgreSQL schema derived from prisma/schema.prisma.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
});
