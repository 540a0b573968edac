// Rollups of collector events, written in the same transaction as the events
// (lib/collector/event-writes.ts), so the Events section of /admin/collector
// reads days x names rows and never scans CollectorEvent:
//   CollectorEventDay       events per UTC day (of receipt) and name
//   CollectorEventInstance  which instance sent which name, and its last day
//   CollectorEventFacet     per day and name, counts of a few bounded values:
//                           error_type, command, action, is_ci, uptime (buckets)
// The upserts are written with the events, by the same flow on every connection
// (eventRollupSql in event-writes.ts); this module keeps their retention. Values
// outside the known shapes are not counted, so a foreign sender cannot grow the
// facets with free text.
import 'server-only';
import { db, type Db } from '../db';

/** Retention: rollup rows of days before `day` ("YYYY-MM-DD"), and instances last seen before it. */
export async function deleteEventRollupsBefore(day: string, client: Db = db): Promise<number> {
  const [days, instances, facets] = await client.$transaction([
    client.collectorEventDay.deleteMany({ where: { day: { lt: day } } }),
    client.collectorEventInstance.deleteMany({ where: { lastSeenDay: { lt: day } } }),
    client.collectorEventFacet.deleteMany({ where: { day: { lt: day } } }),
  ]);
  return days.count + instances.count + facets.count;
}
