#!/usr/bin/env node
// Derives prisma/postgres/schema.prisma from prisma/schema.prisma (SQLite, the
// source of truth): the provider and client output change, nothing else.
// With --check it writes nothing and exits 1 when the derived file is stale,
// so CI catches a schema edited on one side only.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'prisma/schema.prisma');
const target = path.join(root, 'prisma/postgres/schema.prisma');

export function derivePostgresSchema(text) {
  const replaced = text
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/output\s*=\s*"\.\.\/lib\/generated\/sqlite"/, 'output   = "../../lib/generated/postgres"');
  if (replaced === text)
    throw new Error('prisma/schema.prisma: expected provider "sqlite" and output ../lib/generated/sqlite');
  return '// GENERATED from prisma/schema.prisma by scripts/derive-postgres-schema.mjs. Do not edit.\n' + replaced;
}

const wanted = derivePostgresSchema(readFileSync(source, 'utf8'));
if (process.argv.includes('--check')) {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== wanted) {
    console.error('prisma/postgres/schema.prisma is stale: run `node scripts/derive-postgres-schema.mjs`');
    process.exit(1);
  }
  console.log('prisma/postgres/schema.prisma is up to date');
} else {
  writeFileSync(target, wanted);
  console.log('wrote prisma/postgres/schema.prisma');
}
