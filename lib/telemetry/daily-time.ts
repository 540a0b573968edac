// The platform's daily telemetry time: picked at random the first time any
// process asks, then kept in the database, so restarts and replicas agree.
import 'server-only';
import { db, type Db } from '../db';
import { ensureSetting, SETTING } from '../data/settings';
import { formatDailyTime, parseDailyTime, pickDailyMinute } from './schedule';

export async function ensureDailyMinute(client: Db = db, random: () => number = Math.random): Promise<number> {
  const stored = await ensureSetting(
    SETTING.telemetryDailyTime,
    () => formatDailyTime(pickDailyMinute(random)),
    client,
  );
  const minute = parseDailyTime(stored);
  if (minute === null) throw new Error(`setting ${SETTING.telemetryDailyTime} holds "${stored}", expected HH:MM`);
  return minute;
}
