// Session checks for pages, server actions and API routes. Each check reads the
// session row and its user from the database (through the jwt callback in
// lib/auth.ts), so an ended session, a demotion or a deletion applies at once on
// every replica instead of when the session cookie expires.
import 'server-only';
import { cache } from 'react';
import { headers } from 'next/headers';
import { forbidden, redirect } from 'next/navigation';
import { auth } from './auth';
import type { SessionUser } from './data/sessions';
import { forbidden as forbiddenResponse, unauthorized } from './http-response';
import { isAdmin } from './permissions';
import { loginPath, REQUESTED_PATH_HEADER } from './requested-path';

export type { SessionUser };

/** The signed-in user, read once per request (the layout and the page share the answer). */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const user = session?.user as Partial<SessionUser> | undefined;
  if (!user?.id || !user.email || !user.role) return null;
  return { id: user.id, email: user.email, name: user.name ?? '', role: user.role };
});

/** Pages: signed-in users only, else to /login, which returns them to the page they asked for. */
export async function requireUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(loginPath((await headers()).get(REQUESTED_PATH_HEADER)));
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
  if (!user) return unauthorized('Sign in first');
  if (!isAdmin(user)) return forbiddenResponse('Admins only');
  return user;
}
