// Are usage events on, and who decided? Events ride on the telemetry setting
// (FLOWFORGE_TELEMETRY > telemetry.enabled in flowforge.yml > the database >
// on by default, lib/telemetry/setting.ts): when telemetry is off, no event is
// sent whatever else says. telemetry.events.enabled: false turns events off on
// their own (pings go on); it cannot turn them on while telemetry is off.
import type { TelemetrySetting, TelemetrySource } from '../telemetry/setting';

/**
 * How long the server keeps the setting it read for events: a burst of events shares one
 * database read (a read costs ~240 us of CPU, several times an event's own work). A change
 * made in this process applies to the very next event (lib/telemetry/setting-changes.ts);
 * one made by another replica or the CLI within this long.
 */
export const EVENTS_SETTING_MAX_AGE_MS = 250;

export interface EventsSetting {
  enabled: boolean;
  source: TelemetrySource;
  /** Plain-language reason, e.g. "Set to off by telemetry.events.enabled in flowforge.yml". */
  reason: string;
}

export function resolveEventsSetting(
  telemetry: Pick<TelemetrySetting, 'enabled' | 'source' | 'reason'>,
  fileEvents: boolean | undefined,
  fileName = 'flowforge.yml',
): EventsSetting {
  if (!telemetry.enabled)
    return { enabled: false, source: telemetry.source, reason: `Telemetry is off (${telemetry.reason})` };
  if (fileEvents === false)
    return { enabled: false, source: 'file', reason: `Set to off by telemetry.events.enabled in ${fileName}` };
  return { enabled: true, source: telemetry.source, reason: `Telemetry is on (${telemetry.reason})` };
}
