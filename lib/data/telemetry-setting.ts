// Reads and changes the effective telemetry setting of this platform. Reads go
// to the database on every call, so a change takes effect without a restart.
// Changes are refused when flowforge.yml or FLOWFORGE_TELEMETRY decides, so no
// caller (Admin Settings, a crafted request, the CLI) can save a value that
// would silently be overridden.
import 'server-only';
import { getConfig, type Config } from '../config';
import { db, type Db, type Tx } from '../db';
import { recordAudit } from './audit';
import { getSetting, SETTING } from './settings';
import { telemetrySettingChanged } from '../telemetry/setting-changes';
import {
  howToUnlock,
  lockedChangeMessage,
  TELEMETRY_AUDIT_EVENT,
  telemetrySettingFrom,
  type TelemetrySetting,
} from '../telemetry/setting';

export async function getTelemetrySetting(client: Db = db, config: Config = getConfig()): Promise<TelemetrySetting> {
  return telemetrySettingFrom(config, await getSetting(SETTING.telemetryEnabled, client));
}

export class TelemetrySettingLockedError extends Error {
  name = 'TelemetrySettingLockedError';
  constructor(
    readonly setting: TelemetrySetting,
    fileName?: string,
  ) {
    super(lockedChangeMessage(setting, fileName));
  }
}

export interface TelemetryChange {
  before: TelemetrySetting;
  after: TelemetrySetting;
  /** False when the database already held this value (nothing written, no audit entry). */
  changed: boolean;
}

/**
 * Saves telemetry on/off in the database with an audit entry (old and new
 * stored value), in one transaction. Throws TelemetrySettingLockedError, having
 * written nothing, when the environment or flowforge.yml decides.
 */
export async function saveTelemetryEnabled(
  enabled: boolean,
  actor: string,
  client: Db = db,
  config: Config = getConfig(),
): Promise<TelemetryChange> {
  const change = await client.$transaction((tx) => writeTelemetryEnabled(tx, enabled, actor, config));
  if (change.changed) telemetrySettingChanged();
  return change;
}

/**
 * The one writer of the setting, inside the caller's transaction (Admin
 * Settings and the CLI through saveTelemetryEnabled, the setup wizard through
 * completeSetup; each calls telemetrySettingChanged() once committed):
 * re-resolves the setting there, refuses a locked one before writing
 * anything, and writes the row and its audit entry together.
 */
export async function writeTelemetryEnabled(
  tx: Tx,
  enabled: boolean,
  actor: string,
  config: Config = getConfig(),
): Promise<TelemetryChange> {
  const key = SETTING.telemetryEnabled;
  const value = enabled ? 'true' : 'false';
  const stored = (await tx.setting.findUnique({ where: { key } }))?.value ?? null;
  const before = telemetrySettingFrom(config, stored);
  if (before.locked) throw new TelemetrySettingLockedError(before, configFileName(config));
  if (stored === value) return { before, after: before, changed: false };
  await tx.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
  const oldValue = stored === 'true' || stored === 'false' ? stored : null;
  await recordAudit(actor, { event: TELEMETRY_AUDIT_EVENT, oldValue, newValue: value }, tx);
  return { before, after: telemetrySettingFrom(config, value), changed: true };
}

function configFileName(config: Pick<Config, 'file'>): string {
  return config.file.path.split('/').pop() || 'flowforge.yml';
}

/** What the operator must do to decide the setting in Admin Settings again ('' when it is not locked). */
export function telemetryLockHint(setting: TelemetrySetting, config: Config = getConfig()): string {
  return howToUnlock(setting, configFileName(config));
}
