// Runs the telemetry schedule in one server process: the boot check 30 s after
// start and a check every minute (node-cron). Whether a ping goes out is never
// decided from process memory: each check takes the "telemetry" database lease,
// reads the effective setting and the send history fresh, and claims a history
// row before releasing the lease, so replicas sharing one database and restarts
// cannot double a ping. Every failure is caught and logged (once per distinct
// message), so the schedule can never crash the platform or reject unhandled.
import 'server-only';
import { randomUUID } from 'node:crypto';
import cron from 'node-cron';
import { db, type Db } from '../db';
import { acquireLease, releaseLease } from '../data/lease';
import { isSetupComplete } from '../data/settings';
import { ensureDailyMinute } from './daily-time';
import { claimSend, lastSendAt } from '../data/telemetry-sends';
import { getTelemetrySetting } from '../data/telemetry-setting';
import { performPing, type PingDeps } from './ping';
import {
  decideBoot,
  decideDaily,
  inDailyWindow,
  latestDailyOccurrence,
  scheduleTicks,
  type Decision,
  type PingState,
  type Trigger,
} from './schedule';

export { ensureDailyMinute };

export const TELEMETRY_LEASE = 'telemetry';
/** Long enough for one decision (milliseconds of queries); a crashed holder blocks others at most this long. */
const LEASE_TTL_MS = 60_000;

export interface SchedulerDeps extends PingDeps {
  client?: Db;
  now?: () => Date;
  random?: () => number;
  /** Real-time pause between attempts to take a busy lease. */
  leaseRetryMs?: number;
}

/** First line of an error message, bounded: a log line, never a stack. */
function oneLine(error: unknown): string {
  const text = (error as Error)?.message ?? String(error);
  // Prisma puts the call site first and the cause last.
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  return (lines.at(-1) ?? 'unknown error').slice(0, 300);
}

export type CheckResult = { sent: Trigger; ok: boolean } | { sent: null; reason: string };

export function createTelemetryScheduler(deps: SchedulerDeps = {}) {
  const client = deps.client ?? db;
  const now = deps.now ?? (() => new Date());
  const holder = `scheduler-${randomUUID()}`;
  const startedAt = now();
  let dailyMinute: number | null = null;
  let lastWarning = '';

  function warnOnce(message: string) {
    if (message === lastWarning) return; // a database that is down would otherwise log every minute
    lastWarning = message;
    (deps.warn ?? console.warn)(message);
  }

  async function minuteOfDay(): Promise<number> {
    dailyMinute ??= await ensureDailyMinute(client, deps.random);
    return dailyMinute;
  }

  /** Takes the lease (a few tries: another replica holds it only for milliseconds), decides, claims. */
  async function claim(trigger: Trigger, at: Date, decide: (state: PingState) => Promise<Decision>, slot: string | null): Promise<string | Decision> {
    let acquired = false;
    for (let i = 0; i < 3 && !acquired; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, deps.leaseRetryMs ?? 250));
      acquired = await acquireLease(TELEMETRY_LEASE, holder, LEASE_TTL_MS, at, client);
    }
    if (!acquired) return { send: false, reason: 'another process holds the telemetry lease' };
    try {
      const [setting, setupComplete] = await Promise.all([getTelemetrySetting(client), isSetupComplete(client)]);
      const decision = await decide({ now: at, enabled: setting.enabled, setupComplete });
      if (!decision.send) return decision;
      const row = await claimSend(trigger, at, client, slot);
      return row ? row.id : { send: false, reason: 'another process claimed this ping' };
    } finally {
      // A failed release must not lose a claimed ping: the lease simply expires after its TTL.
      await releaseLease(TELEMETRY_LEASE, holder, client).catch(() => {});
    }
  }

  async function run(trigger: Trigger, at: Date, decide: (state: PingState) => Promise<Decision>, slot: string | null = null): Promise<CheckResult> {
    const claimed = await claim(trigger, at, decide, slot);
    if (typeof claimed !== 'string') return { sent: null, reason: claimed.send ? '' : claimed.reason };
    const outcome = await performPing(claimed, trigger, { ...deps, client, now });
    return { sent: trigger, ok: outcome.ok };
  }

  async function guarded(check: () => Promise<CheckResult>): Promise<CheckResult> {
    try {
      const result = await check();
      lastWarning = '';
      return result;
    } catch (error) {
      warnOnce(`[flowforge] telemetry check failed: ${oneLine(error)}`);
      return { sent: null, reason: 'error' };
    }
  }

  return {
    startedAt,
    holder,
    /** The platform's daily minute (null, logged, when the database cannot be reached). */
    minuteOfDay: async (): Promise<number | null> => {
      try {
        return await minuteOfDay();
      } catch (error) {
        warnOnce(`[flowforge] telemetry check failed: ${oneLine(error)}`);
        return null;
      }
    },
    /** The boot check (due BOOT_DELAY_MS after start). */
    bootCheck: () =>
      guarded(async () => {
        const at = now();
        return run('boot', at, async (state) => decideBoot({ ...state, startedAt, lastAnySentAt: await lastSendAt(null, client) }));
      }),
    /** The every-minute check: does nothing (no query) outside the daily window. */
    tick: () =>
      guarded(async () => {
        const at = now();
        const minute = await minuteOfDay();
        if (!inDailyWindow(at, minute)) return { sent: null, reason: 'not the time of day' };
        // Cheap read first: once today's ping is out, the rest of the window costs one query, no lease write.
        const early = decideDaily({ now: at, enabled: true, setupComplete: true, minuteOfDay: minute, lastDailySentAt: await lastSendAt('daily', client) });
        if (!early.send) return { sent: null, reason: early.reason };
        // The day's slot: a unique key, so even two replicas that both passed the lease could not both claim it.
        const slot = `daily:${latestDailyOccurrence(at, minute).toISOString().slice(0, 10)}`;
        return run('daily', at, async (state) => decideDaily({ ...state, minuteOfDay: minute, lastDailySentAt: await lastSendAt('daily', client) }), slot);
      }),
  };
}

const state = globalThis as unknown as { flowforgeTelemetryScheduler?: { stop: () => void } };

/** Starts the schedule once per process (dev reloads and a second register() are no-ops). Never throws. */
export function startTelemetryScheduler(deps: SchedulerDeps = {}): boolean {
  if (state.flowforgeTelemetryScheduler) return false;
  const scheduler = createTelemetryScheduler(deps);
  const stop = scheduleTicks(
    { boot: () => void scheduler.bootCheck(), tick: () => void scheduler.tick() },
    {
      setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
      everyMinute: (fn) => {
        const task = cron.schedule('* * * * *', fn, { name: 'flowforge-telemetry', noOverlap: true });
        return () => void task.destroy();
      },
    },
  );
  state.flowforgeTelemetryScheduler = { stop };
  // Pick the daily time now so Admin Settings can show it before the first tick.
  void scheduler.minuteOfDay();
  return true;
}

export function stopTelemetryScheduler(): void {
  state.flowforgeTelemetryScheduler?.stop();
  state.flowforgeTelemetryScheduler = undefined;
}
