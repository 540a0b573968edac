// Ping batches are written and committed in a thread of their own (ping-writer-worker.ts), on
// both databases. better-sqlite3 runs each statement and the commit's sync on the calling
// thread: on the request thread that was 15% of its time under a stream of pings (a CPU profile
// of bench:ingest: 1.4 s of 9 s in the transaction), time in which no other request was parsed or
// answered. On PostgreSQL, Prisma's query machinery for the one statement cost the request thread
// about 120 µs a ping (same profile), and its garbage more. Here the request thread builds the
// rows (store.ts), posts them, and its promise settles once the worker has committed: a 2xx
// still means stored.
import { Worker } from 'node:worker_threads';
import { LOCK_WAIT_MS } from '../sqlite-writer';
import { sourceWorker, workerClient } from '../worker-rpc';
import type { PingTarget, PingWriterMessage } from './ping-writer-worker';
import type { PingRows } from './sqlite-ping-writes';

/** A batch is at most 200 pings of 64 KB (group-commit.ts, handlers.ts): 13 MB of rows at worst. */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 64, stackSizeMb: 4 };
/** On SQLite the writer may wait LOCK_WAIT_MS for the write lock before it gives up by itself. */
const WRITE_TIMEOUT_MS = LOCK_WAIT_MS + 10_000;

const worker = workerClient<Omit<PingWriterMessage, 'id'>>('ping writer', () =>
  process.env.NEXT_RUNTIME
    ? new Worker(new URL('./ping-writer-worker.ts', import.meta.url), { resourceLimits: RESOURCE_LIMITS })
    : sourceWorker(new URL('./ping-writer-worker.ts', import.meta.url), { resourceLimits: RESOURCE_LIMITS }),
);

export type { PingTarget };

/** Writes one batch's rows to `target` in one transaction; resolves once it is committed. */
export function writePings(target: PingTarget, rows: PingRows): Promise<void> {
  return worker.call<null>({ op: 'write', target, rows }, WRITE_TIMEOUT_MS).then(() => undefined);
}

/** Ends the writer thread (tests; the process's exit ends it anyway). */
export const stopPingWriter = (): Promise<void> => worker.stop();
