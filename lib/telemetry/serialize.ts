// The one serialisation of a telemetry payload: the request body the sender
// posts, the JSON the previews show and the file the admin downloads are all
// this exact string. Free of server-only so client components can import it.
export function serializeTelemetryPayload(payload: unknown): string {
  return JSON.stringify(payload, null, 2);
}
