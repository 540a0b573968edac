// Plain-language labels for audit entries. The labels are keyed by the audit
// event union (lib/data/audit.ts), so an event without a label does not
// compile. Rows the union no longer names (written by an older version) fall
// back to their code and raw values, so nothing is hidden.
import type { AuditEventName } from './data/audit';
import { TELEMETRY_AUDIT_EVENT } from './telemetry/setting';

export const AUDIT_EVENT_LABELS: { readonly [Name in AuditEventName]: string } = {
  'setup.completed': 'Setup completed',
  [TELEMETRY_AUDIT_EVENT]: 'Telemetry setting changed',
  'user.created': 'User created',
  'user.updated': 'User changed',
  'user.password.changed': 'Password changed',
  'user.deleted': 'User deleted',
  'user.sessions.ended': 'Sessions ended',
  'user.signin-limits.cleared': 'Sign-in limits cleared',
  'team.created': 'Team created',
  'team.updated': 'Team changed',
  'team.deleted': 'Team deleted',
  'team.member.added': 'Team member added',
  'team.member.removed': 'Team member removed',
  'project.created': 'Project created',
  'project.updated': 'Project changed',
  'project.deleted': 'Project deleted',
};

export function describeAuditEvent(event: string): string {
  return Object.hasOwn(AUDIT_EVENT_LABELS, event) ? AUDIT_EVENT_LABELS[event as AuditEventName] : event;
}

export function describeAuditValue(event: string, value: string | null): string {
  if (event === TELEMETRY_AUDIT_EVENT) {
    if (value === 'true') return 'on';
    if (value === 'false') return 'off';
    if (value === null) return 'not set (default: on)';
  }
  return value ?? '—';
}

/** "old → new"; only the new value for a creation, only the old one for a deletion. */
export function describeAuditChange(entry: {
  event: string;
  oldValue: string | null;
  newValue: string | null;
}): string {
  const next = describeAuditValue(entry.event, entry.newValue);
  if (entry.event === TELEMETRY_AUDIT_EVENT) return `${describeAuditValue(entry.event, entry.oldValue)} → ${next}`;
  if (entry.oldValue === null) return next;
  if (entry.newValue === null) return `${entry.oldValue} (removed)`;
  return `${entry.oldValue} → ${next}`;
}
