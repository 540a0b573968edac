// `npm start` runs Node.js with flags (package.json); the e2e tests and the benchmarks read
// them from there (tests/helpers/server-command.ts), so they run what `npm start` runs.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { serverArgs, serverNodeFlags } from '../helpers/server-command';

describe("npm start's Node.js flags", () => {
  it('keeps V8 from growing the heap fourfold between collections (the hostile-load RSS bound)', () => {
    expect(serverNodeFlags()).toEqual(['--heap-growing-percent=50']);
  });

  it('are accepted by this Node.js (an unknown V8 flag would stop the platform from starting)', () => {
    const run = spawnSync(process.execPath, [...serverNodeFlags(), '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('come before Next’s bin in the arguments the tests start the server with', () => {
    const args = serverArgs(4321);
    expect(args.slice(0, 1)).toEqual(serverNodeFlags());
    expect(args.slice(1)).toEqual([
      expect.stringMatching(/node_modules\/next\/dist\/bin\/next$/),
      'start',
      '-p',
      '4321',
      '-H',
      '127.0.0.1',
    ]);
  });
});
