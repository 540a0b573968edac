// Sign-in sessions kept in the database. The session cookie is a JWT that
// carries a random session id; every session check reads the row (joined with
// its user, so the check costs the one query the role check already needed).
// Deleting rows ends sessions at once on every replica: sign-out ends one,
// a password change, demotion or deletion ends all of a user's, and an admin
// can end them from the user's page.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { db, type Db } from '../db';
import { namesNoRecord } from './errors';

/** How long a session lasts from sign-in; the cookie's own expiry is the same. */
export const SESSION_LIFETIME_SECONDS = 8 * 60 * 60;

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: string;
}

/** Starts a session for a user who has just proved their password; returns its id for the cookie. */
export async function createSession(userId: string, now = new Date(), client: Db = db): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_SECONDS * 1000);
  await client.session.create({ data: { id, userId, createdAt: now, expiresAt } });
  return id;
}

/** The user of a live session, or null when it was ended, has expired or its user is gone. */
export async function findSessionUser(
  sessionId: string,
  now = new Date(),
  client: Db = db,
): Promise<SessionUser | null> {
  if (!sessionId || namesNoRecord(sessionId)) return null;
  const session = await client.session.findUnique({
    where: { id: sessionId },
    select: { expiresAt: true, user: { select: { id: true, email: true, name: true, role: true } } },
  });
  if (!session || session.expiresAt <= now) return null;
  return session.user;
}

/** Sign-out: ends this one session (the user's other browsers stay signed in). */
export async function endSession(sessionId: string, client: Db = db): Promise<void> {
  if (!sessionId || namesNoRecord(sessionId)) return;
  await client.session.deleteMany({ where: { id: sessionId } });
}

/**
 * Ends every session of a user. Takes a transaction, so the change that requires it
 * (a new password, a lost role) and the end of the sessions commit together.
 * Returns how many were ended.
 */
export async function endUserSessions(userId: string, client: Pick<Db, 'session'> = db): Promise<number> {
  const { count } = await client.session.deleteMany({ where: { userId } });
  return count;
}

/** Live sessions of a user, for the admin's user page. */
export async function countLiveSessions(userId: string, now = new Date(), client: Db = db): Promise<number> {
  return client.session.count({ where: { userId, expiresAt: { gt: now } } });
}

/** Drops expired sessions; run hourly so the table holds only live ones. */
export async function pruneExpiredSessions(now = new Date(), client: Db = db): Promise<number> {
  const { count } = await client.session.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
