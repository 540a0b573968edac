import { describe, expect, it } from 'vitest';
import { loginPath, sameOriginPath } from '../../lib/requested-path';

describe('sameOriginPath', () => {
  it('keeps paths on this site with their query', () => {
    expect(sameOriginPath('/admin/users?page=2')).toBe('/admin/users?page=2');
    expect(sameOriginPath('/admin/../admin/audit')).toBe('/admin/audit');
  });
  it.each([
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    '/.//evil.example',
    '/\t/evil.example',
    'javascript:alert(1)',
    'admin',
    '',
    null,
    undefined,
  ])('refuses %j', (value) => {
    expect(sameOriginPath(value)).toBeNull();
  });
});

describe('loginPath', () => {
  it('returns to the page asked for, except the start page and the login page itself', () => {
    expect(loginPath('/admin/users?page=2')).toBe('/login?callbackUrl=%2Fadmin%2Fusers%3Fpage%3D2');
    expect(loginPath('/')).toBe('/login');
    expect(loginPath('/login?callbackUrl=%2Fadmin')).toBe('/login');
    expect(loginPath('//evil.example')).toBe('/login');
    expect(loginPath(null)).toBe('/login');
  });
});
