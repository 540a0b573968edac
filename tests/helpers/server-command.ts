// How the built platform is started: `npm start` (package.json), which runs
// `node <flags> node_modules/next/dist/bin/next start`. The end-to-end tests and the
// benchmarks start the server the same way, with the same Node.js flags read from
// there, so what they measure is what `npm start` runs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const NEXT_BIN = 'node_modules/next/dist/bin/next';

/** The Node.js flags of package.json's start script (the words between `node` and Next's bin). */
export function serverNodeFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = scripts.start.split(/\s+/);
  const bin = words.indexOf(NEXT_BIN);
  if (words[0] !== 'node' || bin < 0 || words[bin + 1] !== 'start')
    throw new Error(`package.json's start script is not "node [flags] ${NEXT_BIN} start": ${scripts.start}`);
  return words.slice(1, bin);
}

/** The arguments for process.execPath that start the built server on `port`. */
export function serverArgs(port: number): string[] {
  return [...serverNodeFlags(), path.join(root, NEXT_BIN), 'start', '-p', String(port), '-H', '127.0.0.1'];
}
