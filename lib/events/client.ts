// The one module that sends usage events: the official posthog-node client,
// configured so it can never hurt the platform, with counters for Admin
// Settings. capture() only appends to an in-memory queue (nothing is awaited
// by a caller); batches of at most 100 go out when 100 are waiting or every
// 10 s, each request abandoned after the timeout, never retried on the spot
// (a failed batch stays queued for the next flush, and no flush starts within
// 10 s of a failure, so a dead collector sees one request per 10 s, not a
// storm). The queue is bounded: when full the oldest event is dropped and
// counted. The client's own log lines are silenced (its "Queue is full" warning
// would fire once per dropped event); failures are logged once per kind here.
// Just before a batch leaves, the client asks whether events are still on
// (`stillOn`): a batch queued while on is withheld, not sent, when telemetry
// was turned off meanwhile.
import { PostHog } from 'posthog-node';
import { httpPost, originOf } from '../http-post';
import type { EventMessage } from './catalog';

export const EVENTS_BATCH_SIZE = 100;
export const EVENTS_FLUSH_INTERVAL_MS = 10_000;
export const EVENTS_QUEUE_LIMIT = 1_000;
/** No automatic flush starts within this long after a failed one. */
export const EVENTS_BACKOFF_MS = 10_000;

export interface EventCounters {
  /** Accepted by the collector (HTTP 2xx). */
  sent: number;
  /** Pushed out of the full queue before they could be sent. */
  dropped: number;
  /** Given up: refused by the collector (HTTP error), or still queued when the process stopped. */
  failed: number;
  /** Queued while on, never sent: telemetry was turned off before their batch went out. */
  withheld: number;
  /** Waiting in the queue now. */
  queued: number;
  /** The last failure, in words (null after a success). */
  lastError: string | null;
}

/** The counters before anything was queued (and of a server whose events have not started). */
export const NO_EVENT_COUNTERS: Readonly<EventCounters> = {
  sent: 0,
  dropped: 0,
  failed: 0,
  withheld: 0,
  queued: 0,
  lastError: null,
};

export interface EventsClientOptions {
  host: string;
  apiKey: string;
  timeoutMs: number;
  queueLimit?: number;
  batchSize?: number;
  flushIntervalMs?: number;
  backoffMs?: number;
  /**
   * Asked just before each batch leaves: false withholds the batch (telemetry was turned off
   * after its events were queued). A check that fails lets it go: each event was checked when queued.
   */
  stillOn?: () => Promise<boolean>;
  /** Gzip request bodies (default: yes, as posthog-node does). */
  compress?: boolean;
  /** Tests replace the network. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  warn?: (line: string) => void;
}

export interface EventsClient {
  capture(message: EventMessage): void;
  counters(): EventCounters;
  /** Sends what is queued, waiting at most `timeoutMs`; never throws. Events still queued then count as failed. */
  close(timeoutMs: number): Promise<void>;
}

type QueueItem = { message?: unknown };
const QUEUE_KEY = 'queue' as Parameters<PostHog['getPersistedProperty']>[0];

/** Short kind of a failed request for the log and Admin Settings: "HTTP 503", "timeout", "refused", ... */
export function describeEventsFailure(error: unknown): string {
  const err = error as { name?: string; status?: number; error?: unknown; message?: string };
  if (typeof err?.status === 'number') return `HTTP ${err.status}`;
  const inner = (err?.error ?? err) as { name?: string; code?: string; cause?: { code?: string }; message?: string };
  if (inner?.name === 'AbortError' || inner?.name === 'TimeoutError' || /timed out/i.test(inner?.message ?? ''))
    return 'timeout';
  const code = inner?.cause?.code ?? inner?.code ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'reset';
  return 'network';
}

export function createEventsClient(options: EventsClientOptions): EventsClient {
  const queueLimit = options.queueLimit ?? EVENTS_QUEUE_LIMIT;
  const backoffMs = options.backoffMs ?? EVENTS_BACKOFF_MS;
  const warn = options.warn ?? ((line: string) => console.warn(line));
  const counts: Omit<EventCounters, 'queued'> = { ...NO_EVENT_COUNTERS }; // queued is read from the client
  let lastFailureAt = 0;
  let lastWarned = '';
  let automatic: Promise<void> | null = null;
  let closed = false;

  function noteFailure(error: unknown, events: number, givenUp: boolean) {
    const kind = describeEventsFailure(error);
    lastFailureAt = Date.now();
    counts.lastError = kind;
    if (givenUp) counts.failed += events;
    if (kind !== lastWarned) {
      lastWarned = kind; // one line per kind of failure, not one per batch
      warn(
        `[flowforge] usage events to ${originOf(options.host, '(invalid host)')} failed: ${kind}; ` +
          `they stay queued (at most ${queueLimit})`,
      );
    }
  }

  class CountingPostHog extends PostHog {
    queueLength(): number {
      return ((this.getPersistedProperty(QUEUE_KEY) as QueueItem[] | undefined) ?? []).length;
    }

    /**
     * Queues a checked event at once, as capture() does after its preparation (feature
     * flags, context, before_send: none of which we use), without its chain of
     * promises per event: less garbage per event and no event in flight outside the queue.
     */
    enqueueChecked(message: EventMessage): void {
      const properties = { ...message.properties, ...this.getCommonEventProperties() };
      this.enqueue('capture', { distinctId: message.distinctId, event: message.event, properties }, {});
    }

    protected enqueue(type: string, message: unknown, captureOptions?: object, route?: string): void {
      if (closed) return;
      if (this.queueLength() >= queueLimit) counts.dropped += 1; // the client drops the oldest
      super.enqueue(type, message, captureOptions, route);
    }

    protected async sendBatch(batch: Parameters<PostHog['sendBatch']>[0], retry?: object, route?: string) {
      if (options.stillOn && !(await options.stillOn().catch(() => true))) {
        // Returning (not throwing) takes the batch off the queue, as a sent one.
        if (!closed) counts.withheld += batch.length;
        return;
      }
      try {
        await super.sendBatch(batch, retry, route);
      } catch (error) {
        // An HTTP answer drops the batch from the queue (given up); a network error keeps it queued.
        if (!closed) noteFailure(error, batch.length, typeof (error as { status?: unknown }).status === 'number');
        throw error;
      }
      if (closed) return; // answered after close() gave up on it: already counted as failed
      counts.sent += batch.length;
      counts.lastError = null;
      lastWarned = '';
    }

    /**
     * The interval / batch-size flush: one at a time (the client would chain a
     * second one behind a running flush), after the back-off that follows a
     * failure, and never rejecting (failures are counted and logged in sendBatch).
     */
    protected flushAutomatic(): Promise<void> {
      if (automatic) return automatic;
      const wait = Math.max(0, lastFailureAt + backoffMs - Date.now());
      const pause = wait > 0 ? new Promise<void>((resolve) => setTimeout(resolve, wait).unref()) : Promise.resolve();
      automatic = pause
        .then(() => (closed ? undefined : super.flushAutomatic()))
        .catch(() => {})
        .finally(() => (automatic = null));
      return automatic;
    }
  }

  const client = new CountingPostHog(options.apiKey, {
    host: options.host,
    flushAt: options.batchSize ?? EVENTS_BATCH_SIZE,
    maxBatchSize: options.batchSize ?? EVENTS_BATCH_SIZE,
    flushInterval: options.flushIntervalMs ?? EVENTS_FLUSH_INTERVAL_MS,
    maxQueueSize: queueLimit,
    requestTimeout: options.timeoutMs,
    fetchRetryCount: 0,
    disableGeoip: true,
    disableCompression: options.compress === false,
    // No feature flags, no remote config: events only.
    preloadFeatureFlags: false,
    disableRemoteConfig: true,
    // Not the global fetch: lib/http-post.ts says why (memory).
    fetch: options.fetch ?? postHogFetch,
  } as ConstructorParameters<typeof PostHog>[1]);

  return {
    capture(message) {
      if (closed) return;
      client.enqueueChecked(message);
    },
    counters: () => ({ ...counts, queued: closed ? 0 : client.queueLength() }),
    async close(timeoutMs) {
      if (closed) return;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      });
      // flush() (not shutdown(): its timeout and errors are console.error lines) waits for pending captures first.
      await Promise.race([client.flush().catch(() => {}), deadline]);
      clearTimeout(timer);
      closed = true;
      counts.failed += client.queueLength();
    },
  };
}

/** posthog-node's request, made by lib/http-post.ts; its body is the JSON text or the gzipped bytes. */
function postHogFetch(url: string, init: RequestInit) {
  const { method, headers, body, signal } = init as {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Uint8Array;
    signal?: AbortSignal;
  };
  return httpPost(url, { method, headers, body, signal });
}
