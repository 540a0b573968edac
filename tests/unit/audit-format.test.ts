import { describe, expect, it } from 'vitest';
import { describeAuditChange, describeAuditEvent } from '../../lib/audit-format';

describe('audit log labels', () => {
  it('reads telemetry changes as on/off, with "not set" for a value never saved', () => {
    const event = 'settings.telemetry.enabled';
    expect(describeAuditEvent(event)).toBe('Telemetry setting changed');
    expect(describeAuditChange({ event, oldValue: null, newValue: 'false' })).toBe('not set (default: on) → off');
    expect(describeAuditChange({ event, oldValue: 'false', newValue: 'true' })).toBe('off → on');
  });

  it('shows other events with their raw values, and only the new one when there is no old one', () => {
    expect(describeAuditEvent('setup.completed')).toBe('Setup completed');
    expect(describeAuditEvent('user.deleted')).toBe('user.deleted');
    expect(describeAuditChange({ event: 'setup.completed', oldValue: null, newValue: 'ada@example.com' })).toBe('ada@example.com');
    expect(describeAuditChange({ event: 'user.role', oldValue: 'member', newValue: 'admin' })).toBe('member → admin');
    expect(describeAuditChange({ event: 'user.deleted', oldValue: 'bob@example.com', newValue: null })).toBe('bob@example.com → —');
  });
});
