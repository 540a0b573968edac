// Session checks for pages, server actions and API routes. The role is read
// from the database on every check, so a demoted or deleted user loses access
// at once instead of when their session cookie expires.
import 'server-only';
import { forbidden, redirect } from 'next/navigation';
import { auth } from './auth';
import { db } from './db';
import { isAdmin } from './permissions';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: string;
}

export async function currentUser(): Promise<SessionUser | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, role: true } });
}

/** Pages: signed-in users only, else to /login. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect('/login');
  return user;
}

/** Pages and server actions under /admin: admins only, members get 403. */
export async function requireAdmin(): Promise<SessionUser> {
  const user = await requireUser();
  if (!isAdmin(user)) forbidden();
  return user;
}

/** API routes: a Response to return when the caller is not an admin, else the user. */
export async function adminOrErrorResponse(): Promise<SessionUser | Response> {
  const user = await currentUser();
  if (!user) return Response.json({ error: 'unauthorized', message: 'Sign in first' }, { status: 401 });
  if (!isAdmin(user)) return Response.json({ error: 'forbidden', message: 'Admins only' }, { status: 403 });
  return user;
}
