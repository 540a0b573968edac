// The few bounded values of an event that the collector counts per day
// (CollectorEventFacet, lib/collector/event-rollups.ts). Pure, with no server-only
// import: large bodies are checked in a worker thread (body-worker.ts), which takes
// an event's facets there and sends back only those, not its properties.
import { CLI_COMMANDS, RECORD_KINDS, RECORD_VERBS } from '../events/catalog';

export const FACETS = ['error_type', 'command', 'action', 'is_ci', 'uptime'] as const;
export type Facet = (typeof FACETS)[number];

/** Uptime at stop, in buckets (upper bound in seconds, label), shortest first. */
export const UPTIME_BUCKETS: Array<[number, string]> = [
  [60, 'under 1 minute'],
  [3600, '1 to 60 minutes'],
  [86_400, '1 to 24 hours'],
  [7 * 86_400, '1 to 7 days'],
  [Infinity, 'over 7 days'],
];

const ERROR_TYPE = /^(?:[A-Z][A-Za-z0-9]{0,63}|exit_\d{1,3})$/;

export function uptimeBucket(seconds: number): string {
  return UPTIME_BUCKETS.find(([limit]) => seconds < limit)![1];
}

/** The facet values one event adds (none for properties of an unknown shape). */
export function eventFacets(event: string, properties: Record<string, unknown>): Array<[Facet, string]> {
  const facets: Array<[Facet, string]> = [];
  if (typeof properties.is_ci === 'boolean') facets.push(['is_ci', String(properties.is_ci)]);
  const errorType = properties.error_type;
  if (
    (event === 'action_error' || event === 'cli_command') &&
    typeof errorType === 'string' &&
    ERROR_TYPE.test(errorType)
  )
    facets.push(['error_type', errorType]);
  const command = properties.command;
  if (event === 'cli_command' && (CLI_COMMANDS as readonly unknown[]).includes(command))
    facets.push(['command', command as string]);
  const { record, verb } = properties;
  if (
    event === 'admin_action' &&
    (RECORD_KINDS as readonly unknown[]).includes(record) &&
    (RECORD_VERBS as readonly unknown[]).includes(verb)
  )
    facets.push(['action', `${record} ${verb}`]);
  const uptime = properties.uptime_seconds;
  if (event === 'server_stopped' && typeof uptime === 'number' && Number.isFinite(uptime) && uptime >= 0)
    facets.push(['uptime', uptimeBucket(uptime)]);
  return facets;
}
