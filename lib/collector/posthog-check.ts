// Everything the collector decides about a PostHog body before it stores it:
// JSON (read-body.ts), the capture schema and privacy rule (posthog-schema.ts),
// the size of each event, and the facets the rollups count. Pure and free of
// server-only imports: small bodies are checked on the request's thread, large
// ones in a worker thread (body-worker.ts) whose heap is bounded, and both get
// the same answer from this one function.
import type { ErrorIssue } from '../http-response';
import { eventFacets, type Facet } from './event-facets';
import { BodyError, parseJsonBody } from './read-body';
import { parsePosthogBody } from './posthog-schema';

/** Largest stored event (its properties as JSON text). */
export const MAX_EVENT_BYTES = 64 * 1024;

/** An event as it will be stored: its properties serialised once, and the facet values counted of them. */
export interface CheckedEvent {
  event: string;
  distinctId: string;
  occurredAt: Date | null;
  uuid: string | null;
  droppedFields: number;
  propertiesJson: string;
  facets: Array<[Facet, string]>;
}

/** A refusal, as the handler answers it: {error: code, message, issues?} with this status. */
export interface BodyRefusal {
  ok: false;
  status: number;
  code: string;
  message: string;
  issues?: ErrorIssue[];
}

export type PosthogCheck = { ok: true; events: CheckedEvent[] } | BodyRefusal;

const refusal = (status: number, code: string, message: string, issues?: ErrorIssue[]): BodyRefusal => ({
  ok: false,
  status,
  code,
  message,
  ...(issues ? { issues } : {}),
});

/** A body its schema refuses: the first issue in the message, every issue in `issues`. */
export function schemaRefusal(status: number, code: string, what: string, issues: ErrorIssue[]): BodyRefusal {
  return refusal(status, code, `${what}: ${issues[0].path} ${issues[0].message}`, issues);
}

/** Checks a capture body (gzip already inflated); with `pause`, yields between steps of a long batch. */
export async function checkPosthogBody(raw: Uint8Array, pause?: () => Promise<void>): Promise<PosthogCheck> {
  let body: unknown;
  try {
    body = parseJsonBody(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
  } catch (error) {
    if (error instanceof BodyError) return refusal(error.status, error.code, error.message);
    throw error;
  }
  if (pause) await pause();
  const parsed = await parsePosthogBody(body, pause);
  if (!parsed.ok) {
    const [status, code, what] = parsed.tooLarge
      ? [413, 'payload_too_large', 'The batch is too long']
      : [400, 'invalid_payload', 'The event does not match the capture API'];
    return schemaRefusal(status, code, what, parsed.issues);
  }
  const events: CheckedEvent[] = [];
  for (const [index, { properties, ...event }] of parsed.events.entries()) {
    const propertiesJson = JSON.stringify(properties);
    if (propertiesJson.length > MAX_EVENT_BYTES)
      return refusal(413, 'payload_too_large', `Event ${index} is larger than ${MAX_EVENT_BYTES} bytes`);
    events.push({ ...event, propertiesJson, facets: eventFacets(event.event, properties) });
  }
  return { ok: true, events };
}
