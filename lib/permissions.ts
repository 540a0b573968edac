// Who may do what: small pure functions, tested without a database.
import type { Role } from './validation';

export interface Actor {
  id: string;
  role: Role | string;
}

export const isAdmin = (actor: Actor | null | undefined): boolean => actor?.role === 'admin';

/** Admins manage users, but nobody deletes their own account (it could leave no admin). */
export function canDeleteUser(actor: Actor, target: { id: string }): boolean {
  return isAdmin(actor) && actor.id !== target.id;
}

/** Nobody demotes themselves: the last admin would lock everyone out. */
export function canChangeRole(actor: Actor, target: { id: string }, newRole: string): boolean {
  if (!isAdmin(actor)) return false;
  return !(actor.id === target.id && newRole !== 'admin');
}
