// One ping, start to end: build and check the payload, POST it, record the
// outcome on the row that was claimed for it, prune the history. Shared by the
// scheduler (boot, daily) and the "Send now" action (manual).
import 'server-only';
import { getConfig } from '../config';
import { db, type Db } from '../db';
import { claimSend, completeSend, pruneSends, type TelemetrySendRow } from '../data/telemetry-sends';
import { getTelemetrySetting } from '../data/telemetry-setting';
import { buildTelemetryBody, TelemetryPayloadRefused, type PayloadSources, type TelemetryPayload } from './payload';
import { trackEvent } from '../events/runtime';
import { postTelemetry, type SendOutcome } from './send';
import type { Trigger } from './schedule';

export interface PingDeps {
  client?: Db;
  now?: () => Date;
  /** Retry delay for the sender; false disables the retry. */
  retryDelayMs?: number | false;
  sources?: PayloadSources;
  warn?: (message: string) => void;
}

/**
 * Sends the ping for an already claimed history row and completes the row. Never throws for a network or payload
 * failure.
 */
export async function performPing(id: string, trigger: Trigger, deps: PingDeps = {}): Promise<SendOutcome> {
  const client = deps.client ?? db;
  const warn = deps.warn ?? console.warn;
  const started = performance.now();
  let body: string | null = null;
  let outcome: SendOutcome;
  try {
    body = await buildTelemetryBody(client, deps.sources);
  } catch (error) {
    if (!(error instanceof TelemetryPayloadRefused)) throw error;
    warn(`[flowforge] ${error.message}; nothing was sent`);
  }
  if (body === null) {
    outcome = {
      ok: false,
      status: null,
      error: 'invalid-payload',
      durationMs: Math.round(performance.now() - started),
      attempts: 0,
    };
  } else {
    const { url, timeoutMs } = getConfig().telemetry;
    outcome = await postTelemetry(body, { url, timeoutMs, retryDelayMs: deps.retryDelayMs, label: trigger, warn });
    // The usage event of a ping that went out carries the ping's own counts (the body is the checked payload).
    const { counts } = (JSON.parse(body) as TelemetryPayload).platform;
    trackEvent('instance_ping', { trigger, ok: outcome.ok, ...counts });
  }
  await completeSend(id, outcome, body, client);
  await pruneSends((deps.now ?? (() => new Date()))(), client);
  return outcome;
}

export class TelemetryOffError extends Error {
  name = 'TelemetryOffError';
}

/** "Send now": refused while telemetry is effectively off; no retry (the admin sees the result at once). */
export async function sendManualPing(deps: PingDeps = {}): Promise<{ row: TelemetrySendRow; outcome: SendOutcome }> {
  const client = deps.client ?? db;
  const setting = await getTelemetrySetting(client);
  if (!setting.enabled) throw new TelemetryOffError(`Telemetry is off (${setting.reason}); nothing was sent`);
  const claimed = (await claimSend('manual', (deps.now ?? (() => new Date()))(), client))!;
  const outcome = await performPing(claimed.id, 'manual', { retryDelayMs: false, ...deps, client });
  return { row: claimed, outcome };
}
