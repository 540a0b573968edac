// Reads the effective telemetry setting for this platform, fresh from the
// database on every call so a change takes effect without a restart.
import 'server-only';
import { getConfig } from '../config';
import { db, type Db } from '../db';
import { getSetting, SETTING } from './settings';
import { telemetrySettingFrom, type TelemetrySetting } from '../telemetry/setting';

export async function getTelemetrySetting(client: Db = db): Promise<TelemetrySetting> {
  return telemetrySettingFrom(getConfig(), await getSetting(SETTING.telemetryEnabled, client));
}
