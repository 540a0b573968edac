// next-auth: email + password sign-in, JWT sessions. The signing secret lives
// in the database (created once, shared by every replica) unless AUTH_SECRET
// is set, so a fresh install needs no hand-written .env.
import 'server-only';
import { randomBytes } from 'node:crypto';
import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { getConfig } from './config';
import { db } from './db';
import { ensureSetting, SETTING } from './data/settings';
import { hitRateLimit, clearRateLimit, undoRateLimitHit } from './data/rate-limit';
import { verifyPassword } from './password';
import { clientIp } from './request-ip';

export class RateLimitedSignin extends CredentialsSignin {
  code = 'rate_limited';
}

// Per account: 10 tries per 15 minutes, reset by a success; per IP: 50 failed tries per 15 minutes.
export const SIGNIN_LIMITS = {
  account: { limit: 10, windowMs: 15 * 60_000 },
  ip: { limit: 50, windowMs: 15 * 60_000 },
};

const credentialsSchema = z.object({ email: z.string().trim().toLowerCase().min(1).max(254), password: z.string().min(1).max(256) });

async function authorize(raw: unknown, request: Request) {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const ip = clientIp(request.headers, { trustProxy: getConfig().server.trustProxy });
  const [perAccount, perIp] = await Promise.all([
    hitRateLimit(`signin:account:${email}`, SIGNIN_LIMITS.account),
    hitRateLimit(`signin:ip:${ip}`, SIGNIN_LIMITS.ip),
  ]);
  if (!perAccount.allowed || !perIp.allowed) throw new RateLimitedSignin();
  const user = await db.user.findUnique({ where: { email } });
  // Verify even for unknown emails would cost the same time; argon2 dominates, so skip it and
  // accept that "unknown email" answers faster. The rate limit bounds enumeration.
  if (!user || !(await verifyPassword(user.passwordHash, password))) return null;
  // Counted first (so parallel guesses are throttled too), taken back on success: many people
  // behind one office address only use up its allowance with wrong passwords.
  await Promise.all([clearRateLimit(`signin:account:${email}`), undoRateLimitHit(`signin:ip:${ip}`)]);
  return { id: user.id, email: user.email, name: user.name };
}

async function authConfig(): Promise<NextAuthConfig> {
  const secret = getConfig().authSecret ?? (await ensureSetting(SETTING.authSecret, () => randomBytes(32).toString('base64url')));
  return {
    secret,
    trustHost: true,
    session: { strategy: 'jwt', maxAge: 8 * 60 * 60 },
    pages: { signIn: '/login' },
    providers: [Credentials({ credentials: { email: {}, password: {} }, authorize })],
    callbacks: {
      jwt({ token, user }) {
        if (user?.id) token.uid = user.id;
        return token;
      },
      session({ session, token }) {
        if (typeof token.uid === 'string') session.user.id = token.uid;
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
