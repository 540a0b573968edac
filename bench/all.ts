// Runs every benchmark (each `bench:*` script of package.json, one process each,
// one after the other so they never compete for the machine) and prints one
// table of their figures, with the date and the machine, as Markdown ready for
// README.md. Benchmarks hand their rows over through BENCH_ROWS_FILE
// (reportRow() in bench/harness.ts); one that reports none gets a row saying so.
//
//   npm run bench:all                 every benchmark (long: the seeded ones insert millions of rows)
//   npm run bench:all -- boot memory  only these
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BenchRow } from './harness';
import { ensureBuilt, ROOT } from './server';

const scripts = Object.keys(
  (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts,
)
  .filter((name) => name.startsWith('bench:') && name !== 'bench:all')
  .map((name) => name.slice('bench:'.length));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !scripts.includes(name));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${scripts.join(', ')}`);
  process.exit(2);
}
const chosen = wanted.length ? wanted : scripts;

const machine = () => {
  const cpus = os.cpus();
  return (
    `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ` +
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ` +
    `${os.type()} ${os.release()}, Node.js ${process.version}`
  );
};
const load = () => os.loadavg()[0].toFixed(1);

/** Runs `npm run bench:<name>`, echoing its output; returns its rows, the verdict lines as a fallback, and its time. */
function run(name: string, rowsFile: string) {
  return new Promise<{ rows: BenchRow[]; code: number | null; minutes: number; loadBefore: string }>((resolve) => {
    const loadBefore = load();
    const started = performance.now();
    rmSync(rowsFile, { force: true });
    const child = spawn('npm', ['run', '--silent', `bench:${name}`], {
      cwd: ROOT,
      env: { ...process.env, BENCH_ROWS_FILE: rowsFile },
      stdio: 'inherit',
    });
    child.on('exit', (code) => {
      let rows: BenchRow[] = [];
      try {
        rows = readFileSync(rowsFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as BenchRow);
      } catch {}
      resolve({ rows, code, minutes: (performance.now() - started) / 60_000, loadBefore });
    });
  });
}

const started = new Date();
console.log(`bench:all ${started.toISOString()} on ${machine()}; load average ${load()}`);
ensureBuilt(); // once, so no benchmark's figures include a build
const dir = mkdtempSync(path.join(os.tmpdir(), 'flowforge-bench-all-'));
const table: string[] = [];
const notes: string[] = [];
let failed = 0;
try {
  for (const name of chosen) {
    console.log(`\n── npm run bench:${name}`);
    const result = await run(name, path.join(dir, `${name}.jsonl`));
    const minutes = result.minutes.toFixed(1);
    notes.push(`bench:${name} ${minutes} min, load average ${result.loadBefore} at its start, exit ${result.code}`);
    if (result.rows.length === 0)
      table.push(
        `| \`npm run bench:${name}\` | no figures reported (exit code ${result.code}); see its output | | | |`,
      );
    for (const row of result.rows) {
      const verdict = row.pass === undefined ? '' : row.pass ? 'PASS' : '**FAIL**';
      if (row.pass === false) failed++;
      const cells = [`\`npm run bench:${row.bench}\``, row.figure, row.measured, row.ratio ?? ''];
      cells.push([row.target, verdict].filter(Boolean).join(' '));
      table.push(`| ${cells.join(' | ')} |`);
    } // The table so far, so a long run that is cut short still leaves its figures.
    console.log(`\n── table so far\n${table.join('\n')}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\n\nMeasured ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine()}.\n`);
console.log('| command | figure | measured | ratio | target |');
console.log('| --- | --- | --- | --- | --- |');
for (const line of table) console.log(line);
console.log(`\n${notes.join('\n')}`);
console.log(`\n${failed} figure(s) missed their target.`);
process.exitCode = failed ? 1 : 0;
