// Shared by every benchmark: re-running under the react-server condition (the measured code
// imports 'server-only'), the options read from BENCH_* variables, the timing helpers and the
// result rows. Seeding lives in seed.ts, the built server in server.ts, load in load.ts, so each
// benchmark reads as "seed, check, measure side by side".
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

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

/**
 * The median of a few servers' figures: for an even count the mean of the two middle values (the
 * median above takes the upper one, which with two servers a mode would be the larger).
 */
export const medianOfServers = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length % 2
    ? sorted[(sorted.length - 1) / 2]
    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
};

/** Milliseconds the call took, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

/**
 * The benchmark's numeric options: each key K is read from the environment as BENCH_K, else
 * its default (so `BENCH_PINGS=100000` scales a run down). A value that is not a number stops
 * the run rather than measuring NaN rows.
 */
export function benchOptions<T extends Record<string, number>>(defaults: T): T {
  const entries = Object.entries(defaults).map(([key, fallback]) => {
    const raw = process.env[`BENCH_${key}`];
    const value = Number(raw ?? fallback);
    if (Number.isNaN(value)) throw new Error(`BENCH_${key}=${raw} is not a number`);
    return [key, value];
  });
  return Object.fromEntries(entries) as T;
}

/** The p-th percentile (0-100) of the values. */
export const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

// ---------------------------------------------------------------------------
// Results: every benchmark reports its figures as rows, so `npm run bench:all`
// can gather them into one table (README.md quotes it).

export interface BenchRow {
  /** The npm script suffix that reproduces the row: `npm run bench:<bench>`. */
  bench: string;
  /** What was measured, in a few words (database, condition). */
  figure: string;
  /** The measured values side by side, e.g. "1,210 ms on / 1,190 ms off". */
  measured: string;
  /** The ratio the target is about, e.g. "1.02x" (empty when the target is absolute). */
  ratio?: string;
  /** The promise, e.g. "<= 1.02x". */
  target?: string;
  pass?: boolean;
}

/** Prints one result line (PASS/FAIL first) and, under bench:all, hands the row to the table. */
export function reportRow(row: BenchRow): void {
  const verdict = row.pass === undefined ? '    ' : row.pass ? 'PASS' : 'FAIL';
  const ratio = row.ratio ? `  ratio ${row.ratio}` : '';
  const target = row.target ? `  (target ${row.target})` : '';
  console.log(`${verdict}  ${row.figure}: ${row.measured}${ratio}${target}`);
  const file = process.env.BENCH_ROWS_FILE;
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
}

/** "1,234" style figures for the table. */
export const thousands = (x: number, digits = 0) =>
  x.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
