import { describe, expect, expectTypeOf, it } from 'vitest';
import { AUDIT_EVENT_LABELS, describeAuditChange, describeAuditEvent } from '../../lib/audit-format';
import type { AuditEventName } from '../../lib/data/audit';

describe('audit log labels', () => {
  it('label every event of the union, each with words of its own', () => {
    // A compile-time check (npm run check): the labels' keys are exactly the union's names.
    expectTypeOf<keyof typeof AUDIT_EVENT_LABELS>().toEqualTypeOf<AuditEventName>();
    const labels = Object.values(AUDIT_EVENT_LABELS);
    expect(labels.every((label) => label.trim().length > 0)).toBe(true);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('show an unknown event (an older version wrote it) by its code', () => {
    expect(describeAuditEvent('widget.frobbed')).toBe('widget.frobbed');
    expect(describeAuditEvent('constructor')).toBe('constructor');
  });

  it('reads telemetry changes as on/off, with "not set" for a value never saved', () => {
    const event = 'settings.telemetry.enabled';
    expect(describeAuditEvent(event)).toBe('Telemetry setting changed');
    expect(describeAuditChange({ event, oldValue: null, newValue: 'false' })).toBe('not set (default: on) → off');
    expect(describeAuditChange({ event, oldValue: 'false', newValue: 'true' })).toBe('off → on');
  });

  it('labels the other events, showing only the new value of a creation and the old one of a deletion', () => {
    expect(describeAuditEvent('setup.completed')).toBe('Setup completed');
    expect(describeAuditEvent('user.deleted')).toBe('User deleted');
    expect(describeAuditEvent('widget.frobbed')).toBe('widget.frobbed');
    expect(describeAuditChange({ event: 'setup.completed', oldValue: null, newValue: 'ada@example.com' })).toBe(
      'ada@example.com',
    );
    expect(describeAuditChange({ event: 'user.role', oldValue: 'member', newValue: 'admin' })).toBe('member → admin');
    expect(describeAuditChange({ event: 'user.deleted', oldValue: 'bob@example.com (member)', newValue: null })).toBe(
      'bob@example.com (member) (removed)',
    );
  });
});
