// Records every HTTP request the server answers into flowforge_http_events.
// The hook (wrapping http.Server.prototype.emit like lib/socket-address.ts)
// does the least it can on the request path: a clock reading and one 'close'
// listener, whose callback copies a few fields into a bounded queue. Everything
// else (route pattern, redaction, hashing, SQL) happens in the writer, once a
// second or every 500 events, and never makes a request wait: when the database
// is down or slow the queue drops its oldest events and counts them, and the
// writer retries on its own until the database answers again.
import 'server-only';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Config } from '../config';
import { migrateHttpEvents } from '../migrate';
import { ensureSetting, SETTING } from '../data/settings';
import {
  deleteExpiredEvents,
  describeTarget,
  ensureDayPartitions,
  openHttpEventsTarget,
  writeEvents,
  type HttpEventsTarget,
} from '../data/http-events';
import { BoundedQueue } from './queue';
import { toEventRow, type CapturedRequest, type RowContext } from './event-row';
import { createRouteMatcher, isExcludedPath, UNMATCHED_ROUTE, type RoutesManifest } from './route-pattern';
import { DAY_MS } from '../time-units';

export const BATCH_SIZE = 500;
export const FLUSH_INTERVAL_MS = 1000;
/** About 20 s of traffic at 1,000 requests a second; ~200 bytes each. */
export const QUEUE_CAPACITY = 20_000;
const MAX_RETRY_DELAY_MS = 5000;

export interface RecorderOptions {
  config: Pick<Config, 'db' | 'server' | 'nextDistDir'> & { telemetry: Pick<Config['telemetry'], 'httpEvents'> };
  /** Apply the events migrations first (a separate database, or tests); the platform's own is migrated at boot. */
  migrate?: boolean;
  queueCapacity?: number;
  flushIntervalMs?: number;
  /** Tests pass a manifest; the server reads the build's routes-manifest.json. */
  manifest?: RoutesManifest;
  log?: Pick<Console, 'log' | 'warn'>;
}

export class HttpEventsRecorder {
  readonly queue: BoundedQueue<CapturedRequest>;
  readonly target: HttpEventsTarget;
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly startedAt = Date.now();
  private port: number | undefined;
  /** Events this process has stored. */
  written = 0;
  private reportedDropped = -1;
  private context: RowContext | undefined;
  private migrated: boolean;
  private flushing: Promise<void> | undefined;
  private flushSoon = false;
  private timer: NodeJS.Timeout | undefined;
  private retryAt = 0;
  private retryDelay = FLUSH_INTERVAL_MS;
  private failing: string | undefined;
  private readonly log: Pick<Console, 'log' | 'warn'>;

  constructor(private readonly options: RecorderOptions) {
    this.queue = new BoundedQueue(options.queueCapacity ?? QUEUE_CAPACITY);
    this.target = openHttpEventsTarget(options.config);
    this.migrated = !options.migrate;
    this.log = options.log ?? console;
  }

  /** Called from the request hook: copies what the row needs once the response is over. */
  capture(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = request.url ?? '/';
    if (isExcludedPath(url)) return;
    const started = performance.now();
    const time = Date.now();
    this.port ??= request.socket?.localPort;
    response.once('close', () => {
      this.queue.push({
        time,
        elapsedUs: (performance.now() - started) * 1000,
        method: request.method ?? 'GET',
        url,
        httpVersion: request.httpVersion,
        // The client went away before the answer was complete: nginx's 499.
        status: response.writableFinished ? response.statusCode : 499,
        userAgent: request.headers['user-agent'],
        clientAddress: this.clientAddress(request),
      });
      if (this.queue.length >= BATCH_SIZE && !this.flushSoon) {
        this.flushSoon = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private clientAddress(request: http.IncomingMessage): string | undefined {
    if (this.options.config.server.trustProxy) {
      const forwarded = request.headers['x-forwarded-for'];
      const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').pop()?.trim();
      if (last) return last;
    }
    return request.socket?.remoteAddress;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.flushIntervalMs ?? FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flushing;
    await this.flush({ force: true });
    await this.target.close();
  }

  /** Writes what is queued, 500 events per transaction. Never throws; one log line per outage. */
  flush({ force = false } = {}): Promise<void> {
    this.flushSoon = false;
    if (this.flushing) return this.flushing;
    if (!force && Date.now() < this.retryAt) return Promise.resolve();
    this.flushing = this.drain().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async drain(): Promise<void> {
    try {
      const context = await this.prepare();
      do {
        const batch = this.queue.take(BATCH_SIZE);
        if (batch.length === 0 && this.queue.dropped === this.reportedDropped) break;
        const rows = batch.map((captured) => toEventRow(captured, context));
        const dropped = this.queue.dropped;
        try {
          await writeEvents(this.target, rows, this.counters(this.written + rows.length, dropped));
        } catch (error) {
          this.queue.putBack(batch);
          throw error;
        }
        this.written += rows.length;
        this.reportedDropped = dropped;
      } while (this.queue.length >= BATCH_SIZE);
      if (this.failing !== undefined) {
        this.log.log(
          `[flowforge] http events: writing to ${describeTarget(this.target)} again ` +
            `(${this.queue.dropped} event(s) dropped since start)`,
        );
      }
      this.failing = undefined;
      this.retryAt = 0;
      this.retryDelay = this.options.flushIntervalMs ?? FLUSH_INTERVAL_MS;
    } catch (error) {
      const message = this.target.redact((error as Error).message ?? String(error));
      if (this.failing === undefined) {
        this.log.warn(
          `[flowforge] http events: cannot write to ${describeTarget(this.target)} (${message}); ` +
            `requests are still served, up to ${this.queue.capacity} events wait ` +
            'and the oldest are dropped beyond that; retrying',
        );
      }
      this.failing = message;
      this.retryAt = Date.now() + this.retryDelay;
      this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_DELAY_MS);
    }
  }

  private counters(written: number, dropped: number) {
    const { namespace, version } = this.options.config.telemetry.httpEvents;
    return {
      workerId: this.workerId,
      target: this.targetName(),
      namespace,
      version: version ?? null,
      startedAt: this.startedAt,
      written,
      dropped,
    };
  }

  private targetName(): string {
    return this.port ? `${hostname()}:${this.port}` : hostname();
  }

  /** Migrations (separate database), the address hash key and the route table, once. */
  private async prepare(): Promise<RowContext> {
    if (!this.migrated) {
      const url = this.options.config.telemetry.httpEvents.postgres ?? this.options.config.db.url;
      await migrateHttpEvents(this.target.driver, url);
      this.migrated = true;
    }
    if (!this.context) {
      const { httpEvents } = this.options.config.telemetry;
      const ipKey = httpEvents.storeClientIp
        ? ''
        : await ensureSetting(SETTING.httpEventsIpKey, () => randomBytes(32).toString('hex'));
      this.context = {
        namespace: httpEvents.namespace,
        version: httpEvents.version ?? null,
        target: '',
        workerId: this.workerId,
        storeClientIp: httpEvents.storeClientIp,
        storeQueryValues: httpEvents.storeQueryValues,
        ipKey,
        matchRoute: createRouteMatcher(this.options.manifest ?? readRoutesManifest(this.options.config.nextDistDir)),
      };
    }
    // The port is known from the first request on.
    this.context.target = this.targetName();
    return this.context;
  }

  /** Hourly (a job of lib/jobs.ts): today's and tomorrow's partitions (PostgreSQL), then retention. */
  async maintain(now = Date.now()): Promise<void> {
    try {
      if (!this.migrated) return; // the writer migrates first
      await ensureDayPartitions(this.target, [now, now + DAY_MS]);
      const { retentionDays } = this.options.config.telemetry.httpEvents;
      const result = await deleteExpiredEvents(this.target, retentionDays, now);
      const removed = result.droppedPartitions.length
        ? `dropped partition(s) ${result.droppedPartitions.join(', ')}`
        : result.deletedEvents
          ? `deleted ${result.deletedEvents} event(s)`
          : '';
      if (removed) this.log.log(`[flowforge] http events retention (${retentionDays} days): ${removed}`);
    } catch (error) {
      // Logged by the job registry (lib/jobs.ts); the message loses the events database's URL first.
      throw new Error(this.target.redact((error as Error).message));
    }
  }
}

/**
 * The build's route table, plus the files of public/ (served at their own path, e.g.
 * /favicon.ico: fixed names, so each is its own route). Without a manifest (a build of an
 * older version), every other path is "(unmatched)".
 */
export function readRoutesManifest(distDir: string, publicDir = path.join(process.cwd(), 'public')): RoutesManifest {
  let manifest: RoutesManifest = { staticRoutes: [], dynamicRoutes: [] };
  try {
    const parsed = JSON.parse(
      readFileSync(path.join(/*turbopackIgnore: true*/ distDir, 'routes-manifest.json'), 'utf8'),
    ) as Partial<RoutesManifest>;
    manifest = { staticRoutes: parsed.staticRoutes ?? [], dynamicRoutes: parsed.dynamicRoutes ?? [] };
  } catch {
    console.warn(
      `[flowforge] http events: no routes-manifest.json in ${distDir}; routes are recorded as ${UNMATCHED_ROUTE}`,
    );
  }
  const publicRoutes = listPublicFiles(publicDir).map((page) => ({
    page,
    regex: `^${page.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
  }));
  return { ...manifest, staticRoutes: [...manifest.staticRoutes, ...publicRoutes] };
}

function listPublicFiles(dir: string, prefix = '', limit = 1000): string[] {
  const found: string[] = [];
  let entries: import('node:fs').Dirent[] = [];
  try {
    entries = readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (found.length >= limit) break;
    const route = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) found.push(...listPublicFiles(path.join(dir, entry.name), route, limit - found.length));
    else found.push(route);
  }
  return found;
}

const state = globalThis as unknown as { flowforgeHttpEvents?: HttpEventsRecorder };
const hookMarker = Symbol.for('flowforge.httpEvents');

/** The recorder of this process, when telemetry.httpEvents is on (the traffic page reads through its target). */
export function getHttpEventsRecorder(): HttpEventsRecorder | undefined {
  return state.flowforgeHttpEvents;
}

/** Installs the request hook and starts the writer (from lib/boot.ts). Never throws, never blocks. */
export function startHttpEvents(options: RecorderOptions): HttpEventsRecorder {
  if (state.flowforgeHttpEvents) return state.flowforgeHttpEvents;
  const recorder = new HttpEventsRecorder(options);
  state.flowforgeHttpEvents = recorder;
  installRequestHook((request, response) => state.flowforgeHttpEvents?.capture(request, response));
  recorder.start();
  return recorder;
}

function installRequestHook(onRequest: (request: http.IncomingMessage, response: http.ServerResponse) => void): void {
  const proto = http.Server.prototype as http.Server & { [hookMarker]?: boolean };
  if (proto[hookMarker]) return;
  proto[hookMarker] = true;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') onRequest(args[0] as http.IncomingMessage, args[1] as http.ServerResponse);
    return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
  } as typeof proto.emit;
}
