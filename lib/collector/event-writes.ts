// The SQL that stores checked PostHog events and adds them to the Events rollups
// (event-rollups.ts explains the rollup tables), as one flow that any connection can run:
// the platform's Prisma client inside a transaction (event-store.ts), or, for a large
// body on SQLite, the body worker thread's own better-sqlite3 connection
// (body-worker.ts), so that a 500-event INSERT never runs on the thread that answers
// requests. Free of server-only imports for that reason.
// Retries are stored once: ON CONFLICT on the unique uuid skips events already stored,
// whichever request or replica stored them first, and the rollups count only the rows
// the INSERT returned.
// The rows travel as one JSON parameter that the database expands (json_each,
// jsonb_array_elements), not as 8 parameters a row: Prisma's per-parameter work on a
// 500-event batch (4,000 parameters) was the largest share of the garbage a large batch
// left behind (bench:hostile's heap profile: ~5 MB per 1 MB batch).
import { randomUUID } from 'node:crypto';
import { join, sqltag as sql, type Sql } from '@prisma/client/runtime/client';
import { jsonRowDate } from '../json-row-date';
import type { CheckedEvent } from './posthog-check';
import type { Facet } from './event-facets';
import { utcDay } from './utc-day';

export interface EventSender {
  receivedAt: Date;
  senderHash: string;
}

/** One request's checked events and who sent them. */
export interface ReceivedEvents {
  events: CheckedEvent[];
  sender: EventSender;
}

export interface RolledEvent {
  event: string;
  instanceId: string;
  /** eventFacets() of its properties, taken where the body was checked (maybe a worker thread). */
  facets: Array<[Facet, string]>;
}

/** How the flow reaches a database: inside one transaction that the caller opens and commits. */
export interface StatementRunner {
  query(statement: Sql): Promise<Array<{ uuid: string }>>;
  execute(statement: Sql): Promise<unknown>;
}

/** Events per set of rollup upserts, so no statement outgrows the parameter limits. */
const ROLLUP_EVENTS = 1000;

/**
 * Stores the requests' events (`rowsPerInsert` a statement, `pause` between statements) and
 * their rollups, through `run`, which the caller has put inside one transaction.
 */
export async function writeEventBatch(
  batch: ReceivedEvents[],
  postgres: boolean,
  run: StatementRunner,
  { rowsPerInsert, pause }: { rowsPerInsert: number; pause?: () => Promise<void> },
): Promise<number> {
  // A sender that gives no uuid gets one of ours: such events cannot be de-duplicated.
  const rows = new Map<string, { event: CheckedEvent; sender: EventSender }>();
  for (const { events, sender } of batch)
    for (const event of events) {
      const uuid = event.uuid ?? randomUUID();
      if (!rows.has(uuid)) rows.set(uuid, { event, sender }); // the same uuid twice is one event
    }
  const values = [...rows];
  const inserted: Array<{ uuid: string }> = [];
  for (let start = 0; start < values.length; start += rowsPerInsert) {
    if (start > 0 && pause) await pause();
    inserted.push(...(await run.query(insertStatement(values.slice(start, start + rowsPerInsert), postgres))));
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
      for (const statement of eventRollupSql(events.slice(start, start + ROLLUP_EVENTS), receivedAt))
        await run.execute(statement);
  return inserted.length;
}

/** One multi-row INSERT whose rows are one JSON array of [uuid, event, ..., properties] rows. */
function insertStatement(rows: Array<[string, { event: CheckedEvent; sender: EventSender }]>, postgres: boolean): Sql {
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
  const columns = sql`INSERT INTO "CollectorEvent"
      ("uuid", "event", "instanceId", "occurredAt", "receivedAt", "senderHash", "droppedFields", "properties")`;
  // A timestamp without time zone ignores the "Z" of the text: the stored value is the UTC time, as Prisma's.
  if (postgres)
    return sql`${columns} SELECT r->>0, r->>1, r->>2, (r->>3)::timestamp(3), (r->>4)::timestamp(3), r->>5,
      (r->>6)::integer, r->>7 FROM jsonb_array_elements(${json}::jsonb) AS r
      ON CONFLICT ("uuid") DO NOTHING RETURNING "uuid"`;
  // "WHERE true": SQLite's grammar needs it between INSERT ... SELECT and ON CONFLICT.
  return sql`${columns} SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7
      FROM json_each(${json}) WHERE true ON CONFLICT ("uuid") DO NOTHING RETURNING "uuid"`;
}

/**
 * The upserts that add these events (all received at `receivedAt`) to the rollups. A request's
 * events are aggregated first: a batch of 100 is three multi-row upserts, not 300 statements.
 */
export function eventRollupSql(events: RolledEvent[], receivedAt: Date): Sql[] {
  if (events.length === 0) return [];
  const day = utcDay(receivedAt);
  const perName = new Map<string, number>();
  const instances = new Set<string>();
  const facets = new Map<string, number>();
  const SEP = '\u0000'; // stored texts never hold NUL (the collector refuses it)
  for (const { event, instanceId, facets: counted } of events) {
    perName.set(event, (perName.get(event) ?? 0) + 1);
    instances.add(`${event}${SEP}${instanceId}`);
    for (const [facet, value] of counted) {
      const key = [event, facet, value].join(SEP);
      facets.set(key, (facets.get(key) ?? 0) + 1);
    }
  }
  const statements = [
    sql`INSERT INTO "CollectorEventDay" ("day", "event", "count")
      VALUES ${join([...perName].map(([event, count]) => sql`(${day}, ${event}, ${count})`))}
      ON CONFLICT ("day", "event") DO UPDATE SET "count" = "CollectorEventDay"."count" + excluded."count"`,
    sql`INSERT INTO "CollectorEventInstance" ("event", "instanceId", "firstSeenDay", "lastSeenDay")
      VALUES ${join(
        [...instances].map((key) => {
          const [event, instanceId] = key.split(SEP);
          return sql`(${event}, ${instanceId}, ${day}, ${day})`;
        }),
      )}
      ON CONFLICT ("event", "instanceId") DO UPDATE SET "lastSeenDay" = CASE
        WHEN excluded."lastSeenDay" > "CollectorEventInstance"."lastSeenDay" THEN excluded."lastSeenDay"
        ELSE "CollectorEventInstance"."lastSeenDay" END`,
  ];
  if (facets.size > 0)
    statements.push(
      sql`INSERT INTO "CollectorEventFacet" ("day", "event", "facet", "value", "count")
        VALUES ${join(
          [...facets].map(([key, count]) => {
            const [event, facet, value] = key.split(SEP);
            return sql`(${day}, ${event}, ${facet}, ${value}, ${count})`;
          }),
        )}
        ON CONFLICT ("day", "event", "facet", "value")
        DO UPDATE SET "count" = "CollectorEventFacet"."count" + excluded."count"`,
    );
  return statements;
}
