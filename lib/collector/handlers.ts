// The collector's HTTP endpoints, shared by the route files:
//   POST /api/v1/ping and /ping            platform pings -> 202, no body, FlowForge-Dropped-Fields: n
//   POST /capture/ /e/ /i/v0/e/ /batch/    PostHog capture API -> 200 {status: 1}
// Order of checks: enabled (404) -> content type (415) -> requests per sender
// (429) -> body size (413) -> bytes per sender (429) -> JSON (400/413) ->
// schema (400) -> events per sender (429) -> store.
// Every refusal is JSON: {error: code, message, issues?} (lib/http-response.ts).
import 'server-only';
import { getConfig } from '../config';
import { db, type Db } from '../db';
import { errorResponse, json, notFound, serverError, tooManyRequests } from '../http-response';
import { clientIp } from '../request-ip';
import { BodyError, gunzipCapped, isGzip, isJsonContentType, parseJsonBody, readBodyCapped } from './read-body';
import { parsePing } from './report-schema';
import { checkPosthogBody, schemaRefusal, type BodyRefusal } from './posthog-check';
import { checkAndHoldInWorker, checkPosthogBodyInWorker } from './body-check-worker';
import { hashSenderIp } from './sender-fingerprint';
import { senderLimits, type LimitDecision } from './sender-limits';
import { storeEvents } from './event-store';
import { HEAVY_BODY_BYTES, inHeavyLane, LaneFullError, yieldToEventLoop } from './heavy-lane';
import { storeReport } from './store';

export const MAX_PING_BYTES = 64 * 1024;
// PostHog clients send batches of up to 100 events; PostHog itself takes far more.
export const MAX_POSTHOG_BYTES = 1024 * 1024;

export interface HandlerOptions {
  now?: () => Date;
  client?: Db;
}

interface Admitted {
  receivedAt: Date;
  senderHash: string;
  /** The body as read (gzip inflated), not yet parsed. */
  raw: Buffer;
}

/** The checks both kinds of endpoint share; a Response means "refused". */
async function admit(
  request: Request,
  maxBytes: number,
  { now = () => new Date(), client = db }: HandlerOptions,
  { gzipParam = false, textPlain = false } = {},
): Promise<Admitted | Response> {
  const config = getConfig().collector;
  if (!config.enabled) return notFound('This instance does not run a collector');
  const contentType = request.headers.get('content-type');
  if (!isJsonContentType(contentType) && !(textPlain && contentType?.toLowerCase().startsWith('text/plain'))) {
    return errorResponse(415, 'unsupported_media_type', 'Send the report as JSON (Content-Type: application/json)');
  }
  const receivedAt = now();
  const senderHash = await hashSenderIp(
    clientIp(request.headers, { trustProxy: config.trustProxy }),
    receivedAt,
    client,
  );
  // Counted in memory and shared between replicas about once a second: no query per request.
  const limits = senderLimits(client);
  const settings = {
    requests: config.maxRequestsPerMinute,
    events: config.maxEventsPerMinute,
    bytes: config.maxBytesPerMinute,
  };
  const requestAllowed = limits.hit(senderHash, { requests: 1 }, settings, receivedAt);
  if (!requestAllowed.allowed) return rateLimited(requestAllowed);
  try {
    let raw = await readBodyCapped(request, maxBytes);
    const encoding = (request.headers.get('content-encoding') ?? '').toLowerCase();
    if (encoding === 'gzip' || gzipParam || isGzip(raw)) raw = gunzipCapped(raw, maxBytes);
    else if (encoding && encoding !== 'identity')
      return errorResponse(
        415,
        'unsupported_encoding',
        `Content-Encoding ${encoding} is not supported (use gzip or none)`,
      );
    const bytesAllowed = limits.hit(senderHash, { bytes: raw.length }, settings, receivedAt);
    if (!bytesAllowed.allowed) return rateLimited(bytesAllowed);
    return { receivedAt, senderHash, raw };
  } catch (error) {
    if (error instanceof BodyError) return errorResponse(error.status, error.code, error.message);
    throw error;
  }
}

/** The parsed JSON of an admitted body, or the Response refusing it. */
function parseBody(raw: Buffer): { body: unknown } | Response {
  try {
    return { body: parseJsonBody(raw) };
  } catch (error) {
    if (error instanceof BodyError) return errorResponse(error.status, error.code, error.message);
    throw error;
  }
}

function rateLimited({ retryAfter, counter }: LimitDecision): Response {
  const what = counter === 'bytes' ? 'bytes' : counter === 'events' ? 'events' : 'reports';
  return tooManyRequests(`Too many ${what} from this sender this minute; retry in ${retryAfter} s`, retryAfter);
}

function storeFailed(error: unknown): Response {
  return serverError('collector could not store a report', error, 'The report could not be stored; try again later');
}

/** A database failure anywhere (salt, rate limit, store) is logged and answered with JSON, never a raw error. */
function answering(handler: (request: Request, options: HandlerOptions) => Promise<Response>) {
  return (request: Request, options: HandlerOptions = {}) => handler(request, options).catch(storeFailed);
}

/** A refusal decided by the body's checks (here or in the worker), as JSON. */
function refuse({ status, code, message, issues }: BodyRefusal): Response {
  return errorResponse(status, code, message, { issues });
}

// POST /api/v1/ping and /ping: store one platform report.
export const handlePing = answering(async (request, options) => {
  const admitted = await admit(request, MAX_PING_BYTES, options);
  if (admitted instanceof Response) return admitted;
  const json_ = parseBody(admitted.raw);
  if (json_ instanceof Response) return json_;
  const parsed = parsePing(json_.body);
  if (!parsed.ok)
    return refuse(schemaRefusal(400, 'invalid_payload', 'The report does not match the ping schema', parsed.issues));
  const { instanceId, ...state } = parsed.value;
  await storeReport(
    {
      instanceId,
      // The stored ping keeps the extra metrics too, flat: {"platform.counts.devices": 12, ...}.
      payload: parsed.extras?.length
        ? {
            ...parsed.value,
            extraMetrics: Object.fromEntries(
              parsed.extras.map((m) => [
                m.metric,
                m.kind === 'boolean' ? m.numberValue === 1 : (m.textValue ?? m.numberValue),
              ]),
            ),
          }
        : parsed.value,
      droppedFields: parsed.droppedFields,
      state,
      extras: parsed.extras,
    },
    admitted,
    options.client ?? db,
  );
  return accepted(parsed.droppedFields);
});

/** Counts the fields of a stored ping that were neither typed nor kept as extra metrics. */
export const DROPPED_FIELDS_HEADER = 'FlowForge-Dropped-Fields';

/**
 * A stored ping's answer: 202 with no body, what was dropped in a header. Next.js sends any body
 * by piping a web stream into the socket (headers flushed, then a chunked body and its end); for
 * a ping that cost about a tenth of the request thread (bench:ingest, docs/architecture.md), and
 * the answer has nothing else to say. Refusals keep their JSON reason.
 */
function accepted(droppedFields: number): Response {
  return new Response(null, { status: 202, headers: { [DROPPED_FIELDS_HEADER]: String(droppedFields) } });
}

// POST /capture/, /e/, /i/v0/e/, /batch/: PostHog-compatible capture.
export const handlePosthog = answering(async (request, options) => {
  // A body declared large (or not declared) waits for the heavy lane before it is even read,
  // so only one large body at a time is in memory; a small one that turns out large joins it after.
  const declared = Number(request.headers.get('content-length'));
  const small = Number.isFinite(declared) && declared > 0 && declared <= HEAVY_BODY_BYTES;
  try {
    if (!small) return await inHeavyLane(() => receivePosthog(request, options, true));
    return await receivePosthog(request, options, false);
  } catch (error) {
    if (error instanceof LaneFullError)
      return tooManyRequests('The collector is busy with large batches; retry in a few seconds', 5);
    throw error;
  }
});

async function receivePosthog(request: Request, options: HandlerOptions, inLane: boolean): Promise<Response> {
  const compression = new URL(request.url).searchParams.get('compression');
  const admitted = await admit(request, MAX_POSTHOG_BYTES, options, {
    gzipParam: compression === 'gzip-js' || compression === 'gzip',
    textPlain: true, // posthog-js posts gzip-js bodies as text/plain
  });
  if (admitted instanceof Response) return admitted;
  if (inLane || admitted.raw.length <= HEAVY_BODY_BYTES) return storePosthogBody(admitted, options, inLane);
  return inHeavyLane(() => storePosthogBody(admitted, options, true));
}

/**
 * Checks and stores a PostHog body. A large one (in the heavy lane) is checked in the worker
 * thread (body-check-worker.ts); on the server's own SQLite database it is stored there too,
 * so none of its statements runs on this thread; on PostgreSQL (whose driver waits without
 * blocking) it is stored here, in steps that yield to other requests.
 */
async function storePosthogBody(admitted: Admitted, options: HandlerOptions, heavy: boolean): Promise<Response> {
  const { collector: config, db: database } = getConfig();
  const eventsAllowed = (count: number) =>
    senderLimits(options.client ?? db).hit(
      admitted.senderHash,
      { events: count },
      { requests: config.maxRequestsPerMinute, events: config.maxEventsPerMinute, bytes: config.maxBytesPerMinute },
      admitted.receivedAt,
    );
  if (heavy && database.type === 'sqlite' && !options.client) {
    const held = await checkAndHoldInWorker(admitted.raw);
    if (!held.ok) return refuse(held);
    const allowed = eventsAllowed(held.count);
    if (!allowed.allowed) {
      held.drop();
      return rateLimited(allowed);
    }
    await held.store(database.url, { receivedAt: admitted.receivedAt, senderHash: admitted.senderHash });
    return json({ status: 1 });
  }
  const checked = heavy ? await checkPosthogBodyInWorker(admitted.raw) : await checkPosthogBody(admitted.raw);
  if (!checked.ok) return refuse(checked);
  const allowed = eventsAllowed(checked.events.length);
  if (!allowed.allowed) return rateLimited(allowed);
  if (heavy) await yieldToEventLoop();
  // The whole batch in one transaction: all stored or none, and a retry is de-duplicated by uuid.
  await storeEvents(checked.events, admitted, options.client ?? db, heavy ? yieldToEventLoop : undefined);
  return json({ status: 1 });
}
