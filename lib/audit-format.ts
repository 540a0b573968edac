// Plain-language labels for audit entries. Unknown events (added by other
// features) fall back to their code and raw values, so nothing is hidden.
import { TELEMETRY_AUDIT_EVENT } from './telemetry/setting';

const EVENTS: Record<string, string> = {
  'setup.completed': 'Setup completed',
  [TELEMETRY_AUDIT_EVENT]: 'Telemetry setting changed',
};

export function describeAuditEvent(event: string): string {
  return EVENTS[event] ?? event;
}

export function describeAuditValue(event: string, value: string | null): string {
  if (event === TELEMETRY_AUDIT_EVENT) {
    if (value === 'true') return 'on';
    if (value === 'false') return 'off';
    if (value === null) return 'not set (default: on)';
  }
  return value ?? '—';
}

/** "old → new"; just the new value for events that have no old one (e.g. setup completed by an email). */
export function describeAuditChange(entry: { event: string; oldValue: string | null; newValue: string | null }): string {
  const next = describeAuditValue(entry.event, entry.newValue);
  if (entry.oldValue === null && entry.event !== TELEMETRY_AUDIT_EVENT) return next;
  return `${describeAuditValue(entry.event, entry.oldValue)} → ${next}`;
}
