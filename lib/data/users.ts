// Users: list, create, edit, delete, and the password check of sign-in. The
// password hash never leaves this file (every read selects USER_FIELDS or less;
// sign-in asks verifyUserPassword). Each change writes an audit entry in the
// same transaction; a change that must end the user's sessions ends them in it.
import 'server-only';
import { db, type Db } from '../db';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../password';
import { pageOf, type Page } from '../pagination';
import type { Role } from '../validation';
import { recordAudit } from './audit';
import { namesNoRecord, NotFoundError } from './errors';
import { getPlatformCounts } from './row-counts';
import { auditChange, deleteAudited, writeError } from './records';
import { endUserSessions } from './sessions';

export const USER_FIELDS = { id: true, email: true, name: true, role: true, createdAt: true } as const;
export type UserRow = { id: string; email: string; name: string; role: string; createdAt: Date };

export const EMAIL_IN_USE = 'Email already in use';

export interface UserInput {
  email: string;
  name: string;
  role: Role;
  password: string;
}

/** One page of users, by email (the unique index serves the order); the total is one COUNT. */
export async function listUsers(requestedPage: number, client: Db = db): Promise<Page<UserRow>> {
  return pageOf((await getPlatformCounts(client)).users, requestedPage, (window) =>
    client.user.findMany({ select: USER_FIELDS, orderBy: { email: 'asc' }, ...window }),
  );
}

/**
 * Sign-in: the user whose password this is, or null (unknown email or wrong password).
 * An unknown email is verified against a dummy hash, so it costs the same time as a
 * wrong password and the answer time does not tell which emails have accounts.
 */
export async function verifyUserPassword(
  email: string,
  password: string,
  client: Db = db,
): Promise<{ id: string; email: string; name: string } | null> {
  const user = await client.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  const matches = await verifyPassword(user?.passwordHash ?? DUMMY_PASSWORD_HASH, password);
  if (!user || !matches) return null;
  return { id: user.id, email: user.email, name: user.name };
}

export async function getUser(id: string, client: Db = db): Promise<UserRow | null> {
  if (namesNoRecord(id)) return null;
  return client.user.findUnique({ where: { id }, select: USER_FIELDS });
}

/** Up to `limit` users for a picker, by email; the caller falls back to a text box when there are more. */
export function listUserChoices(limit: number, client: Db = db): Promise<Array<{ email: string; name: string }>> {
  return client.user.findMany({ select: { email: true, name: true }, orderBy: { email: 'asc' }, take: limit });
}

/** A user as the audit log names one: "email (role)". */
const describeUser = (user: UserRow) => `${user.email} (${user.role})`;

export async function createUser(input: UserInput, actor: string, client: Db = db): Promise<UserRow> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await client.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, role: input.role, passwordHash },
        select: USER_FIELDS,
      });
      await recordAudit(actor, { event: 'user.created', newValue: describeUser(user) }, tx);
      return user;
    });
  } catch (error) {
    throw writeError(error, 'email', EMAIL_IN_USE);
  }
}

export async function updateUser(
  id: string,
  input: Omit<UserInput, 'password'> & { password?: string },
  actor: string,
  client: Db = db,
): Promise<UserRow> {
  if (namesNoRecord(id)) throw new NotFoundError('User not found');
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  try {
    return await client.$transaction(async (tx) => {
      const before = await tx.user.findUnique({ where: { id }, select: USER_FIELDS });
      if (!before) throw new NotFoundError('User not found');
      const user = await tx.user.update({
        where: { id },
        data: { email: input.email, name: input.name, role: input.role, ...(passwordHash ? { passwordHash } : {}) },
        select: USER_FIELDS,
      });
      await auditChange(actor, 'user.updated', describeUser, [before, user], tx);
      if (passwordHash) await recordAudit(actor, { event: 'user.password.changed', newValue: user.email }, tx);
      // A new password or a lost admin role ends every session of the user, in the same
      // transaction: no browser signed in before the change keeps the old access.
      if (passwordHash || (before.role === 'admin' && user.role !== 'admin')) await endUserSessions(user.id, tx);
      return user;
    });
  } catch (error) {
    throw writeError(error, 'email', EMAIL_IN_USE, 'User not found');
  }
}

/** Deletes the user and (by cascade) their team memberships and sessions. */
export async function deleteUser(id: string, actor: string, client: Db = db): Promise<void> {
  await deleteAudited(id, 'User not found', actor, client, async (tx) => {
    const user = await tx.user.delete({ where: { id }, select: USER_FIELDS });
    return { event: 'user.deleted', oldValue: describeUser(user) };
  });
}

/** An admin ends every session of a user (all their browsers must sign in again); audited. */
export async function endAllSessionsOfUser(id: string, actor: string, client: Db = db): Promise<number> {
  if (namesNoRecord(id)) throw new NotFoundError('User not found');
  return client.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id }, select: USER_FIELDS });
    if (!user) throw new NotFoundError('User not found');
    const ended = await endUserSessions(id, tx);
    await recordAudit(actor, { event: 'user.sessions.ended', newValue: `${user.email} (${ended} ended)` }, tx);
    return ended;
  });
}
