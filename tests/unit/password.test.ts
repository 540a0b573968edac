import { describe, expect, it } from 'vitest';
import { DUMMY_PASSWORD_HASH, hashPassword, passwordWeakness, verifyPassword } from '../../lib/password';
import { MIN_PASSWORD_LENGTH } from '../../lib/password-rule';

describe('passwordWeakness', () => {
  it.each([
    ['Short-1', `must be at least ${MIN_PASSWORD_LENGTH} characters`],
    ['alllowercaseletters', 'must mix at least three of: lower case, upper case, digits, symbols'],
    ['lowerUPPERonly', 'must mix at least three of: lower case, upper case, digits, symbols'],
    ['MyPassword-2024', 'is too easy to guess'],
    ['Qwerty-Keyboard9', 'is too easy to guess'],
    ['x'.repeat(300) + 'A1', 'must be at most 256 characters'],
  ])('%j %s', (password, reason) => {
    expect(passwordWeakness(password)).toBe(reason);
  });

  it('refuses a password containing the email name', () => {
    expect(passwordWeakness('Grace-Hopper-1952', { email: 'hopper@example.com' })).toBe(
      'must not contain your email address',
    );
    expect(passwordWeakness('Grace-Hopper-1952', { email: 'ada@example.com' })).toBeNull();
  });

  it('accepts long mixed passwords', () => {
    expect(passwordWeakness('Analytical-Engine-1843')).toBeNull();
    expect(passwordWeakness('correct horse 42 Battery')).toBeNull();
    expect(passwordWeakness('ÄÖÜ-lower-1234')).toBeNull();
  });
});

describe('hashPassword / verifyPassword', () => {
  it('stores an argon2id hash that verifies only the same password', async () => {
    const hash = await hashPassword('Analytical-Engine-1843');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(hash).not.toContain('Analytical');
    expect(await verifyPassword(hash, 'Analytical-Engine-1843')).toBe(true);
    expect(await verifyPassword(hash, 'analytical-engine-1843')).toBe(false);
  });

  it('treats a malformed stored hash as a failed sign-in', async () => {
    expect(await verifyPassword('not-a-hash', 'anything')).toBe(false);
  });
});

describe('DUMMY_PASSWORD_HASH', () => {
  it('has the parameters of a fresh hash, so verifying against it costs what a real one does', async () => {
    const parameters = (encoded: string) => encoded.split('$').slice(1, 4).join('$');
    expect(parameters(DUMMY_PASSWORD_HASH)).toBe(parameters(await hashPassword('Some-Password-1')));
    expect(await verifyPassword(DUMMY_PASSWORD_HASH, '')).toBe(false);
  });
});
