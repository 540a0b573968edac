// next-auth: email + password sign-in. The session cookie is a JWT holding a
// session id; the session itself is a row in the database (lib/data/sessions.ts),
// checked on every request, so ending it there ends it on every replica at once.
// The signing secret lives in the database (created once, shared by every
// replica) unless AUTH_SECRET is set, so a fresh install needs no hand-written .env.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { headers } from 'next/headers';
import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { z } from 'zod';
import { getConfig } from './config';
import { ensureSetting, SETTING } from './data/settings';
import {
  createSession,
  endSession,
  findSessionUser,
  SESSION_LIFETIME_SECONDS,
  type SessionUser,
} from './data/sessions';
import { clientIp } from './request-ip';
import { isHttpsRequest } from './security-headers';
import { attemptSignIn } from './sign-in';

export class RateLimitedSignin extends CredentialsSignin {
  code = 'rate_limited';
}

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(256),
});

async function authorize(raw: unknown, request: Request) {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const ip = clientIp(request.headers, { trustProxy: getConfig().server.trustProxy });
  const result = await attemptSignIn({ ...parsed.data, ip });
  if (result.outcome === 'refused') throw new RateLimitedSignin();
  return result.outcome === 'signed-in' ? result.user : null;
}

// The user read with the session row in the jwt callback, handed to the session
// callback of the same call (next-auth passes it the token object the jwt callback
// returned), so one query serves both and nothing extra is written into the cookie.
const liveUsers = new WeakMap<object, SessionUser>();

async function authConfig(request?: Request): Promise<NextAuthConfig> {
  const config = getConfig();
  const secret =
    config.authSecret ?? (await ensureSetting(SETTING.authSecret, () => randomBytes(32).toString('base64url')));
  // Decided by configuration, never by a header a client can send directly: the cookie's
  // name (`__Secure-` on HTTPS) must be the same on every request of one browser.
  const https = isHttpsRequest(request?.headers ?? (await headers()), config.server);
  return {
    secret,
    trustHost: true,
    useSecureCookies: https,
    session: { strategy: 'jwt', maxAge: SESSION_LIFETIME_SECONDS },
    pages: { signIn: '/login' },
    providers: [Credentials({ credentials: { email: {}, password: {} }, authorize })],
    callbacks: {
      async jwt({ token, user }) {
        // Sign-in: start the session row; the cookie carries only its id (and the user id).
        if (user?.id) return { ...token, uid: user.id, sid: await createSession(user.id) };
        // Every later read, /api/auth/session included: a session that was ended, has
        // expired, or whose user is gone yields no token, so next-auth clears the cookie
        // instead of issuing a fresh one.
        if (typeof token.sid !== 'string' || typeof token.uid !== 'string') return null;
        const live = await findSessionUser(token.sid);
        if (!live || live.id !== token.uid) return null;
        liveUsers.set(token, live);
        return token;
      },
      session({ session, token }) {
        // The role is read fresh with the session, so a demotion applies at the next request.
        const live = liveUsers.get(token);
        if (live) Object.assign(session.user, live);
        return session;
      },
    },
    events: {
      // Sign-out ends this session in the database too, not only in this browser.
      async signOut(message) {
        const sid = 'token' in message ? message.token?.sid : undefined;
        if (typeof sid === 'string') await endSession(sid);
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
