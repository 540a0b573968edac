// The sign-in limit rules, as pure functions (lib/data/sign-in-limits.ts keeps
// the counters in the database). Three counters, each over 15 minutes:
// - per client address, all accounts: 50 failures, then that address is refused;
// - per account from one address: 10 failures, then that address is refused for
//   that account (and only that address: the owner elsewhere still signs in);
// - per account, all addresses: never refused (that would let anyone lock any
//   account out), but past 10 failures every attempt on the account waits a
//   growing delay (1 s, 2 s, 4 s, 8 s, then 10 s) before its password is checked.

export const SIGNIN_WINDOW_MS = 15 * 60_000;

export const SIGNIN_LIMITS = {
  address: { limit: 50, windowMs: SIGNIN_WINDOW_MS },
  accountAddress: { limit: 10, windowMs: SIGNIN_WINDOW_MS },
  /** Counted for the delay only; the limit is never enforced as a refusal. */
  account: { limit: Number.MAX_SAFE_INTEGER, windowMs: SIGNIN_WINDOW_MS },
} as const;

/** Failures on one account (from any address) that cost nothing; the delay starts after them. */
export const FREE_ACCOUNT_FAILURES = 10;
export const FIRST_DELAY_MS = 1000;
export const MAX_DELAY_MS = 10_000;

/** What a signed-out visitor sees when their address has used up its attempts. */
export const SIGNIN_REFUSED_MESSAGE = 'Too many sign-in attempts from your address. Wait 15 minutes and try again.';

/**
 * How long an attempt on an account waits before its password is checked, given
 * the failures already counted on that account in the window (from any address).
 */
export function signInDelayMs(previousFailures: number): number {
  if (previousFailures < FREE_ACCOUNT_FAILURES) return 0;
  const doublings = Math.min(previousFailures - FREE_ACCOUNT_FAILURES, 30);
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** doublings);
}

// Rate-limit keys. The email is hex in the pair key, so one account's prefix is
// never the prefix of another's (emails may hold ':') and holds no LIKE wildcard
// ('_' and '%' are common in emails; a prefix query is a LIKE).
export const signInKeys = {
  address: (ip: string) => `signin:ip:${ip}`,
  account: (email: string) => `signin:account:${email}`,
  accountAddressPrefix: (email: string) => `signin:pair:${Buffer.from(email, 'utf8').toString('hex')}:`,
  accountAddress: (email: string, ip: string) => `${signInKeys.accountAddressPrefix(email)}${ip}`,
};
