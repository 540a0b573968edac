// When telemetry pings go out: pure rules, no clock and no database of their
// own (callers pass `now` and what the database says), so a fake clock can walk
// through days in milliseconds. lib/telemetry/scheduler.ts applies them under a
// database lease; see docs/architecture.md "Telemetry schedule".
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../time-units';

/** The boot ping is considered this long after the process starts. */
export const BOOT_DELAY_MS = 30_000;
/** A boot ping is skipped when any ping went out this recently (crash loops, rolling restarts). */
export const BOOT_QUIET_MS = HOUR_MS;
/** At most one daily ping per this window per platform. */
export const DAILY_MIN_GAP_MS = 23 * HOUR_MS;
/**
 * A daily ping may go out this long after its time of day (a process that was
 * restarting at that minute still sends it). Must not exceed DAY_MS - DAILY_MIN_GAP_MS,
 * or a late ping would block the next day's on-time ping.
 */
export const DAILY_WINDOW_MS = HOUR_MS;

export type Trigger = 'boot' | 'daily' | 'manual';

export type Decision = { send: true } | { send: false; reason: string };

/** A random minute of the day (0..1439), so platforms do not ping in one herd. */
export function pickDailyMinute(random: () => number = Math.random): number {
  return Math.min(1439, Math.floor(random() * 1440));
}

/** "HH:MM" (UTC), as stored in the `telemetry.dailyTime` setting. */
export function formatDailyTime(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}

/** Minute of the day from "HH:MM"; null when the stored value is not one. */
export function parseDailyTime(value: string | null | undefined): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value ?? '');
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** The latest occurrence of the daily time at or before `now` (UTC). */
export function latestDailyOccurrence(now: Date, minuteOfDay: number): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const today = midnight + minuteOfDay * MINUTE_MS;
  return new Date(today <= now.getTime() ? today : today - DAY_MS);
}

export interface PingState {
  now: Date;
  /** The effective setting, read fresh for this very tick. */
  enabled: boolean;
  setupComplete: boolean;
}

/** Boot ping: 30 s after start, on, set up, and no ping of any kind in the last hour. */
export function decideBoot(state: PingState & { startedAt: Date; lastAnySentAt: Date | null }): Decision {
  if (state.now.getTime() - state.startedAt.getTime() < BOOT_DELAY_MS) return { send: false, reason: 'too early' };
  if (!state.enabled) return { send: false, reason: 'telemetry is off' };
  if (!state.setupComplete) return { send: false, reason: 'setup is not complete' };
  if (state.lastAnySentAt && state.now.getTime() - state.lastAnySentAt.getTime() < BOOT_QUIET_MS) {
    return { send: false, reason: 'a ping went out in the last hour' };
  }
  return { send: true };
}

/** Is `now` inside the daily window (cheap, no database)? Ticks outside it do nothing. */
export function inDailyWindow(now: Date, minuteOfDay: number): boolean {
  return now.getTime() - latestDailyOccurrence(now, minuteOfDay).getTime() < DAILY_WINDOW_MS;
}

export interface DailyState extends PingState {
  minuteOfDay: number;
  /** When this process started: its boot check comes first. */
  startedAt: Date;
  lastDailySentAt: Date | null;
  lastBootSentAt: Date | null;
}

/**
 * Daily ping: inside the window after the platform's time of day, once the boot check has had
 * its turn, and no daily ping in the last 23 h. A boot ping sent inside the window stands for
 * that day's ping: a platform started (or first set up) shortly after its time of day pings
 * once, 30 s after start, not a second time at the next minute tick.
 */
export function decideDaily(state: DailyState): Decision {
  if (!inDailyWindow(state.now, state.minuteOfDay)) return { send: false, reason: 'not the time of day' };
  if (state.now.getTime() - state.startedAt.getTime() < BOOT_DELAY_MS) {
    return { send: false, reason: 'the boot check comes first' };
  }
  if (!state.enabled) return { send: false, reason: 'telemetry is off' };
  if (!state.setupComplete) return { send: false, reason: 'setup is not complete' };
  // A row stamped later than `now` (a replica whose clock runs ahead) also counts.
  if (state.lastDailySentAt && state.now.getTime() - state.lastDailySentAt.getTime() < DAILY_MIN_GAP_MS) {
    return { send: false, reason: 'a daily ping went out in the last 23 hours' };
  }
  const windowOpened = latestDailyOccurrence(state.now, state.minuteOfDay).getTime();
  if (state.lastBootSentAt && state.lastBootSentAt.getTime() >= windowOpened) {
    return { send: false, reason: "a boot ping went out in today's window" };
  }
  return { send: true };
}

/**
 * When the next daily ping is due, for Admin Settings: now (the next tick)
 * when the current window is still open and unused, else the next occurrence.
 */
export function nextDailyTime(
  now: Date,
  minuteOfDay: number,
  sent: { lastDailySentAt: Date | null; lastBootSentAt: Date | null },
): Date {
  const latest = latestDailyOccurrence(now, minuteOfDay);
  // The start rule does not apply here: a page shown in the first 30 s still says "within the next minute".
  const open = decideDaily({ now, minuteOfDay, ...sent, startedAt: new Date(0), enabled: true, setupComplete: true });
  return open.send ? now : new Date(latest.getTime() + DAY_MS);
}
