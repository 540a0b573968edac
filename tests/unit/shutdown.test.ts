// The stop path: on SIGTERM, `next start`'s own handler calls process.exit at
// once; the hooks registered with onShutdown (the collector's pending writes and
// counts, the last usage events) must still finish before the process ends.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const shutdownModule = path.resolve(__dirname, '../../lib/shutdown.ts');

function runChild(script: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
      if (out.includes('ready')) child.kill('SIGTERM');
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('onShutdown', () => {
  it('holds the exit that the server calls on SIGTERM until every hook has settled', async () => {
    const { code, out } = await runChild(`
      const { onShutdown } = await import(${JSON.stringify(shutdownModule)});
      onShutdown(async () => { await new Promise((r) => setTimeout(r, 300)); console.log('flushed writes'); });
      onShutdown(async () => { throw new Error('a failing hook does not stop the others'); });
      onShutdown(async (signal) => { console.log('events sent on ' + signal); });
      // What next start does: exit at once on the signal.
      process.on('SIGTERM', () => process.exit(143));
      setInterval(() => {}, 1000);
      console.log('ready');
    `);
    expect(out).toContain('flushed writes');
    expect(out).toContain('events sent on SIGTERM');
    expect(code).toBe(143);
  });
});
