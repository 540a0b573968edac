// Users: list, create, edit, delete. The password hash never leaves this file
// (every read selects USER_FIELDS). Each change writes an audit entry in the
// same transaction.
import 'server-only';
import { db, type Db } from '../db';
import { hashPassword } from '../password';
import { pageWindow, type Page } from '../pagination';
import type { Role } from '../validation';
import { FieldError, namesNoRecord, NotFoundError } from './errors';
import { isNotFound, isUniqueViolation } from './prisma-errors';
import { getPlatformCounts } from './row-counts';

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
  const total = await countUsers(client);
  const { page, pageCount, pageSize, skip } = pageWindow(total, requestedPage);
  const rows = await client.user.findMany({ select: USER_FIELDS, orderBy: { email: 'asc' }, skip, take: pageSize });
  return { rows, total, page, pageSize, pageCount };
}

/** From the trigger-kept RowCount table: one small read, however many users there are. */
export async function countUsers(client: Db = db): Promise<number> {
  return (await getPlatformCounts(client)).users;
}

export async function getUser(id: string, client: Db = db): Promise<UserRow | null> {
  if (namesNoRecord(id)) return null;
  return client.user.findUnique({ where: { id }, select: USER_FIELDS });
}

/** Up to `limit` users for a picker, by email; the caller falls back to a text box when there are more. */
export function listUserChoices(limit: number, client: Db = db): Promise<Array<{ email: string; name: string }>> {
  return client.user.findMany({ select: { email: true, name: true }, orderBy: { email: 'asc' }, take: limit });
}

export async function createUser(input: UserInput, actor: string, client: Db = db): Promise<UserRow> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await client.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: input.email, name: input.name, role: input.role, passwordHash },
        select: USER_FIELDS,
      });
      await tx.auditLog.create({ data: { actor, event: 'user.created', newValue: `${user.email} (${user.role})` } });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new FieldError('email', EMAIL_IN_USE);
    throw error;
  }
}

export async function updateUser(id: string, input: Omit<UserInput, 'password'> & { password?: string }, actor: string, client: Db = db): Promise<UserRow> {
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
      const describe = (u: UserRow) => `${u.email} (${u.role})`;
      if (describe(before) !== describe(user)) {
        await tx.auditLog.create({ data: { actor, event: 'user.updated', oldValue: describe(before), newValue: describe(user) } });
      }
      if (passwordHash) await tx.auditLog.create({ data: { actor, event: 'user.password.changed', newValue: user.email } });
      return user;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new FieldError('email', EMAIL_IN_USE);
    if (isNotFound(error)) throw new NotFoundError('User not found');
    throw error;
  }
}

/** Deletes the user and (by cascade) their team memberships. */
export async function deleteUser(id: string, actor: string, client: Db = db): Promise<void> {
  if (namesNoRecord(id)) throw new NotFoundError('User not found');
  await client.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id }, select: USER_FIELDS });
    if (!user) throw new NotFoundError('User not found');
    await tx.user.delete({ where: { id } });
    await tx.auditLog.create({ data: { actor, event: 'user.deleted', oldValue: `${user.email} (${user.role})` } });
  });
}
