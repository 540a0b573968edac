import { describe, expect, it } from 'vitest';
import { describeAuditChange, describeAuditEvent } from '../../lib/audit-format';

describe('audit log labels', () => {
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
    expect(describeAuditChange({ event: 'setup.completed', oldValue: null, newValue: 'ada@example.com' })).toBe('ada@example.com');
    expect(describeAuditChange({ event: 'user.role', oldValue: 'member', newValue: 'admin' })).toBe('member → admin');
    expect(describeAuditChange({ event: 'user.deleted', oldValue: 'bob@example.com (member)', newValue: null })).toBe('bob@example.com (member) (removed)');
  });
});
