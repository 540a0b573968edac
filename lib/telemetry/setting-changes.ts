// This process's own changes to the telemetry setting, announced to whoever
// keeps a recent copy of it (the usage events, lib/events/runtime.ts), so that
// a change made here (Admin Settings, the setup wizard) applies to the very
// next event. Other processes (replicas, the CLI) see a change when their copy
// expires. The listeners live on globalThis: Next bundles the server actions
// and the boot code (instrumentation) apart, each with its own copy of this module.

type Listener = () => void;
const state = globalThis as unknown as { flowforgeTelemetrySettingListeners?: Set<Listener> };
const listeners = (state.flowforgeTelemetrySettingListeners ??= new Set());

/** Calls `listener` after each change committed by this process; returns how to stop. */
export function onTelemetrySettingChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Called once a change to the stored setting has committed. */
export function telemetrySettingChanged(): void {
  for (const listener of listeners) listener();
}
