// Stores a Setting row directly, as an earlier action of the platform would
// have. The platform itself writes each setting through its own function
// (ensureSetting, writeTelemetryEnabled, completeSetup), so this lives here.
import type { Db } from '../../lib/db-client';
import { getDb } from '../../lib/db';
import type { SettingKey } from '../../lib/data/settings';

export async function setSetting(key: SettingKey, value: string, client: Db = getDb()): Promise<void> {
  await client.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
}
