// The collector's HTTP endpoints, shared by the route files:
//   POST /api/v1/ping and /ping            platform pings -> 202 {status: "accepted"}
//   POST /capture/ /e/ /i/v0/e/ /batch/    PostHog capture API -> 200 {status: 1}
// Order of checks: enabled (404) -> content type (415) -> rate limit per
// sender (429) -> body size (413) -> JSON (400) -> schema (400) -> store.
// Every refusal is JSON: {error: code, message, issues?}.
import 'server-only';
import { getConfig } from '../config';
import { db, type Db } from '../db';
import { hitRateLimit } from '../data/rate-limit';
import { clientIp } from '../request-ip';
import { BodyError, gunzipCapped, isGzip, isJsonContentType, parseJsonBody, readBodyCapped } from './read-body';
import { parsePing } from './report-schema';
import { parsePosthogBody } from './posthog-schema';
import { hashSenderIp } from './sender-fingerprint';
import { storeReport } from './store';

export const MAX_PING_BYTES = 64 * 1024;
// PostHog clients send batches of up to 100 events; PostHog itself takes far more.
export const MAX_POSTHOG_BYTES = 1024 * 1024;
const MAX_EVENT_BYTES = 64 * 1024;

export interface HandlerOptions {
  now?: () => Date;
  client?: Db;
}

type Issues = { path: string; message: string }[];

export function errorResponse(status: number, error: string, message: string, extra: { issues?: Issues; headers?: HeadersInit } = {}): Response {
  return Response.json({ error, message, ...(extra.issues ? { issues: extra.issues } : {}) }, { status, headers: extra.headers });
}

interface Admitted {
  receivedAt: Date;
  senderHash: string;
  body: unknown;
}

/** The checks both kinds of endpoint share; a Response means "refused". */
async function admit(request: Request, maxBytes: number, { now = () => new Date(), client = db }: HandlerOptions, { gzipParam = false, textPlain = false } = {}): Promise<Admitted | Response> {
  const config = getConfig().collector;
  if (!config.enabled) return errorResponse(404, 'not_found', 'This instance does not run a collector');
  const contentType = request.headers.get('content-type');
  if (!isJsonContentType(contentType) && !(textPlain && contentType?.toLowerCase().startsWith('text/plain'))) {
    return errorResponse(415, 'unsupported_media_type', 'Send the report as JSON (Content-Type: application/json)');
  }
  const receivedAt = now();
  const senderHash = await hashSenderIp(clientIp(request.headers, { trustProxy: config.trustProxy }), receivedAt, client);
  const limit = await hitRateLimit(`collector:${senderHash}`, { limit: config.maxRequestsPerMinute, windowMs: 60_000 }, receivedAt, client);
  if (!limit.allowed) {
    const retryAfter = Math.max(1, Math.ceil((limit.resetAt.getTime() - receivedAt.getTime()) / 1000));
    return errorResponse(429, 'rate_limited', `Too many reports from this sender; retry in ${retryAfter} s`, { headers: { 'Retry-After': String(retryAfter) } });
  }
  try {
    let raw = await readBodyCapped(request, maxBytes);
    const encoding = (request.headers.get('content-encoding') ?? '').toLowerCase();
    if (encoding === 'gzip' || gzipParam || isGzip(raw)) raw = gunzipCapped(raw, maxBytes);
    else if (encoding && encoding !== 'identity') return errorResponse(415, 'unsupported_encoding', `Content-Encoding ${encoding} is not supported (use gzip or none)`);
    return { receivedAt, senderHash, body: parseJsonBody(raw) };
  } catch (error) {
    if (error instanceof BodyError) return errorResponse(error.status, error.code, error.message);
    throw error;
  }
}

function storeFailed(error: unknown): Response {
  console.error(`[flowforge] collector could not store a report: ${(error as Error).message}`);
  return errorResponse(500, 'internal_error', 'The report could not be stored; try again later');
}

/** A database failure anywhere (salt, rate limit, store) is logged and answered with JSON, never a raw error. */
function answering(handler: (request: Request, options: HandlerOptions) => Promise<Response>) {
  return (request: Request, options: HandlerOptions = {}) => handler(request, options).catch(storeFailed);
}

// POST /api/v1/ping and /ping: store one platform report.
export const handlePing = answering(async (request, options) => {
  const admitted = await admit(request, MAX_PING_BYTES, options);
  if (admitted instanceof Response) return admitted;
  const parsed = parsePing(admitted.body);
  if (!parsed.ok) return errorResponse(400, 'invalid_payload', `The report does not match the ping schema: ${parsed.issues[0].path} ${parsed.issues[0].message}`, { issues: parsed.issues });
  const { instanceId, ...state } = parsed.value;
  await storeReport(
    { source: 'ping', event: 'ping', instanceId, eventUuid: null, occurredAt: null, payload: parsed.value, droppedFields: parsed.droppedFields, state },
    admitted,
    options.client ?? db,
  );
  return Response.json({ status: 'accepted', droppedFields: parsed.droppedFields }, { status: 202 });
});

// POST /capture/, /e/, /i/v0/e/, /batch/: PostHog-compatible capture.
export const handlePosthog = answering(async (request, options) => {
  const compression = new URL(request.url).searchParams.get('compression');
  const admitted = await admit(request, MAX_POSTHOG_BYTES, options, {
    gzipParam: compression === 'gzip-js' || compression === 'gzip',
    textPlain: true, // posthog-js posts gzip-js bodies as text/plain
  });
  if (admitted instanceof Response) return admitted;
  const parsed = parsePosthogBody(admitted.body);
  if (!parsed.ok && parsed.tooLarge) return errorResponse(413, 'payload_too_large', `The batch is too long: ${parsed.issues[0].path} ${parsed.issues[0].message}`, { issues: parsed.issues });
  if (!parsed.ok) return errorResponse(400, 'invalid_payload', `The event does not match the capture API: ${parsed.issues[0].path} ${parsed.issues[0].message}`, { issues: parsed.issues });
  for (const [index, event] of parsed.events.entries()) {
    const payload = { event: event.event, properties: event.properties };
    if (JSON.stringify(payload).length > MAX_EVENT_BYTES) {
      return errorResponse(413, 'payload_too_large', `Event ${index} is larger than ${MAX_EVENT_BYTES} bytes`);
    }
  }
  // One transaction per event: if one fails, the sender's retry of the whole batch is
  // de-duplicated by event uuid, so nothing is stored twice.
  for (const event of parsed.events) {
    await storeReport(
      {
        source: 'posthog',
        event: event.event,
        instanceId: event.distinctId,
        eventUuid: event.uuid,
        occurredAt: event.occurredAt,
        payload: { event: event.event, properties: event.properties },
        droppedFields: event.droppedFields,
        state: event.state,
      },
      admitted,
      options.client ?? db,
    );
  }
  return Response.json({ status: 1 });
});
