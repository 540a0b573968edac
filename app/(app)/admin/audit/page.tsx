import Link from 'next/link';
import { requireAdmin } from '@/lib/session';
import { formatAuditCursor, listAuditPage, parseAuditCursor } from '@/lib/data/audit';
import { Card } from '@/components/ui/card';
import { describeAuditChange, describeAuditEvent } from '@/lib/audit-format';
import { UtcTime } from '@/components/ui/utc-time';

export const metadata = { title: 'Audit log · FlowForge admin' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requireAdmin();
  const params = await searchParams;
  const before = parseAuditCursor(one(params.before));
  const after = before ? undefined : parseAuditCursor(one(params.after));
  const badLink = (one(params.before) !== undefined && !before) || (one(params.after) !== undefined && !before && !after);
  const { rows, newer, older } = await listAuditPage({ before, after });
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold">Audit log</h1>
      <p className="mb-6 text-sm text-slate-600">Changes made on this platform (settings, users, teams, projects), newest first: who made each, the old and new value, and when.</p>
      {badLink && (
        <p role="alert" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          That page link is not valid; showing the newest entries.
        </p>
      )}
      <Card>
        {rows.length === 0 ? (
          <p className="text-sm text-slate-600">No entries {before || after ? 'on this page' : 'yet'}.</p>
        ) : (
          // Scrolls on its own on a narrow screen instead of widening the whole page.
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="audit-table">
              <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2 pr-4">Time (UTC)</th>
                  <th className="py-2 pr-4">Who</th>
                  <th className="py-2 pr-4">Event</th>
                  <th className="py-2">Change</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id} className="border-b border-slate-100 align-top" data-testid="audit-row">
                    <td className="py-2 pr-4 whitespace-nowrap">
                      <UtcTime value={row.createdAt} />
                    </td>
                    <td className="py-2 pr-4">{row.actor}</td>
                    <td className="py-2 pr-4">
                      {describeAuditEvent(row.event)}
                      <div className="font-mono text-xs text-slate-500">{row.event}</div>
                    </td>
                    <td className="py-2">
                      {describeAuditChange(row)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav className="mt-4 flex gap-4 text-sm" aria-label="Audit log pages">
          {(before || after) && <Link href="/admin/audit" className="text-blue-700 hover:underline">Newest</Link>}
          {newer && <Link href={`/admin/audit?after=${formatAuditCursor(newer)}`} className="text-blue-700 hover:underline">← Newer entries</Link>}
          {older && <Link href={`/admin/audit?before=${formatAuditCursor(older)}`} className="text-blue-700 hover:underline">Older entries →</Link>}
        </nav>
      </Card>
    </>
  );
}
