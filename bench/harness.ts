// Shared by the benchmarks: re-running under the react-server condition (the
// measured code imports 'server-only'), a throwaway SQLite folder and
// PostgreSQL database, and the timing helpers. Kept apart from the benchmarks
// so each file reads as "seed, check, measure side by side".
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { createPostgresDatabase, createSqliteFile } from '../tests/helpers/databases';

export { createPostgresDatabase, createSqliteFile };

/** Re-runs the calling script under `--conditions=react-server` unless it already is; returns only in the child. */
export function relaunchUnderReactServer(metaUrl: string): void {
  if (process.execArgv.join(' ').includes('react-server') || process.env.BENCH_CHILD) return;
  const result = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', fileURLToPath(metaUrl)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_CHILD: '1' },
  });
  process.exit(result.status ?? 1);
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Milliseconds the call took, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

export interface SeededDatabases {
  sqliteUrl: string;
  postgresUrl: string;
  dispose(): Promise<void>;
}

/**
 * A temporary SQLite file and a fresh PostgreSQL database, migrated and then
 * seeded by the caller's bulk-SQL functions, with the seeding time printed.
 * dispose() removes both; a failure on the way removes what was made.
 */
export async function seededDatabases(seed: {
  sqlite: (file: string) => void | Promise<void>;
  postgres: (url: string) => Promise<void>;
}): Promise<SeededDatabases> {
  const { migrate } = await import('../lib/migrate');
  const sqlite = createSqliteFile();
  let postgres: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  try {
    await migrate('sqlite', sqlite.url);
    const [sqliteMs] = await timed(async () => seed.sqlite(sqlite.url));
    console.log(`  sqlite:     ${(sqliteMs / 1000).toFixed(1)} s (recursive CTE, one transaction)`);
    postgres = await createPostgresDatabase();
    await migrate('postgres', postgres.url);
    const url = postgres.url;
    const [postgresMs] = await timed(() => seed.postgres(url));
    console.log(`  postgresql: ${(postgresMs / 1000).toFixed(1)} s (generate_series, one transaction, then VACUUM ANALYZE)`);
  } catch (error) {
    await postgres?.drop();
    sqlite.remove();
    throw error;
  }
  const made = postgres;
  return {
    sqliteUrl: sqlite.url,
    postgresUrl: made.url,
    dispose: async () => {
      await made.drop();
      sqlite.remove();
    },
  };
}
