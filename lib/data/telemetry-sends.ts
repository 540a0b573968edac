// History of telemetry pings (TelemetrySend rows). A row is claimed before the
// ping leaves (so replicas see it at once) and completed with the outcome.
// The history is bounded: rows older than HISTORY_DAYS go, and never more than
// HISTORY_MAX_ROWS are kept, so "Send now" clicks cannot grow it without end.
import 'server-only';
import { db, type Db } from '../db';
import { isUniqueViolation } from './prisma-errors';
import type { Trigger } from '../telemetry/schedule';
import type { SendOutcome } from '../telemetry/send';
import { DAY_MS } from '../time-units';

export const HISTORY_DAYS = 90;
export const HISTORY_MAX_ROWS = 500;

export interface TelemetrySendRow {
  id: string;
  sentAt: Date;
  trigger: string;
  ok: boolean;
  status: number | null;
  error: string | null;
  durationMs: number | null;
  attempts: number;
  payload: string | null;
  slot: string | null;
}

/** Inserts the history row for a ping about to go out; null when `slot` is already claimed (by another replica). */
export async function claimSend(
  trigger: Trigger,
  at: Date,
  client: Db = db,
  slot: string | null = null,
): Promise<TelemetrySendRow | null> {
  try {
    return await client.telemetrySend.create({ data: { trigger, sentAt: at, slot } });
  } catch (error) {
    if (slot !== null && isUniqueViolation(error)) return null;
    throw error;
  }
}

export async function completeSend(
  id: string,
  outcome: SendOutcome,
  payload: string | null,
  client: Db = db,
): Promise<void> {
  await client.telemetrySend.update({
    where: { id },
    data: {
      ok: outcome.ok,
      status: outcome.status,
      error: outcome.error,
      durationMs: outcome.durationMs,
      attempts: outcome.attempts,
      payload,
    },
  });
}

/** Time of the latest ping (of one trigger, or any), claimed or finished. */
export async function lastSendAt(trigger: Trigger | null, client: Db = db): Promise<Date | null> {
  const row = await client.telemetrySend.findFirst({
    where: trigger ? { trigger } : {},
    orderBy: { sentAt: 'desc' },
    select: { sentAt: true },
  });
  return row?.sentAt ?? null;
}

/** The latest daily and boot pings, claimed or finished: what the daily rule (decideDaily) reads. */
export async function lastScheduledSends(
  client: Db = db,
): Promise<{ lastDailySentAt: Date | null; lastBootSentAt: Date | null }> {
  const [lastDailySentAt, lastBootSentAt] = await Promise.all([
    lastSendAt('daily', client),
    lastSendAt('boot', client),
  ]);
  return { lastDailySentAt, lastBootSentAt };
}

export function lastSuccessfulSend(client: Db = db): Promise<TelemetrySendRow | null> {
  return client.telemetrySend.findFirst({ where: { ok: true }, orderBy: { sentAt: 'desc' } });
}

/** The latest ping that put a payload on the wire (whatever the collector answered). */
export function lastSentPayload(client: Db = db): Promise<TelemetrySendRow | null> {
  return client.telemetrySend.findFirst({ where: { payload: { not: null } }, orderBy: { sentAt: 'desc' } });
}

export function recentSends(limit = 20, client: Db = db): Promise<TelemetrySendRow[]> {
  return client.telemetrySend.findMany({ orderBy: { sentAt: 'desc' }, take: limit });
}

export async function pruneSends(now: Date, client: Db = db): Promise<number> {
  const cutoff = new Date(now.getTime() - HISTORY_DAYS * DAY_MS);
  const old = await client.telemetrySend.deleteMany({ where: { sentAt: { lt: cutoff } } });
  // The row at position HISTORY_MAX_ROWS (newest first) marks where the surplus starts.
  const boundary = await client.telemetrySend.findFirst({
    orderBy: { sentAt: 'desc' },
    skip: HISTORY_MAX_ROWS - 1,
    select: { sentAt: true },
  });
  const surplus = boundary
    ? await client.telemetrySend.deleteMany({ where: { sentAt: { lt: boundary.sentAt } } })
    : { count: 0 };
  return old.count + surplus.count;
}
