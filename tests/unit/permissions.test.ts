import { describe, expect, it } from 'vitest';
import { canChangeRole, canDeleteUser, isAdmin } from '../../lib/permissions';

const admin = { id: 'a1', role: 'admin' };
const otherAdmin = { id: 'a2', role: 'admin' };
const member = { id: 'm1', role: 'member' };

describe('permissions', () => {
  it('only admins reach the admin area', () => {
    expect(isAdmin(admin)).toBe(true);
    expect(isAdmin(member)).toBe(false);
    expect(isAdmin(null)).toBe(false);
    expect(isAdmin(undefined)).toBe(false);
    expect(isAdmin({ id: 'x', role: 'Admin' })).toBe(false);
  });

  it('admins delete other users but never themselves; members delete nobody', () => {
    expect(canDeleteUser(admin, member)).toBe(true);
    expect(canDeleteUser(admin, otherAdmin)).toBe(true);
    expect(canDeleteUser(admin, admin)).toBe(false);
    expect(canDeleteUser(member, otherAdmin)).toBe(false);
    expect(canDeleteUser(member, member)).toBe(false);
  });

  it('admins change roles, but cannot demote themselves', () => {
    expect(canChangeRole(admin, member, 'admin')).toBe(true);
    expect(canChangeRole(admin, otherAdmin, 'member')).toBe(true);
    expect(canChangeRole(admin, admin, 'admin')).toBe(true);
    expect(canChangeRole(admin, admin, 'member')).toBe(false);
    expect(canChangeRole(member, member, 'admin')).toBe(false);
    expect(canChangeRole(member, otherAdmin, 'member')).toBe(false);
  });
});
