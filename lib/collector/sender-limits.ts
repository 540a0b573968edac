// Per-sender limits of the collector (requests, events and bytes per minute)
// without a database write per request, yet shared by every replica.
//
// Windows are fixed UTC minutes (the same on every replica without talking).
// Each replica counts hits in memory and decides from "the total every replica
// had stored at the last sync + what it counted since"; about once a second
// (and on demand) it adds its counts to the shared RateLimit rows in one
// transaction (addRateLimitHits in lib/data/rate-limit.ts, the table's writer: an
// upsert per key that returns the new total) and learns the others' totals. So
// a refusal costs no query at all, an accepted request costs none either, and
// replicas agree within one sync interval: N replicas can overshoot a limit by
// at most what N-1 of them accept in one second.
import 'server-only';
import { db, underlyingDb, type Db } from '../db';
import { onShutdown } from '../shutdown';
import { addRateLimitHits } from '../data/rate-limit';

export const LIMIT_WINDOW_MS = 60_000;
const SYNC_INTERVAL_MS = 1000;
/** Above this many tracked keys, past windows are dropped at once (a spray of addresses cannot grow memory). */
const MAX_TRACKED_KEYS = 50_000;

export type LimitCounter = 'requests' | 'events' | 'bytes';
export type SenderLimitSettings = Record<LimitCounter, number>;

interface Tracked {
  window: number;
  /** The total across replicas as stored at the last sync (our synced hits included). */
  shared: number;
  /** Counted here and being written by the running sync (still counts until the total comes back). */
  inFlight: number;
  /** Counted here since the last sync. */
  pending: number;
}

export interface LimitDecision {
  allowed: boolean;
  /** Seconds until the window ends, for Retry-After. */
  retryAfter: number;
  counter?: LimitCounter;
}

export class SenderLimits {
  private tracked = new Map<string, Tracked>();
  private timer: NodeJS.Timeout | null = null;
  private syncing: Promise<void> | null = null;
  private stopped = false;
  /**
   * The newest window a hit was counted in. Windows older than it are past; the callers' clock
   * decides that, not the wall clock at sync time (a sync that ran just after a minute turned
   * used to drop the counts of a caller still in the previous minute, letting a sender start over).
   */
  private newestWindow = -Infinity;

  constructor(private readonly client: Db) {}

  /**
   * Counts `amounts` for a sender unless that would pass a limit; a refused hit is not counted.
   * Requests are checked before the body is read; events and bytes once they are known.
   */
  hit(sender: string, amounts: Partial<SenderLimitSettings>, limits: SenderLimitSettings, now: Date): LimitDecision {
    const window = Math.floor(now.getTime() / LIMIT_WINDOW_MS);
    this.newestWindow = Math.max(this.newestWindow, window);
    const retryAfter = Math.max(1, Math.ceil(((window + 1) * LIMIT_WINDOW_MS - now.getTime()) / 1000));
    const entries: Array<[Tracked, number]> = [];
    for (const counter of Object.keys(amounts) as LimitCounter[]) {
      const amount = amounts[counter] ?? 0;
      const entry = this.entry(`collector:${counter}:${sender}:${window}`, window);
      if (entry.shared + entry.inFlight + entry.pending + amount > limits[counter])
        return { allowed: false, retryAfter, counter };
      entries.push([entry, amount]);
    }
    for (const [entry, amount] of entries) entry.pending += amount;
    this.scheduleSync();
    return { allowed: true, retryAfter };
  }

  /** Writes the pending counts and reads back every replica's totals. Concurrent calls share one run. */
  sync(): Promise<void> {
    this.syncing ??= this.writePending().finally(() => {
      this.syncing = null;
    });
    return this.syncing;
  }

  /**
   * The stop path: no more timed syncs, and the counts not yet shared are written now, while the
   * client is still open (a timer firing after the database was closed wrote on a closed client).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.syncing?.catch(() => {});
    await this.sync();
  }

  private entry(key: string, window: number): Tracked {
    let entry = this.tracked.get(key);
    if (!entry) {
      if (this.tracked.size >= MAX_TRACKED_KEYS) this.forgetPastWindows(window);
      entry = { window, shared: 0, inFlight: 0, pending: 0 };
      this.tracked.set(key, entry);
    }
    return entry;
  }

  private forgetPastWindows(current: number) {
    for (const [key, entry] of this.tracked)
      if (entry.window < current && entry.pending === 0 && entry.inFlight === 0) this.tracked.delete(key);
  }

  private scheduleSync() {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.sync().catch((error: Error) =>
        console.warn(`[flowforge] collector limits could not be shared (kept in memory): ${error.message}`),
      );
    }, SYNC_INTERVAL_MS);
    this.timer.unref();
  }

  private async writePending() {
    const batch = [...this.tracked].filter(([, entry]) => entry.pending > 0);
    // Taken before the write: hits counted meanwhile stay pending for the next sync.
    const taken = batch.map(([key, entry]) => {
      const amount = entry.pending;
      entry.pending = 0;
      entry.inFlight = amount;
      return { key, entry, amount };
    });
    try {
      if (taken.length > 0) {
        const counts = await addRateLimitHits(
          taken.map(({ key, entry, amount }) => ({
            key,
            amount,
            resetAt: new Date((entry.window + 1) * LIMIT_WINDOW_MS),
          })),
          this.client,
        );
        counts.forEach((count, index) => {
          taken[index].entry.shared = count;
          taken[index].entry.inFlight = 0;
        });
      }
    } catch (error) {
      for (const entry of taken.map((item) => item.entry)) {
        entry.pending += entry.inFlight; // written again next time
        entry.inFlight = 0;
      }
      throw error;
    }
    this.forgetPastWindows(this.newestWindow);
  }
}

const perClient = new WeakMap<Db, SenderLimits>();

/** The limiter of this process for a database (tests use several databases in one process). */
export function senderLimits(proxyOrClient: Db = db): SenderLimits {
  const client = underlyingDb(proxyOrClient);
  let limits = perClient.get(client);
  if (!limits) {
    limits = new SenderLimits(client);
    perClient.set(client, limits);
    // The server's own limiter shares its last counts before the process exits.
    if (proxyOrClient === db) {
      const stopping = limits;
      onShutdown(() =>
        stopping
          .stop()
          .catch((error: Error) => console.warn(`[flowforge] collector limits not shared at stop: ${error.message}`)),
      );
    }
  }
  return limits;
}
