// Runs checkPosthogBody (posthog-check.ts) for large bodies in one worker thread
// with a bounded heap, started on first use and again after it exits. The body's
// bytes are moved to the worker, not copied; what comes back is the events as
// stored (serialised properties and facets), not the parsed tree.
// A body that makes the worker run out of its heap gets a 413; a worker that
// does not answer within CHECK_TIMEOUT_MS is ended and the request fails (500).
import { Worker } from 'node:worker_threads';
import type { BodyRefusal, PosthogCheck } from './posthog-check';

/** The worker's heap: a 1 MB batch needs a few tens of MB at most (measured under bench:hostile). */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8, stackSizeMb: 4 };
const CHECK_TIMEOUT_MS = 10_000;

interface Pending {
  resolve(result: PosthogCheck): void;
  reject(error: Error): void;
}

let worker: Worker | null = null;
const pending = new Map<number, Pending>();
let nextId = 1;

const outOfMemory: BodyRefusal = {
  ok: false,
  status: 413,
  code: 'payload_too_large',
  message: 'The body is too complex to check within the collector’s memory bound',
};

function startWorker(): Worker {
  // In the built server (NEXT_RUNTIME is set) Next's bundler made the worker a chunk of its own from
  // the literal `new Worker(new URL(...))` below. Elsewhere (tests) this runs from source and the worker
  // is TypeScript: tsx's loader is registered in it first.
  const started = !process.env.NEXT_RUNTIME
    ? new Worker(
        `import('tsx/esm/api').then(({ register }) => (register(), import(${JSON.stringify(
          new URL('./body-worker.ts', import.meta.url).href,
        )})))`,
        { eval: true, resourceLimits: RESOURCE_LIMITS },
      )
    : new Worker(new URL('./body-worker.ts', import.meta.url), { resourceLimits: RESOURCE_LIMITS });
  started.unref(); // never keeps the process alive
  started.on('message', ({ id, result, failure }: { id: number; result?: PosthogCheck; failure?: string }) => {
    const request = pending.get(id);
    pending.delete(id);
    if (result) request?.resolve(result);
    else request?.reject(new Error(`the body check failed in its worker (${failure})`));
  });
  const fail = (outcome: (request: Pending) => void) => {
    if (worker === started) worker = null;
    for (const request of pending.values()) outcome(request);
    pending.clear();
  };
  started.on('error', (error) =>
    fail((request) =>
      (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? request.resolve(outOfMemory)
        : request.reject(error),
    ),
  );
  started.on('exit', (code) => fail((request) => request.reject(new Error(`the body check worker exited (${code})`))));
  return started;
}

/** checkPosthogBody(body) in the worker thread. `body` is moved there: do not use it afterwards. */
export function checkPosthogBodyInWorker(body: Buffer): Promise<PosthogCheck> {
  worker ??= startWorker();
  const current = worker;
  // Only a buffer that owns its whole memory can be moved; a view into a shared pool is copied.
  const own =
    body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : Uint8Array.prototype.slice.call(body);
  const id = nextId++;
  return new Promise<PosthogCheck>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`the body check took longer than ${CHECK_TIMEOUT_MS} ms`));
      void current.terminate();
    }, CHECK_TIMEOUT_MS);
    const settle =
      <T>(done: (value: T) => void) =>
      (value: T) => {
        clearTimeout(timer);
        done(value);
      };
    pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
    current.postMessage({ id, body: own }, [own.buffer as ArrayBuffer]);
  });
}

/** Ends the worker (tests; the process's exit ends it anyway). */
export async function stopBodyCheckWorker(): Promise<void> {
  const current = worker;
  worker = null;
  await current?.terminate();
}
