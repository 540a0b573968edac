// Rollups of collector events, written in the same transaction as the events
// (lib/collector/event-store.ts), so the Events section of /admin/collector
// reads days x names rows and never scans CollectorEvent:
//   CollectorEventDay       events per UTC day (of receipt) and name
//   CollectorEventInstance  which instance sent which name, and its last day
//   CollectorEventFacet     per day and name, counts of a few bounded values:
//                           error_type, command, action, is_ci, uptime (buckets)
// A request's events are aggregated first: a batch of 100 is three multi-row
// upserts, not 300 statements. Values outside the known shapes are not
// counted, so a foreign sender cannot grow the facets with free text.
import 'server-only';
import { join, sqltag as sql } from '@prisma/client/runtime/client';
import { db, type Db } from '../db';
import type { Facet } from './event-facets';
import { utcDay } from './sender-fingerprint';

export interface RolledEvent {
  event: string;
  instanceId: string;
  /** eventFacets() of its properties, taken where the body was checked (maybe a worker thread). */
  facets: Array<[Facet, string]>;
}

/**
 * The upserts that add these events (all received at `receivedAt`) to the rollups; run them in the events'
 * transaction.
 */
export function eventRollupStatements(events: RolledEvent[], receivedAt: Date, client: Pick<Db, '$executeRaw'> = db) {
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
    client.$executeRaw`INSERT INTO "CollectorEventDay" ("day", "event", "count")
      VALUES ${join([...perName].map(([event, count]) => sql`(${day}, ${event}, ${count})`))}
      ON CONFLICT ("day", "event") DO UPDATE SET "count" = "CollectorEventDay"."count" + excluded."count"`,
    client.$executeRaw`INSERT INTO "CollectorEventInstance" ("event", "instanceId", "firstSeenDay", "lastSeenDay")
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
      client.$executeRaw`INSERT INTO "CollectorEventFacet" ("day", "event", "facet", "value", "count")
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

/** Retention: rollup rows of days before `day` ("YYYY-MM-DD"), and instances last seen before it. */
export async function deleteEventRollupsBefore(day: string, client: Db = db): Promise<number> {
  const [days, instances, facets] = await client.$transaction([
    client.collectorEventDay.deleteMany({ where: { day: { lt: day } } }),
    client.collectorEventInstance.deleteMany({ where: { lastSeenDay: { lt: day } } }),
    client.collectorEventFacet.deleteMany({ where: { day: { lt: day } } }),
  ]);
  return days.count + instances.count + facets.count;
}
