import 'server-only';
import { db, type Db } from '../db';

export interface AuditEntry {
  actor: string;
  event: string;
  oldValue?: string | null;
  newValue?: string | null;
}

export async function recordAudit(entry: AuditEntry, client: Db = db): Promise<void> {
  await client.auditLog.create({ data: { ...entry, oldValue: entry.oldValue ?? null, newValue: entry.newValue ?? null } });
}

export async function listAudit({ page = 1, pageSize = 50 } = {}, client: Db = db) {
  const [total, rows] = await Promise.all([
    client.auditLog.count(),
    client.auditLog.findMany({ orderBy: { createdAt: 'desc' }, skip: (page - 1) * pageSize, take: pageSize }),
  ]);
  return { total, rows, page, pageSize };
}
