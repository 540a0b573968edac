// Runs checkPosthogBody (posthog-check.ts) for large bodies in one worker thread
// with a bounded heap (body-worker.ts), started on first use and again after it
// exits, and on SQLite stores them there too. The body's bytes are moved to the
// worker, not copied; what comes back is the events as stored (serialised
// properties and facets), not the parsed tree, or on SQLite only their count.
// A body that makes the worker run out of its heap gets a 413; a worker that
// does not answer in time is ended and the request fails (500).
import { Worker } from 'node:worker_threads';
import { sourceWorker, workerClient } from '../worker-rpc';
import type { EventSender } from './event-writes';
import type { BodyRefusal, PosthogCheck } from './posthog-check';
import type { WorkerMessage } from './body-worker';

/** The worker's heap: a 1 MB batch needs a few tens of MB at most (measured under bench:hostile). */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8, stackSizeMb: 4 };
const CHECK_TIMEOUT_MS = 10_000;
/** A store may first wait for the write lock (the worker's busy timeout is 10 s). */
const STORE_TIMEOUT_MS = 20_000;

const outOfMemory: BodyRefusal = {
  ok: false,
  status: 413,
  code: 'payload_too_large',
  message: 'The body is too complex to check within the collector’s memory bound',
};

/** A message before the client gives it its id (Omit of each member of the union). */
type Unsent = WorkerMessage extends infer M ? (M extends unknown ? Omit<M, 'id'> : never) : never;

const worker = workerClient<Unsent>(
  'body worker',
  () =>
    process.env.NEXT_RUNTIME
      ? new Worker(new URL('./body-worker.ts', import.meta.url), { resourceLimits: RESOURCE_LIMITS })
      : sourceWorker(new URL('./body-worker.ts', import.meta.url), { resourceLimits: RESOURCE_LIMITS }),
  {
    // A body that makes the worker run out of its heap is refused, not failed.
    replyOnError: (error) =>
      (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemory : undefined,
  },
);
const call = worker.call;
/** Keys the worker holds checked events under, until they are stored or dropped. */
let nextHeld = 1;

/** The body's bytes as a buffer that owns its whole memory, so it can be moved; a view into a shared pool is copied. */
function movable(body: Buffer): Uint8Array {
  return body.byteOffset === 0 && body.byteLength === body.buffer.byteLength
    ? body
    : Uint8Array.prototype.slice.call(body);
}

/** checkPosthogBody(body) in the worker thread. `body` is moved there: do not use it afterwards. */
export function checkPosthogBodyInWorker(body: Buffer): Promise<PosthogCheck> {
  const own = movable(body);
  return call({ op: 'check', body: own }, CHECK_TIMEOUT_MS, [own.buffer as ArrayBuffer]);
}

/** Events checked and held in the worker, to be stored there (SQLite) or dropped: exactly one of the two. */
export interface HeldEvents {
  count: number;
  store(file: string, sender: EventSender): Promise<number>;
  drop(): void;
}

/**
 * checkPosthogBody(body) in the worker thread, the events kept there: only their count comes
 * back, for the sender's event limit. `body` is moved there: do not use it afterwards.
 */
export async function checkAndHoldInWorker(body: Buffer): Promise<BodyRefusal | ({ ok: true } & HeldEvents)> {
  const own = movable(body);
  const holder = worker.current();
  const held = nextHeld++;
  const checked = await call<BodyRefusal | { ok: true; count: number }>(
    { op: 'hold', held, body: own },
    CHECK_TIMEOUT_MS,
    [own.buffer as ArrayBuffer],
  );
  if (!checked.ok) return checked;
  return {
    ok: true,
    count: checked.count,
    // A worker started again meanwhile holds nothing: the store fails (500), the drop is moot.
    store: (file, sender) =>
      worker.current() === holder
        ? call<number>({ op: 'store', held, file, sender }, STORE_TIMEOUT_MS)
        : Promise.reject(new Error('the body worker was restarted before the events were stored')),
    drop: () => {
      if (worker.current() === holder) void call({ op: 'drop', held }, CHECK_TIMEOUT_MS).catch(() => {});
    },
  };
}

/** The worker thread's external memory (buffers and the like) in bytes (tests). */
export function bodyWorkerExternalBytes(): Promise<number> {
  return call<number>({ op: 'memory' }, CHECK_TIMEOUT_MS);
}

/** Ends the worker (tests; the process's exit ends it anyway). */
export const stopBodyCheckWorker = (): Promise<void> => worker.stop();
