// Previews of the next ping. The settings page shows buildTelemetryPayload()
// as is. The setup wizard runs before the administrator exists, but the first
// ping can only go out after setup, which adds exactly one user (that
// administrator) and nothing else: its preview counts that user too, so it
// matches what will really be sent.
import type { TelemetryPayload } from './payload';

export function payloadAfterSetup(payload: TelemetryPayload): TelemetryPayload {
  const { counts } = payload.platform;
  return { ...payload, platform: { ...payload.platform, counts: { ...counts, users: counts.users + 1 } } };
}
