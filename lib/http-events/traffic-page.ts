// The traffic page's one entry point to the data: the running recorder's
// database target (or a fresh one when this process does not record), or null
// when telemetry.httpEvents is off.
import 'server-only';
import { getConfig } from '../config';
import { describeTarget, openHttpEventsTarget } from '../data/http-events';
import { getTrafficStats, type TrafficStats, type TrafficWindow } from '../data/traffic';
import { getHttpEventsRecorder } from './recorder';

export async function loadTraffic(
  window: TrafficWindow,
): Promise<{ stats: TrafficStats; where: string; queued: number } | null> {
  const config = getConfig();
  if (!config.telemetry.httpEvents.enabled) return null;
  const recorder = getHttpEventsRecorder();
  const target = recorder?.target ?? openHttpEventsTarget(config);
  try {
    return {
      stats: await getTrafficStats(target, window),
      where: describeTarget(target),
      queued: recorder?.queue.length ?? 0,
    };
  } finally {
    if (!recorder) await target.close();
  }
}
