// PostHog's capture API, as far as senders built for PostHog use it:
// POST /capture/, /e/, /i/v0/e/ with one event, or /batch/ with {batch: [...]}
// (any endpoint also takes a batch or a bare array, as PostHog does).
// distinct_id may sit at the top level or inside properties; timestamp
// defaults to the time we received it; uuid de-duplicates retries.
import { z } from 'zod';
import { describeIssues, instanceStateSchema, type InstanceState } from './report-schema';

const eventSchema = z.object({
  event: z.string({ error: 'is required (a string)' }).min(1, { error: 'must not be empty' }).max(200),
  distinct_id: z.union([z.string().min(1).max(200), z.number()]).optional(),
  properties: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
  timestamp: z.iso.datetime({ offset: true, local: true, error: 'must be an ISO 8601 date-time' }).optional(),
  uuid: z.string().min(1).max(100).optional(),
});

// Fields posthog clients send that we read or knowingly ignore (api_key is a project token: never stored).
const KNOWN_EVENT_FIELDS = new Set(['event', 'distinct_id', 'properties', 'timestamp', 'uuid', 'type', 'library', 'library_version', 'api_key', 'token', 'sent_at', 'messageId', '$set', '$set_once']);
// Properties a sender could use to hand us an address; dropped before storing.
const DROPPED_PROPERTIES = ['$ip', 'ip', '$raw_user_agent'];

export interface PosthogEvent {
  event: string;
  distinctId: string;
  occurredAt: Date | null;
  uuid: string | null;
  properties: Record<string, unknown>;
  state: InstanceState;
  droppedFields: number;
}

export type PosthogParse = { ok: true; events: PosthogEvent[] } | { ok: false; issues: { path: string; message: string }[]; tooLarge?: boolean };

// Each event is its own small transaction; a longer batch gets 413, on which posthog-node halves its batch size.
export const MAX_BATCH_EVENTS = 500;

export function parsePosthogBody(body: unknown): PosthogParse {
  const list = Array.isArray(body) ? body : isObject(body) && 'batch' in body ? body.batch : isObject(body) ? [body] : null;
  if (!Array.isArray(list)) {
    return { ok: false, issues: [{ path: isObject(body) ? 'batch' : '(body)', message: isObject(body) ? 'must be an array of events' : 'must be a JSON object or array' }] };
  }
  if (list.length === 0) return { ok: false, issues: [{ path: 'batch', message: 'must contain at least one event' }] };
  if (list.length > MAX_BATCH_EVENTS) return { ok: false, tooLarge: true, issues: [{ path: 'batch', message: `must contain at most ${MAX_BATCH_EVENTS} events` }] };
  const apiKey = isObject(body) ? body.api_key : undefined;
  const events: PosthogEvent[] = [];
  for (const [index, raw] of list.entries()) {
    const prefix = list === body || (isObject(body) && 'batch' in body) ? `batch[${index}].` : '';
    const parsed = parseEvent(raw, prefix);
    if (!parsed.ok) return parsed;
    events.push(parsed.event);
  }
  void apiKey; // accepted and ignored: this collector has no projects
  return { ok: true, events };
}

function parseEvent(raw: unknown, prefix: string): { ok: true; event: PosthogEvent } | { ok: false; issues: { path: string; message: string }[] } {
  if (!isObject(raw)) return { ok: false, issues: [{ path: prefix ? prefix.slice(0, -1) : '(body)', message: 'must be an event object' }] };
  const result = eventSchema.safeParse(raw);
  if (!result.success) return { ok: false, issues: describeIssues(result.error, prefix) };
  const { event, timestamp, uuid } = result.data;
  const properties = { ...(result.data.properties ?? {}) };
  const distinct = result.data.distinct_id ?? properties.distinct_id ?? properties.$distinct_id;
  if ((typeof distinct !== 'string' && typeof distinct !== 'number') || String(distinct).length === 0 || String(distinct).length > 200) {
    return { ok: false, issues: [{ path: `${prefix}distinct_id`, message: 'is required, at the top level or in properties (a string of at most 200 characters)' }] };
  }
  let droppedFields = Object.keys(raw).filter((key) => !KNOWN_EVENT_FIELDS.has(key)).length;
  for (const key of DROPPED_PROPERTIES) {
    if (key in properties) {
      delete properties[key];
      droppedFields += 1;
    }
  }
  delete properties.distinct_id;
  delete properties.$distinct_id;
  // A sender that puts the platform payload into properties fills the dashboard too.
  const state = instanceStateSchema.safeParse(properties);
  return {
    ok: true,
    event: {
      event,
      distinctId: String(distinct),
      occurredAt: timestamp ? new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(timestamp) ? timestamp : `${timestamp}Z`) : null, // no offset: UTC
      uuid: uuid ?? null,
      properties,
      state: state.success ? state.data : {},
      droppedFields,
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
