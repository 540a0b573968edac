#!/usr/bin/env node
// The whole test suite, as README and .ci/run call it: type check and schema
// drift check, unit and integration tests (real SQLite and PostgreSQL), a
// production build, then Playwright in Debian's Chromium. Installs or starts
// what a fresh machine lacks (Chromium, PostgreSQL) when it can, and ends with
// one line: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reports = mkdtempSync(path.join(tmpdir(), 'flowforge-reports-'));
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', FLOWFORGE_DIST_DIR: '.next-test' };
const bin = (name) => path.join(root, 'node_modules/.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };

function run(label, command, args, options = {}) {
  console.log(`\n── ${label}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit', ...options });
  return result.status === 0;
}

function ensureChromium() {
  const chromium = env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(chromium)) return;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log("Chromium is missing: installing Debian's chromium (apt-get install -y chromium)");
    run('apt-get update', 'apt-get', ['update', '-qq']);
    if (run('apt-get install chromium', 'apt-get', ['install', '-y', '-qq', 'chromium'])) return;
  }
  console.error(
    `Chromium not found at ${chromium}. Install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.`,
  );
  process.exit(1);
}

function ensurePostgres() {
  const ready = () => spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q']).status === 0;
  if (env.FLOWFORGE_TEST_PG_URL || ready()) return;
  if (existsSync('/etc/postgresql')) {
    const [version] = readdirSafe('/etc/postgresql');
    console.log(`PostgreSQL is not running: starting cluster ${version}/main`);
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
    for (let i = 0; i < 30 && !ready(); i++) spawnSync('sleep', ['1']);
    if (ready()) return;
  }
  console.error(
    'PostgreSQL is not reachable on 127.0.0.1:5432. Start it, or set FLOWFORGE_TEST_PG_URL to a server' +
      ' where this user may create databases.',
  );
  process.exit(1);
}

function readdirSafe(dir) {
  try {
    return spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

function countVitest(file) {
  if (!existsSync(file)) return false;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  return true;
}

function countPlaywright(file) {
  if (!existsSync(file)) return false;
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += stats.expected + stats.flaky;
  totals.failed += stats.unexpected;
  totals.skipped += stats.skipped;
  return true;
}

function finish(ok) {
  rmSync(reports, { recursive: true, force: true });
  console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(ok && totals.failed === 0 ? 0 : 1);
}

ensurePostgres();
ensureChromium();

if (!run('type check and schema drift check', 'npm', ['run', '--silent', 'check'])) finish(false);

const vitestJson = path.join(reports, 'vitest.json');
const unitOk = run('unit and integration tests (vitest)', bin('vitest'), [
  'run',
  '--config',
  'tests/vitest.config.ts',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
if (!countVitest(vitestJson)) finish(false);

if (!run('production build for the browser tests', bin('next'), ['build'])) finish(false);

const playwrightJson = path.join(reports, 'playwright.json');
const e2eOk = run(
  'browser tests (Playwright, Chromium)',
  bin('playwright'),
  ['test', '-c', 'tests/e2e/playwright.config.ts', '--reporter=list,json'],
  {
    env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson },
  },
);
if (!countPlaywright(playwrightJson)) finish(false);

finish(unitOk && e2eOk);
