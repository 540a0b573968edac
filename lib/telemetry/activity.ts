// What Admin Settings shows about telemetry pings: the effective setting, the
// last successful ping, when the next one is due and the recent history.
// Plain data for components/telemetry/telemetry-activity.tsx.
import 'server-only';
import { db, type Db } from '../db';
import { isSetupComplete } from '../data/settings';
import { lastScheduledSends, lastSentPayload, lastSuccessfulSend, recentSends } from '../data/telemetry-sends';
import { getTelemetrySetting } from '../data/telemetry-setting';
import { ensureDailyMinute } from './daily-time';
import { formatDailyTime, nextDailyTime } from './schedule';
import { getConfig } from '../config';
import { DEFAULT_RETRY_DELAY_MS, explainFailure } from './send';
import type { TelemetrySetting } from './setting';

export interface TelemetrySendSummary {
  id: string;
  sentAt: string;
  trigger: string;
  ok: boolean;
  /** "HTTP 200", "no answer in time (timeout)", "in progress", ... */
  result: string;
  durationMs: number | null;
  attempts: number;
}

export interface TelemetryActivity {
  setting: TelemetrySetting;
  /** "HH:MM" UTC, the platform's daily time. */
  dailyTime: string;
  /** ISO time of the next daily ping, or null with the reason there is none. */
  next: { at: string | null; note: string };
  lastSuccess: TelemetrySendSummary | null;
  recent: TelemetrySendSummary[];
  hasSentPayload: boolean;
}

type Row = Awaited<ReturnType<typeof recentSends>>[number];

/**
 * The longest a ping can be on its way: two attempts of `timeoutMs` with the retry delay between
 * them, and a margin for building the payload and recording the outcome. A claimed row still
 * without an outcome after that was interrupted (the process stopped, or the database went away).
 */
export function maxPingMs(timeoutMs: number): number {
  return 2 * timeoutMs + DEFAULT_RETRY_DELAY_MS + 10_000;
}

export function summariseSend(
  row: Row,
  now = new Date(),
  timeoutMs = getConfig().telemetry.timeoutMs,
): TelemetrySendSummary {
  let result: string;
  if (row.durationMs === null)
    result = now.getTime() - row.sentAt.getTime() > maxPingMs(timeoutMs) ? 'interrupted' : 'in progress';
  else if (row.status !== null) result = `HTTP ${row.status}`;
  else result = explainFailure({ error: row.error, status: null });
  return {
    id: row.id,
    sentAt: row.sentAt.toISOString(),
    trigger: row.trigger,
    ok: row.ok,
    result,
    durationMs: row.durationMs,
    attempts: row.attempts,
  };
}

export async function getTelemetryActivity(client: Db = db, now = new Date()): Promise<TelemetryActivity> {
  const [setting, setupComplete, minute, scheduled, lastSuccess, recent, lastPayload] = await Promise.all([
    getTelemetrySetting(client),
    isSetupComplete(client),
    ensureDailyMinute(client),
    lastScheduledSends(client),
    lastSuccessfulSend(client),
    recentSends(20, client),
    lastSentPayload(client),
  ]);
  let next: TelemetryActivity['next'];
  if (!setting.enabled) next = { at: null, note: `None: telemetry is off (${setting.reason})` };
  else if (!setupComplete) next = { at: null, note: 'None until setup is complete' };
  else {
    const at = nextDailyTime(now, minute, scheduled);
    next = {
      at: at.toISOString(),
      note: at.getTime() === now.getTime() ? 'Within the next minute' : `Daily at ${formatDailyTime(minute)} UTC`,
    };
  }
  return {
    setting,
    dailyTime: formatDailyTime(minute),
    next,
    lastSuccess: lastSuccess ? summariseSend(lastSuccess, now) : null,
    recent: recent.map((row) => summariseSend(row, now)),
    hasSentPayload: lastPayload !== null,
  };
}
