// Stores PostHog-format events in CollectorEvent, apart from pings, with the
// Events rollups in the same transaction (lib/collector/event-rollups.ts).
// Requests arriving together share one transaction (group commit, as pings do:
// group-commit.ts), each answered only after it committed: a batch of requests is
// a multi-row INSERT and one upsert per rollup table, not that many per request.
// On PostgreSQL every request's transaction also updated the same rollup rows,
// so concurrent requests queued on those row locks.
// Retries are stored once: ON CONFLICT on the unique uuid skips events already
// stored, whichever request or replica stored them first.
// Raw SQL rather than createMany: measured here, Prisma's createMany of 50 rows
// took 3-10x as long as the same multi-row INSERT (per-row work in the client).
// The rows travel as one JSON parameter that the database expands (json_each,
// jsonb_array_elements), not as 8 parameters a row: Prisma's per-parameter work on
// a 500-event batch (4,000 parameters) was the largest share of the garbage a large
// batch left behind (bench:hostile's heap profile: ~5 MB per 1 MB batch).
import 'server-only';
import { randomUUID } from 'node:crypto';
import { sqltag, type Sql } from '@prisma/client/runtime/client';
import { db, underlyingDb, type Db } from '../db';
import { isPostgresClient, jsonRowDate } from '../db-client';
import { onShutdown } from '../shutdown';
import type { CheckedEvent } from './posthog-check';
import { eventRollupStatements, type RolledEvent } from './event-rollups';
import { createGroupCommit, type GroupCommit } from './group-commit';
import { utcDay } from './sender-fingerprint';

export interface EventSender {
  receivedAt: Date;
  senderHash: string;
}

/** An event as checked (posthog-check.ts): properties serialised, facets taken. */
export type EventToStore = CheckedEvent;

interface Received {
  events: EventToStore[];
  sender: EventSender;
}

/** Rows per INSERT (one JSON parameter: the size bounds how long one statement holds SQLite's thread). */
const INSERT_ROWS = 1000;
/** Rows per INSERT for a large body, with a pause between statements (SQLite runs each on this thread). */
const HEAVY_INSERT_ROWS = 100;
/** Events per set of rollup upserts, so no statement outgrows the parameter limits. */
const ROLLUP_EVENTS = 1000;
/** Requests per shared transaction (each at most 64 KiB, 500 events). */
const MAX_REQUESTS_PER_COMMIT = 20;

const queues = new WeakMap<Db, GroupCommit<Received>>();

/**
 * Stores a request's events, all or none, and resolves once they are committed. A large body
 * (`pause` given, from the heavy lane) is written alone, in steps with pauses between them.
 */
export function storeEvents(
  events: EventToStore[],
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

async function writeEvents(client: Db, batch: Received[], pause?: () => Promise<void>): Promise<void> {
  // A sender that gives no uuid gets one of ours: such events cannot be de-duplicated.
  const rows = new Map<string, { event: EventToStore; sender: EventSender }>();
  for (const { events, sender } of batch)
    for (const event of events) {
      const uuid = event.uuid ?? randomUUID();
      if (!rows.has(uuid)) rows.set(uuid, { event, sender }); // the same uuid twice is one event
    }
  const values = [...rows];
  const postgres = isPostgresClient(client);
  const size = pause ? HEAVY_INSERT_ROWS : INSERT_ROWS;
  await client.$transaction(async (tx) => {
    const inserted: Array<{ uuid: string }> = [];
    for (let start = 0; start < values.length; start += size) {
      if (start > 0 && pause) await pause();
      const chunk = values.slice(start, start + size);
      inserted.push(...(await tx.$queryRaw<Array<{ uuid: string }>>(insertStatement(chunk, postgres))));
    }
    // The rollups count exactly the events this INSERT stored (RETURNING leaves out the uuids
    // already there), per UTC day of receipt.
    const perDay = new Map<string, { receivedAt: Date; events: RolledEvent[] }>();
    for (const { uuid } of inserted) {
      const { event, sender } = rows.get(uuid)!;
      const day = utcDay(sender.receivedAt);
      if (!perDay.has(day)) perDay.set(day, { receivedAt: sender.receivedAt, events: [] });
      perDay.get(day)!.events.push({ event: event.event, instanceId: event.distinctId, facets: event.facets });
    }
    for (const { receivedAt, events } of perDay.values())
      for (let start = 0; start < events.length; start += ROLLUP_EVENTS)
        for (const statement of eventRollupStatements(events.slice(start, start + ROLLUP_EVENTS), receivedAt, tx))
          await statement;
  });
}

/** One multi-row INSERT whose rows are one JSON array of [uuid, event, ..., properties] rows. */
function insertStatement(rows: Array<[string, { event: EventToStore; sender: EventSender }]>, postgres: boolean): Sql {
  const date = jsonRowDate(postgres);
  const json = JSON.stringify(
    rows.map(([uuid, { event, sender }]) => [
      uuid,
      event.event,
      event.distinctId,
      date(event.occurredAt ?? sender.receivedAt),
      date(sender.receivedAt),
      sender.senderHash,
      event.droppedFields,
      event.propertiesJson,
    ]),
  );
  const columns = sqltag`INSERT INTO "CollectorEvent"
      ("uuid", "event", "instanceId", "occurredAt", "receivedAt", "senderHash", "droppedFields", "properties")`;
  // A timestamp without time zone ignores the "Z" of the text: the stored value is the UTC time, as Prisma's.
  if (postgres)
    return sqltag`${columns} SELECT r->>0, r->>1, r->>2, (r->>3)::timestamp(3), (r->>4)::timestamp(3), r->>5,
      (r->>6)::integer, r->>7 FROM jsonb_array_elements(${json}::jsonb) AS r
      ON CONFLICT ("uuid") DO NOTHING RETURNING "uuid"`;
  // "WHERE true": SQLite's grammar needs it between INSERT ... SELECT and ON CONFLICT.
  return sqltag`${columns} SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7
      FROM json_each(${json}) WHERE true ON CONFLICT ("uuid") DO NOTHING RETURNING "uuid"`;
}
