// Stores PostHog-format events in CollectorEvent, apart from pings, with the
// Events rollups in the same transaction (lib/collector/event-rollups.ts).
// Requests arriving together share one transaction (group commit, as pings do:
// group-commit.ts), each answered only after it committed: a batch of requests is
// a multi-row INSERT and one upsert per rollup table, not that many per request.
// On PostgreSQL every request's transaction also updated the same rollup rows,
// so concurrent requests queued on those row locks.
// The SQL and the flow are in event-writes.ts, shared with the body worker thread,
// which stores large bodies on SQLite.
import 'server-only';
import { db, underlyingDb, type Db } from '../db';
import { isPostgresClient } from '../db-client';
import { onShutdown } from '../shutdown';
import type { CheckedEvent } from './posthog-check';
import { writeEventBatch, type EventSender, type ReceivedEvents } from './event-writes';
import { createGroupCommit, type GroupCommit } from './group-commit';

export type { EventSender } from './event-writes';

/** Rows per INSERT (one JSON parameter: the size bounds how long one statement holds SQLite's thread). */
const INSERT_ROWS = 1000;
/** Rows per INSERT for a large body, with a pause between statements (SQLite runs each on this thread). */
const HEAVY_INSERT_ROWS = 100;
/** Requests per shared transaction (each at most 64 KiB, 500 events). */
const MAX_REQUESTS_PER_COMMIT = 20;

const queues = new WeakMap<Db, GroupCommit<ReceivedEvents>>();

/**
 * Stores a request's events, all or none, and resolves once they are committed. A large body
 * (`pause` given, from the heavy lane) is written alone, in steps with pauses between them.
 */
export function storeEvents(
  events: CheckedEvent[],
  sender: EventSender,
  proxyOrClient: Db = db,
  pause?: () => Promise<void>,
): Promise<void> {
  const client = underlyingDb(proxyOrClient);
  if (pause) return writeEvents(client, [{ events, sender }], pause);
  let queue = queues.get(client);
  if (!queue) {
    queue = createGroupCommit((batch) => writeEvents(client, batch), { maxBatch: MAX_REQUESTS_PER_COMMIT });
    queues.set(client, queue);
    // The server's own queue: events already accepted are committed before the process exits.
    if (proxyOrClient === db) onShutdown(queue.idle);
  }
  return queue.submit({ events, sender });
}

async function writeEvents(client: Db, batch: ReceivedEvents[], pause?: () => Promise<void>): Promise<void> {
  const postgres = isPostgresClient(client);
  await client.$transaction((tx) =>
    writeEventBatch(
      batch,
      postgres,
      { query: (statement) => tx.$queryRaw(statement), execute: (statement) => tx.$executeRaw(statement) },
      { rowsPerInsert: pause ? HEAVY_INSERT_ROWS : INSERT_ROWS, pause },
    ),
  );
}
