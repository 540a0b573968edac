// The body worker lowers its own scheduling priority so that bulk ingest gives way to the
// request thread; the request thread itself must keep its priority (Linux: setpriority on
// the process id would lower the main thread, not the worker).
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { BACKGROUND_NICE } from '../../lib/collector/background-priority';
import { threadNice as niceOf } from '../helpers/process-memory';

const moduleUrl = new URL('../../lib/collector/background-priority.ts', import.meta.url).href;

/** Runs lowerThisThreadPriority() in a fresh worker thread; its answer and task id, read while it still runs. */
function inWorker(): Promise<{ lowered: boolean; taskId: number; nice: number }> {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const { readlinkSync } = require('node:fs');
     import('tsx/esm/api').then(({ register }) => (register(), import(${JSON.stringify(moduleUrl)})))
       .then(({ lowerThisThreadPriority }) => {
         const lowered = lowerThisThreadPriority();
         const taskId = Number(readlinkSync('/proc/thread-self').split('/').pop());
         parentPort.postMessage({ lowered, taskId });
         parentPort.once('message', () => process.exit(0));
       });`,
    { eval: true },
  );
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', ({ lowered, taskId }: { lowered: boolean; taskId: number }) => {
      const nice = niceOf(taskId);
      worker.postMessage('done');
      resolve({ lowered, taskId, nice });
    });
  });
}

describe.runIf(process.platform === 'linux')('lowerThisThreadPriority', () => {
  it('lowers the calling thread alone', async () => {
    const mainBefore = niceOf(process.pid);
    const { lowered, taskId, nice } = await inWorker();
    expect(lowered).toBe(true);
    expect(taskId).not.toBe(process.pid);
    expect(nice).toBe(Math.max(BACKGROUND_NICE, mainBefore));
    expect(niceOf(process.pid)).toBe(mainBefore);
  });
});
