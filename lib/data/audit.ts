// The audit log: who changed what, from which value to which, and when.
// Pages are read newest first with keyset pagination on (createdAt, id), so
// page 1000 costs what page 1 costs (the index seeks, nothing is skipped or
// counted).
import 'server-only';
import { db, type Db, type Tx } from '../db';
import type { TELEMETRY_AUDIT_EVENT } from '../telemetry/setting';

// The shapes of an entry's values: a creation keeps only the new value, a
// deletion only the old one, a change both.
type Created<Name extends string> = { event: Name; oldValue?: never; newValue: string };
type Changed<Name extends string> = { event: Name; oldValue: string; newValue: string };
type Removed<Name extends string> = { event: Name; oldValue: string; newValue?: never };

/**
 * Every event the audit log holds, with the shape of its values. Adding one
 * here is a type error until lib/audit-format.ts gives it a label.
 */
export type AuditEvent =
  | Created<'setup.completed'> // the first admin's email
  // The stored value, 'true' or 'false'; null: never set (the default applied).
  | { event: typeof TELEMETRY_AUDIT_EVENT; oldValue: 'true' | 'false' | null; newValue: 'true' | 'false' }
  | Created<'user.created'> // "email (role)"
  | Changed<'user.updated'> // "email (role)"
  | Created<'user.password.changed'> // the user's email; never the password or its hash
  | Removed<'user.deleted'> // "email (role)"
  | Created<'user.sessions.ended'> // "email (N ended)": an admin ended all of the user's sessions
  | Created<'user.signin-limits.cleared'> // the account's email: an admin cleared its sign-in limits
  | Created<'team.created'> // the slug
  | Changed<'team.updated'> // "name (slug)"
  | Removed<'team.deleted'> // the slug
  | Created<'team.member.added'> // "email in slug (role)"
  | Removed<'team.member.removed'> // "email in slug (role)"
  | Created<'project.created'> // "name in team-slug"
  | Changed<'project.updated'> // "name in team-slug"
  | Removed<'project.deleted'>; // "name in team-slug"

export type AuditEventName = AuditEvent['event'];

/**
 * Writes one audit entry. Call it with the transaction of the change it
 * records, so the entry exists exactly when the change does.
 */
export async function recordAudit(actor: string, entry: AuditEvent, client: Db | Tx = db): Promise<void> {
  await client.auditLog.create({
    data: { actor, event: entry.event, oldValue: entry.oldValue ?? null, newValue: entry.newValue ?? null },
  });
}

/** A position between two entries: the createdAt and id of the entry next to it. */
export interface AuditCursor {
  createdAt: Date;
  id: string;
}

export interface AuditPageRequest {
  /** Entries older than this one (the "Older" link); absent: the newest page. */
  before?: AuditCursor;
  /** Entries newer than this one (the "Newer" link). */
  after?: AuditCursor;
  pageSize?: number;
}

export const AUDIT_PAGE_SIZE = 25;

export async function listAuditPage(
  { before, after, pageSize = AUDIT_PAGE_SIZE }: AuditPageRequest = {},
  client: Db = db,
) {
  const take = pageSize + 1; // one more tells whether another page follows
  let rows;
  let more: boolean;
  if (after) {
    // Walk up from the cursor (oldest first), then show newest first.
    const found = await client.auditLog.findMany({
      where: { createdAt: { gte: after.createdAt }, NOT: { createdAt: after.createdAt, id: { lte: after.id } } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take,
    });
    more = found.length > pageSize;
    rows = found.slice(0, pageSize).reverse();
  } else {
    const found = await client.auditLog.findMany({
      where: before
        ? { createdAt: { lte: before.createdAt }, NOT: { createdAt: before.createdAt, id: { gte: before.id } } }
        : undefined,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
    });
    more = found.length > pageSize;
    rows = found.slice(0, pageSize);
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    rows,
    /** Cursor for the next newer page, or null on the newest page. */
    newer: first && (after ? more : Boolean(before)) ? { createdAt: first.createdAt, id: first.id } : null,
    /** Cursor for the next older page, or null on the oldest page. */
    older: last && (after ? true : more) ? { createdAt: last.createdAt, id: last.id } : null,
  };
}

/** Cursors travel in links as "<ISO time>_<id>". */
export function formatAuditCursor(cursor: AuditCursor): string {
  return `${cursor.createdAt.toISOString()}_${cursor.id}`;
}

export function parseAuditCursor(text: string | undefined): AuditCursor | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_([0-9a-f-]{36})$/i.exec(text ?? '');
  if (!match) return undefined;
  const createdAt = new Date(match[1]);
  return Number.isNaN(createdAt.getTime()) ? undefined : { createdAt, id: match[2] };
}
