// What the Events section of /admin/collector shows, read from the rollups
// kept at ingest (lib/collector/event-rollups.ts), never from CollectorEvent:
// three queries whose rows grow with days x event names (and, for distinct
// instances, with instance x name pairs active in the window), not with the
// number of events stored.
import 'server-only';
import { db, type Db } from '../db';
import { UPTIME_BUCKETS, type Facet } from './event-facets';
import { utcDay } from './sender-fingerprint';
import { DAY_MS } from '../time-units';

/** The Events section covers this many days, today included. */
export const EVENT_WINDOW_DAYS = 30;

export interface Tally {
  label: string;
  count: number;
}

export interface EventStats {
  windowStart: string;
  total: number;
  /** Every event name seen in the window: events, and distinct instances that sent it. */
  names: Array<{ event: string; count: number; instances: number }>;
  /** Per UTC day, oldest first: the count of each name. */
  days: Array<{ day: string; total: number; counts: Record<string, number> }>;
  errorTypes: Tally[];
  commands: Tally[];
  actions: Tally[];
  uptimeAtStop: Tally[];
  ci: { events: number; outOf: number };
}

const byCount = (a: Tally, b: Tally) => b.count - a.count || a.label.localeCompare(b.label);

export async function getEventStats(now = new Date(), client: Db = db): Promise<EventStats> {
  const windowStart = utcDay(new Date(now.getTime() - (EVENT_WINDOW_DAYS - 1) * DAY_MS));
  const [dayRows, instanceRows, facetRows] = await Promise.all([
    client.collectorEventDay.findMany({ where: { day: { gte: windowStart } }, orderBy: { day: 'asc' } }),
    client.collectorEventInstance.groupBy({
      by: ['event'],
      where: { lastSeenDay: { gte: windowStart } },
      _count: { _all: true },
    }),
    client.collectorEventFacet.groupBy({
      by: ['facet', 'value'],
      where: { day: { gte: windowStart } },
      _sum: { count: true },
    }),
  ]);

  const days = new Map<string, EventStats['days'][number]>();
  const perName = new Map<string, number>();
  for (const row of dayRows) {
    const day = days.get(row.day) ?? { day: row.day, total: 0, counts: {} };
    day.counts[row.event] = (day.counts[row.event] ?? 0) + row.count;
    day.total += row.count;
    days.set(row.day, day);
    perName.set(row.event, (perName.get(row.event) ?? 0) + row.count);
  }
  const instances = new Map(instanceRows.map((row) => [row.event, row._count._all]));

  const facets = new Map<Facet, Tally[]>();
  for (const row of facetRows) {
    const list = facets.get(row.facet as Facet) ?? [];
    list.push({ label: row.value, count: row._sum.count ?? 0 });
    facets.set(row.facet as Facet, list);
  }
  const tally = (facet: Facet) => (facets.get(facet) ?? []).sort(byCount);
  const ci = tally('is_ci');
  const uptime = new Map(tally('uptime').map((t) => [t.label, t.count]));

  return {
    windowStart,
    total: [...perName.values()].reduce((sum, n) => sum + n, 0),
    names: [...perName]
      .map(([event, count]) => ({ event, count, instances: instances.get(event) ?? 0 }))
      .sort((a, b) => b.count - a.count || a.event.localeCompare(b.event)),
    days: [...days.values()],
    errorTypes: tally('error_type').slice(0, 10),
    commands: tally('command'),
    actions: tally('action'),
    // Buckets in their natural order, empty ones included, so the shape reads at a glance.
    uptimeAtStop: UPTIME_BUCKETS.map(([, label]) => ({ label, count: uptime.get(label) ?? 0 })),
    ci: {
      events: ci.find((t) => t.label === 'true')?.count ?? 0,
      outOf: ci.reduce((sum, t) => sum + t.count, 0),
    },
  };
}
