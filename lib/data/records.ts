// The write shapes the admin records (users, teams, projects) share: an update
// audited only when its description changed, a delete found, removed and audited
// in one transaction, and a unique-index refusal turned into the error of its field.
import 'server-only';
import type { Db, Tx } from '../db';
import { recordAudit, type AuditEvent } from './audit';
import { FieldError, namesNoRecord, NotFoundError } from './errors';
import { isNotFound, isUniqueViolation } from './prisma-errors';

type ChangeEvent = Extract<AuditEvent, { oldValue: string; newValue: string }>['event'];

/** Audits an update in the terms of `describe`; one that leaves the description as it was writes no entry. */
export async function auditChange<T>(
  actor: string,
  event: ChangeEvent,
  describe: (row: T) => string,
  [before, after]: [T, T],
  tx: Tx,
): Promise<void> {
  const [oldValue, newValue] = [describe(before), describe(after)];
  if (oldValue !== newValue) await recordAudit(actor, { event, oldValue, newValue }, tx);
}

/**
 * What a failed create or update means to its form: a unique index refusing `field`
 * is that field's error, a record gone meanwhile (`missing`) a NotFoundError.
 */
export function writeError(error: unknown, field: string, inUse: string, missing?: string): unknown {
  if (isUniqueViolation(error)) return new FieldError(field, inUse);
  if (missing && isNotFound(error)) return new NotFoundError(missing);
  return error;
}

/**
 * Deletes a record and writes the audit entry `remove` returns for it, in one transaction;
 * a record that is not there (a malformed id included) is NotFoundError(`missing`).
 */
export async function deleteAudited(
  id: string,
  missing: string,
  actor: string,
  client: Db,
  remove: (tx: Tx) => Promise<AuditEvent>,
): Promise<void> {
  if (namesNoRecord(id)) throw new NotFoundError(missing);
  try {
    await client.$transaction(async (tx) => recordAudit(actor, await remove(tx), tx));
  } catch (error) {
    throw isNotFound(error) ? new NotFoundError(missing) : error;
  }
}
