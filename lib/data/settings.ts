// Platform settings (key/value rows). Keys are listed here so a typo is a type error.
import 'server-only';
import { randomBytes, randomUUID } from 'node:crypto';
import { db, type Db } from '../db';
import { isUniqueViolation } from './prisma-errors';

export const SETTING = {
  instanceId: 'instanceId',
  setupCompletedAt: 'setup.completedAt',
  telemetryEnabled: 'telemetry.enabled',
  authSecret: 'auth.secret',
  /** "HH:MM" UTC: the daily telemetry time, picked at random once per platform. */
  telemetryDailyTime: 'telemetry.dailyTime',
  /** Key of the client address hash in HTTP request events (telemetry.httpEvents.storeClientIp: false). */
  httpEventsIpKey: 'httpEvents.ipKey',
  /** Secret of the HMAC that turns names into countable tokens for usage events (lib/events/name-hash.ts). */
  eventsNameSecret: 'events.nameSecret',
} as const;
export type SettingKey = (typeof SETTING)[keyof typeof SETTING];

export async function getSetting(key: SettingKey, client: Db = db): Promise<string | null> {
  const row = await client.setting.findUnique({ where: { key } });
  return row?.value ?? null;
}

/**
 * Returns the stored value, creating it once with `make()` when absent. Race-safe
 * across processes: the primary key decides the winner and the loser re-reads.
 */
export async function ensureSetting(key: SettingKey, make: () => string, client: Db = db): Promise<string> {
  const existing = await getSetting(key, client);
  if (existing !== null) return existing;
  try {
    await client.setting.create({ data: { key, value: make() } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  return (await getSetting(key, client))!;
}

export function getInstanceId(client: Db = db): Promise<string> {
  return ensureSetting(SETTING.instanceId, randomUUID, client);
}

/** The per-platform secret for hashing names in usage events, created once (race-safe). */
export function getNameHashSecret(client: Db = db): Promise<string> {
  return ensureSetting(SETTING.eventsNameSecret, () => randomBytes(32).toString('hex'), client);
}

export async function isSetupComplete(client: Db = db): Promise<boolean> {
  return (await getSetting(SETTING.setupCompletedAt, client)) !== null;
}
