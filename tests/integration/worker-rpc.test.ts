// lib/worker-rpc.ts: the request/reply channel of the collector's worker threads (the body
// worker, the ping writer). Replies and failures (with their code) come back to their caller,
// a call that takes too long or a worker that exits fails its callers and the next call starts
// a fresh worker, and a waiting call keeps the process alive (the shutdown path waits for pings
// being committed in a worker) while an idle worker does not.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sourceWorker, workerClient, type WorkerClient } from '../../lib/worker-rpc';

type Message = { op: 'echo' | 'fail' | 'sleep' | 'exit'; value?: unknown; ms?: number };
const FIXTURE = new URL('../fixtures/rpc-worker.ts', import.meta.url);
const clients: WorkerClient<Message>[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.stop();
});

function client(oneAtATime = true): WorkerClient<Message> {
  const made = workerClient<Message>('test worker', () => sourceWorker(FIXTURE, { workerData: { oneAtATime } }));
  clients.push(made);
  return made;
}

describe('workerClient', () => {
  it('resolves each call with its own reply', async () => {
    const worker = client();
    const replies = await Promise.all([1, 2, 3].map((value) => worker.call({ op: 'echo', value }, 10_000)));
    expect(replies).toEqual([1, 2, 3]);
  });

  it('rejects with the worker’s message and keeps the error’s code', async () => {
    const failure = await client()
      .call({ op: 'fail' }, 10_000)
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe('the test worker failed: it went wrong');
    expect((failure as { code?: string }).code).toBe('23505');
  });

  it('ends a worker that does not answer in time; the next call gets a fresh one', async () => {
    const worker = client();
    const first = worker.current();
    await expect(worker.call({ op: 'sleep', ms: 5_000 }, 200)).rejects.toThrow('took longer than 200 ms');
    await new Promise((resolve) => first.once('exit', resolve));
    expect(await worker.call({ op: 'echo', value: 'again' }, 10_000)).toBe('again');
    expect(worker.current()).not.toBe(first);
  });

  it('fails every waiting call when the worker exits, then starts again', async () => {
    const worker = client(false);
    const waiting = worker.call({ op: 'sleep', ms: 5_000 }, 10_000);
    const exiting = worker.call({ op: 'exit' }, 10_000);
    await expect(waiting).rejects.toThrow('the test worker exited (3)');
    await expect(exiting).rejects.toThrow('exited (3)');
    expect(await worker.call({ op: 'echo', value: 'back' }, 10_000)).toBe('back');
  });

  it('answers one message at a time by default, and as they come with oneAtATime false', async () => {
    const order = async (worker: WorkerClient<Message>) => {
      const done: string[] = [];
      await Promise.all([
        worker.call({ op: 'sleep', ms: 300, value: 'slow' }, 10_000).then((value) => done.push(value as string)),
        worker.call({ op: 'echo', value: 'quick' }, 10_000).then((value) => done.push(value as string)),
      ]);
      return done;
    };
    expect(await order(client(true))).toEqual(['slow', 'quick']);
    expect(await order(client(false))).toEqual(['quick', 'slow']);
  });

  it('keeps the process alive while a call waits, and lets it exit when idle', () => {
    // A process whose only pending work is a call to the worker: without the worker's ref it would
    // exit before the reply. Then, idle, the worker must not keep it running.
    const script = `
      import { sourceWorker, workerClient } from ${JSON.stringify(path.resolve('lib/worker-rpc.ts'))};
      const worker = workerClient('w', () => sourceWorker(new URL(${JSON.stringify(FIXTURE.href)}), {}));
      worker.call({ op: 'sleep', ms: 500, value: 'replied' }, 10_000).then((value) => console.log(value));
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('replied');
    expect(run.signal).toBeNull(); // it exited by itself, not by the timeout
    expect(run.status).toBe(0);
  });
});
