// Password hashing (argon2id, the OWASP first choice) and the strength rule
// the setup wizard and the user forms share (stated in lib/password-rule.ts).
import { hash, verify } from '@node-rs/argon2';
import { MIN_PASSWORD_LENGTH } from './password-rule';

/**
 * A real argon2id hash (of a random password nobody knows) with the parameters
 * hashPassword uses (a unit test keeps them equal). Unknown emails
 * are verified against it, so they cost the same time as a wrong password and the
 * answer time does not tell which emails have accounts.
 */
export const DUMMY_PASSWORD_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$+pE68yfdqr+i78vz7pnYZQ$9ecEEvXyvcGoswzZbhgzS7fOnsguow1dGWiUWiMuKqM';

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // a malformed stored hash is a failed sign-in, not a crash
  }
}

/** Why a password is too weak, or null when it is acceptable. */
export function passwordWeakness(password: string, context: { email?: string; name?: string } = {}): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 256) return 'must be at most 256 characters';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return 'must mix at least three of: lower case, upper case, digits, symbols';
  const lower = password.toLowerCase();
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 3 && lower.includes(local)) return 'must not contain your email address';
  if (/^(.)\1+$/.test(password) || /password|123456|qwerty/i.test(password)) return 'is too easy to guess';
  return null;
}
