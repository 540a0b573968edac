import { describe, expect, it } from 'vitest';
import { MAX_DELAY_MS, signInDelayMs, signInKeys } from '../../lib/sign-in-limits';

describe('signInDelayMs', () => {
  it('is free for the first 10 failures on an account, then doubles from 1 s up to 10 s', () => {
    expect([0, 5, 9].map(signInDelayMs)).toEqual([0, 0, 0]);
    expect([10, 11, 12, 13, 14, 15, 1000].map(signInDelayMs)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
    expect(signInDelayMs(Number.MAX_SAFE_INTEGER)).toBe(MAX_DELAY_MS);
  });
});

describe('signInKeys', () => {
  it("gives each account a prefix no other account's keys start with", () => {
    const a = signInKeys.accountAddressPrefix('a@x.com');
    const b = signInKeys.accountAddressPrefix('a@x.com:1.2.3.4');
    expect(signInKeys.accountAddress('a@x.com:1.2.3.4', '5.6.7.8').startsWith(a)).toBe(false);
    expect(signInKeys.accountAddress('a@x.com', '5.6.7.8').startsWith(b)).toBe(false);
    expect(a).toMatch(/^signin:pair:[0-9a-f]+:$/); // no LIKE wildcard (_ or %) in a prefix query
  });
});
