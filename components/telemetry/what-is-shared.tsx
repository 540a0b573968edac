import { serializeTelemetryPayload } from '@/lib/telemetry/serialize';

// Plain-language description of telemetry, shown in the setup wizard and Admin Settings.
export function WhatIsShared() {
  return (
    <div className="space-y-2 text-sm text-slate-700">
      <p>
        Once a day this platform can send the FlowForge team a small report: how many users, teams and projects it has,
        a random instance id, the operating system, Node.js and FlowForge versions, and which database it uses.
      </p>
      <p data-testid="events-sentence">
        Usage events are part of what is shared too: when the server starts and stops, an hourly heartbeat, which{' '}
        <code>flowforge</code> commands run and which kinds of records admins change (never which ones), every event
        shown below and in Admin Settings.
      </p>
      <p>
        It never sends names, email addresses, passwords, project contents, host names, file paths or IP addresses. You
        can change your mind at any time in Admin Settings, in <code>flowforge.yml</code> or with the{' '}
        <code>FLOWFORGE_TELEMETRY=off</code> environment variable. TELEMETRY.md explains every field.
      </p>
    </div>
  );
}

export function PayloadPreview({
  payload,
  open = false,
  summary = 'Show exactly what would be sent',
}: {
  payload: unknown;
  open?: boolean;
  summary?: string;
}) {
  return (
    <details className="mt-3 rounded-md border border-slate-200 bg-slate-50" open={open}>
      <summary className="cursor-pointer px-3 py-2 text-sm font-medium">{summary}</summary>
      <pre data-testid="telemetry-preview" className="overflow-x-auto px-3 pb-3 font-mono text-xs">
        {serializeTelemetryPayload(payload)}
      </pre>
    </details>
  );
}

/** Every usage event with its example, as built by the sender (lib/events); shown beside the ping's preview. */
export function EventsPreview({
  events,
  summary = 'Show the usage events that would be sent',
}: {
  events: Array<{ event: string; wire: unknown }>;
  summary?: string;
}) {
  return (
    <details className="mt-3 rounded-md border border-slate-200 bg-slate-50">
      <summary className="cursor-pointer px-3 py-2 text-sm font-medium">{summary}</summary>
      <pre data-testid="events-preview" className="overflow-x-auto px-3 pb-3 font-mono text-xs">
        {JSON.stringify(
          events.map((e) => e.wire),
          null,
          2,
        )}
      </pre>
    </details>
  );
}
