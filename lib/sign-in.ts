// One sign-in attempt: count it, wait the account's delay, check the password.
// The rules are in lib/sign-in-limits.ts, the counters in the database.
//
// The delay is a timer awaited before the password check: while an attempt
// waits it holds no thread, no database connection or transaction and no
// argon2 work, only its open request. How many can wait is bounded twice: each
// attempt is counted on its address before it waits (an address gets 50
// failures per 15 minutes, then answers are immediate refusals), and one
// process lets each address have at most MAX_WAITING_PER_ADDRESS attempts
// waiting at once (more are refused at once, only for that address), so a
// flood of parallel requests from one address cannot pile up timers.
import 'server-only';
import { setTimeout as sleep } from 'node:timers/promises';
import { countSignInAttempt, forgiveSignInAttempt } from './data/sign-in-limits';
import { verifyUserPassword } from './data/users';

export const MAX_WAITING_PER_ADDRESS = 2;

export type SignInOutcome =
  | { outcome: 'signed-in'; user: { id: string; email: string; name: string } }
  | { outcome: 'refused' }
  | { outcome: 'wrong' };

const waiting = new Map<string, number>();

export async function attemptSignIn(
  { email, password, ip }: { email: string; password: string; ip: string },
  { now = new Date(), wait = (ms: number) => sleep(ms) }: { now?: Date; wait?: (ms: number) => Promise<unknown> } = {},
): Promise<SignInOutcome> {
  const counted = await countSignInAttempt(email, ip, now);
  if (counted.refused) return { outcome: 'refused' };
  if (counted.delayMs > 0) {
    const already = waiting.get(ip) ?? 0;
    if (already >= MAX_WAITING_PER_ADDRESS) return { outcome: 'refused' };
    waiting.set(ip, already + 1);
    try {
      await wait(counted.delayMs);
    } finally {
      const left = (waiting.get(ip) ?? 1) - 1;
      if (left > 0) waiting.set(ip, left);
      else waiting.delete(ip);
    }
  }
  // Unknown emails are checked against a dummy hash: the same work and time as a wrong password.
  const user = await verifyUserPassword(email, password);
  if (!user) return { outcome: 'wrong' };
  await forgiveSignInAttempt(email, ip);
  return { outcome: 'signed-in', user: { id: user.id, email: user.email, name: user.name } };
}
