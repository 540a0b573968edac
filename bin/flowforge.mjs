#!/usr/bin/env node
// The `flowforge` command. The CLI is TypeScript sharing lib/ with the server,
// so this launcher runs it through tsx, with the `react-server` condition that
// makes 'server-only' imports resolve to an empty module (as in the server).
// Paths are absolute, so it works from any folder (`npx flowforge` in the
// project, `node /path/to/bin/flowforge.mjs` anywhere).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const entry = path.join(root, 'lib/cli/entry.ts');

const child = spawn(process.execPath, ['--conditions=react-server', '--import', tsx, entry, ...process.argv.slice(2)], {
  stdio: 'inherit',
});

// Ctrl-C reaches both processes; let the CLI finish its cleanup and report.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  console.error(`flowforge: cannot start: ${error.message}`);
  process.exit(1);
});
// Like a shell: a child killed by a signal exits with 128 + its number.
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
