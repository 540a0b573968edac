// The telemetry checks of one server process: the boot check 30 s after start
// and a check every minute, run as jobs by lib/jobs.ts (which catches and logs
// their failures once per distinct message). Whether a ping goes out is never
// decided from process memory: each check takes the "telemetry" database lease,
// reads the effective setting and the send history fresh, and claims a history
// row before releasing the lease, so replicas sharing one database and restarts
// cannot double a ping.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { db, type Db } from '../db';
import { acquireLease, releaseLease } from '../data/lease';
import { isSetupComplete } from '../data/settings';
import { ensureDailyMinute } from './daily-time';
import { claimSend, lastScheduledSends, lastSendAt } from '../data/telemetry-sends';
import { getTelemetrySetting } from '../data/telemetry-setting';
import { performPing, type PingDeps } from './ping';
import {
  decideBoot,
  decideDaily,
  inDailyWindow,
  latestDailyOccurrence,
  type Decision,
  type PingState,
  type Trigger,
} from './schedule';

export const TELEMETRY_LEASE = 'telemetry';
/** Long enough for one decision (milliseconds of queries); a crashed holder blocks others at most this long. */
const LEASE_TTL_MS = 60_000;

export interface SchedulerDeps extends PingDeps {
  client?: Db;
  now?: () => Date;
  random?: () => number;
  /** Real-time pause between attempts to take a busy lease. */
  leaseRetryMs?: number;
  /**
   * When the platform started, which the boot ping's 30 s count from. The job registry passes the
   * process start: the scheduler is built lazily on the first job run, after the boot timer was set,
   * so its own creation time would make the timer's check 30 s minus that delay: "too early", never sent.
   */
  startedAt?: Date;
}

export type CheckResult = { sent: Trigger; ok: boolean } | { sent: null; reason: string };

export function createTelemetryScheduler(deps: SchedulerDeps = {}) {
  const client = deps.client ?? db;
  const now = deps.now ?? (() => new Date());
  const holder = `scheduler-${randomUUID()}`;
  const startedAt = deps.startedAt ?? now();
  let dailyMinute: number | null = null;

  async function minuteOfDay(): Promise<number> {
    dailyMinute ??= await ensureDailyMinute(client, deps.random);
    return dailyMinute;
  }

  /** Takes the lease (a few tries: another replica holds it only for milliseconds), decides, claims. */
  async function claim(
    trigger: Trigger,
    at: Date,
    decide: (state: PingState) => Promise<Decision>,
    slot: string | null,
  ): Promise<string | Decision> {
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

  async function run(
    trigger: Trigger,
    at: Date,
    decide: (state: PingState) => Promise<Decision>,
    slot: string | null = null,
  ): Promise<CheckResult> {
    const claimed = await claim(trigger, at, decide, slot);
    if (typeof claimed !== 'string') return { sent: null, reason: claimed.send ? '' : claimed.reason };
    const outcome = await performPing(claimed, trigger, { ...deps, client, now });
    return { sent: trigger, ok: outcome.ok };
  }

  return {
    startedAt,
    holder,
    /** The platform's daily minute of day (picked and stored on first use). */
    minuteOfDay,
    /** The boot check (due BOOT_DELAY_MS after start). */
    bootCheck: async (): Promise<CheckResult> => {
      const at = now();
      return run('boot', at, async (state) =>
        decideBoot({ ...state, startedAt, lastAnySentAt: await lastSendAt(null, client) }),
      );
    },
    /** The every-minute check: does nothing (no query) outside the daily window. */
    tick: async (): Promise<CheckResult> => {
      const at = now();
      const minute = await minuteOfDay();
      if (!inDailyWindow(at, minute)) return { sent: null, reason: 'not the time of day' };
      // Cheap reads first: once today's ping is out (daily, or a boot ping standing for it), the rest
      // of the window costs two indexed queries a tick, no lease write.
      const early = decideDaily({
        now: at,
        enabled: true,
        setupComplete: true,
        minuteOfDay: minute,
        startedAt,
        ...(await lastScheduledSends(client)),
      });
      if (!early.send) return { sent: null, reason: early.reason };
      // The day's slot: a unique key, so even two replicas that both passed the lease could not both claim it.
      const slot = `daily:${latestDailyOccurrence(at, minute).toISOString().slice(0, 10)}`;
      return run(
        'daily',
        at,
        async (state) =>
          decideDaily({ ...state, minuteOfDay: minute, startedAt, ...(await lastScheduledSends(client)) }),
        slot,
      );
    },
  };
}
