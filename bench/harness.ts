// Shared by the benchmarks: re-running under the react-server condition (the
// measured code imports 'server-only'), a throwaway SQLite folder and
// PostgreSQL database, and the timing helpers. Kept apart from the benchmarks
// so each file reads as "seed, check, measure side by side".
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export { createPostgresDatabase, createSqliteFile } from '../tests/helpers/databases';

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
