#!/usr/bin/env node
// Generates both Prisma clients (SQLite and PostgreSQL). `prisma generate` does
// not run the schema engine, but the CLI insists on finding one and would try
// to download it (impossible offline), so we point it at an existing file.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

for (const config of ['prisma.config.ts', 'prisma/postgres/prisma.config.ts']) {
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/prisma/build/index.js'), 'generate', '--config', config],
    {
      cwd: root,
      env,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
