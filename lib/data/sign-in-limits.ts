// Sign-in counters in the RateLimit table (shared by every replica), by the
// rules of lib/sign-in-limits.ts, and what an admin sees and clears of them.
import 'server-only';
import { db, type Db } from '../db';
import { recordAudit } from './audit';
import { clearRateLimit, hitRateLimit, undoRateLimitHit } from './rate-limit';
import { SIGNIN_LIMITS, signInDelayMs, signInKeys } from '../sign-in-limits';

export type SignInCount = { refused: true } | { refused: false; delayMs: number };

/**
 * Counts one attempt before its password is checked (so parallel guesses are
 * counted too). The address counters are hit first: an attempt they refuse is not
 * counted on the account, so one blocked address cannot keep raising its delay.
 */
export async function countSignInAttempt(
  email: string,
  ip: string,
  now = new Date(),
  client: Db = db,
): Promise<SignInCount> {
  const [perAddress, perAccountAddress] = await Promise.all([
    hitRateLimit(signInKeys.address(ip), SIGNIN_LIMITS.address, now, client),
    hitRateLimit(signInKeys.accountAddress(email, ip), SIGNIN_LIMITS.accountAddress, now, client),
  ]);
  if (!perAddress.allowed || !perAccountAddress.allowed) return { refused: true };
  const perAccount = await hitRateLimit(signInKeys.account(email), SIGNIN_LIMITS.account, now, client);
  return { refused: false, delayMs: signInDelayMs(perAccount.count - 1) };
}

/**
 * A right password: the attempt was not a failure. The address and account
 * counters take it back (they keep only failures: an office behind one address,
 * or an account under attack, is not charged for its owner's sign-ins); the
 * account-from-this-address counter starts over.
 */
export async function forgiveSignInAttempt(email: string, ip: string, client: Db = db): Promise<void> {
  await Promise.all([
    undoRateLimitHit(signInKeys.address(ip), client),
    undoRateLimitHit(signInKeys.account(email), client),
    clearRateLimit(signInKeys.accountAddress(email, ip), client),
  ]);
}

export interface AccountSignInLimits {
  /** Failures on the account from any address in the current window, and the delay the next attempt waits. */
  failures: number;
  delayMs: number;
  resetAt: Date | null;
  /** Addresses that failed on this account; `refused` once they have used up their attempts. */
  addresses: Array<{ address: string; failures: number; refused: boolean; resetAt: Date }>;
}

/** The live sign-in counters of one account, for its admin page. */
export async function getAccountSignInLimits(
  email: string,
  now = new Date(),
  client: Db = db,
): Promise<AccountSignInLimits> {
  const prefix = signInKeys.accountAddressPrefix(email);
  const [account, pairs] = await Promise.all([
    client.rateLimit.findUnique({ where: { key: signInKeys.account(email) } }),
    client.rateLimit.findMany({
      where: { key: { startsWith: prefix }, resetAt: { gt: now }, count: { gt: 0 } },
      orderBy: { count: 'desc' },
      take: 50,
    }),
  ]);
  const live = account && account.resetAt > now ? account : null;
  const failures = live?.count ?? 0;
  return {
    failures,
    delayMs: signInDelayMs(failures),
    resetAt: live?.resetAt ?? null,
    addresses: pairs.map((row) => ({
      address: row.key.slice(prefix.length),
      failures: row.count,
      refused: row.count >= SIGNIN_LIMITS.accountAddress.limit,
      resetAt: row.resetAt,
    })),
  };
}

/**
 * An admin clears an account's limits: its delay and every address's block on it.
 * Per-address counters (all accounts) stay: they protect the platform, not the account.
 * Audited in the same transaction.
 */
export async function clearAccountSignInLimits(email: string, actor: string, client: Db = db): Promise<number> {
  return client.$transaction(async (tx) => {
    const { count } = await tx.rateLimit.deleteMany({
      where: {
        OR: [{ key: signInKeys.account(email) }, { key: { startsWith: signInKeys.accountAddressPrefix(email) } }],
      },
    });
    await recordAudit(actor, { event: 'user.signin-limits.cleared', newValue: email }, tx);
    return count;
  });
}
