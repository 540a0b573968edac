// PostHog's capture API, as far as senders built for PostHog use it:
// POST /capture/, /e/, /i/v0/e/ with one event, or /batch/ with {batch: [...]}
// (any endpoint also takes a batch or a bare array, as PostHog does).
// distinct_id may sit at the top level or inside properties; timestamp
// defaults to the time we received it; uuid de-duplicates retries.
// Every string stored passes the privacy rule (lib/sensitive-text.ts): an event
// name or distinct_id holding an email, an address or a path refuses the
// request (400: they identify the event, there is nothing safe to keep);
// a property holding one is dropped and counted in droppedFields.
import { z } from 'zod';
import { findSensitiveText, normaliseText, sanitiseProperties, SENSITIVE_MESSAGES } from '../sensitive-text';
import { describeIssues } from './report-schema';

const eventSchema = z.object({
  event: z.string({ error: 'is required (a string)' }).min(1, { error: 'must not be empty' }).max(200),
  distinct_id: z.union([z.string().min(1).max(200), z.number()]).optional(),
  properties: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
  timestamp: z.iso.datetime({ offset: true, local: true, error: 'must be an ISO 8601 date-time' }).optional(),
  uuid: z.string().min(1).max(100).optional(),
});

// Fields posthog clients send that we read or knowingly ignore (api_key is a project token: never stored).
const KNOWN_EVENT_FIELDS = new Set([
  'event',
  'distinct_id',
  'properties',
  'timestamp',
  'uuid',
  'type',
  'library',
  'library_version',
  'api_key',
  'token',
  'sent_at',
  'messageId',
  '$set',
  '$set_once',
]);
// Properties a sender could use to hand us an address; dropped before storing.
const DROPPED_PROPERTIES = ['$ip', 'ip', '$raw_user_agent'];

export interface PosthogEvent {
  event: string;
  distinctId: string;
  occurredAt: Date | null;
  uuid: string | null;
  properties: Record<string, unknown>;
  droppedFields: number;
}

export type PosthogParse =
  { ok: true; events: PosthogEvent[] } | { ok: false; issues: { path: string; message: string }[]; tooLarge?: boolean };

// A batch is stored in one transaction; a longer one gets 413, on which posthog-node halves its batch size.
export const MAX_BATCH_EVENTS = 500;

/** Parses a capture body; with `pause`, awaits it every 50 events so a long batch shares the thread. */
export async function parsePosthogBody(body: unknown, pause?: () => Promise<void>): Promise<PosthogParse> {
  const list = Array.isArray(body)
    ? body
    : isObject(body) && 'batch' in body
      ? body.batch
      : isObject(body)
        ? [body]
        : null;
  if (!Array.isArray(list)) {
    return {
      ok: false,
      issues: [
        {
          path: isObject(body) ? 'batch' : '(body)',
          message: isObject(body) ? 'must be an array of events' : 'must be a JSON object or array',
        },
      ],
    };
  }
  if (list.length === 0) return { ok: false, issues: [{ path: 'batch', message: 'must contain at least one event' }] };
  if (list.length > MAX_BATCH_EVENTS)
    return {
      ok: false,
      tooLarge: true,
      issues: [{ path: 'batch', message: `must contain at most ${MAX_BATCH_EVENTS} events` }],
    };
  const apiKey = isObject(body) ? body.api_key : undefined;
  const events: PosthogEvent[] = [];
  for (const [index, raw] of list.entries()) {
    if (pause && index > 0 && index % 50 === 0) await pause();
    const prefix = list === body || (isObject(body) && 'batch' in body) ? `batch[${index}].` : '';
    const parsed = parseEvent(raw, prefix);
    if (!parsed.ok) return parsed;
    events.push(parsed.event);
  }
  void apiKey; // accepted and ignored: this collector has no projects
  return { ok: true, events };
}

function parseEvent(
  raw: unknown,
  prefix: string,
): { ok: true; event: PosthogEvent } | { ok: false; issues: { path: string; message: string }[] } {
  if (!isObject(raw))
    return {
      ok: false,
      issues: [{ path: prefix ? prefix.slice(0, -1) : '(body)', message: 'must be an event object' }],
    };
  const result = eventSchema.safeParse(raw);
  if (!result.success) return { ok: false, issues: describeIssues(result.error, prefix) };
  const { event, timestamp, uuid } = result.data;
  const properties = { ...(result.data.properties ?? {}) };
  const distinct = result.data.distinct_id ?? properties.distinct_id ?? properties.$distinct_id;
  if (
    (typeof distinct !== 'string' && typeof distinct !== 'number') ||
    String(distinct).length === 0 ||
    String(distinct).length > 200
  ) {
    return {
      ok: false,
      issues: [
        {
          path: `${prefix}distinct_id`,
          message: 'is required, at the top level or in properties (a string of at most 200 characters)',
        },
      ],
    };
  }
  for (const [field, value] of [
    ['event', event],
    ['distinct_id', String(distinct)],
    ['uuid', uuid ?? ''],
  ] as const) {
    const kind = findSensitiveText(value);
    if (kind) return { ok: false, issues: [{ path: `${prefix}${field}`, message: SENSITIVE_MESSAGES[kind] }] };
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
  const sanitised = sanitiseProperties(properties);
  droppedFields += sanitised.dropped;
  return {
    ok: true,
    event: {
      event: normaliseText(event),
      distinctId: normaliseText(String(distinct)),
      // no offset: UTC
      occurredAt: timestamp ? new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(timestamp) ? timestamp : `${timestamp}Z`) : null,
      uuid: uuid ?? null,
      properties: sanitised.value,
      droppedFields,
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
