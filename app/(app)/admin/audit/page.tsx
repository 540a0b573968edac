import Link from 'next/link';
import { requireAdmin } from '@/lib/session';
import { formatAuditCursor, listAuditPage, parseAuditCursor } from '@/lib/data/audit';
import { Card } from '@/components/ui/card';
import { describeAuditChange, describeAuditEvent } from '@/lib/audit-format';
import { UtcTime } from '@/components/ui/utc-time';
import { DataTable, insetCell, insetRow } from '@/components/admin/data-table';
import { PageHeader } from '@/components/admin/page-header';

export const metadata = { title: 'Audit log · FlowForge admin' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requireAdmin();
  const params = await searchParams;
  const before = parseAuditCursor(one(params.before));
  const after = before ? undefined : parseAuditCursor(one(params.after));
  const badLink =
    (one(params.before) !== undefined && !before) || (one(params.after) !== undefined && !before && !after);
  const { rows, newer, older } = await listAuditPage({ before, after });
  return (
    <>
      <PageHeader title="Audit log">
        Changes made on this platform (settings, users, teams, projects), newest first: who made each, the old and new
        value, and when.
      </PageHeader>
      {badLink && (
        <p
          role="alert"
          className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          That page link is not valid; showing the newest entries.
        </p>
      )}
      <Card>
        {rows.length === 0 ? (
          <p className="text-sm text-slate-600">No entries {before || after ? 'on this page' : 'yet'}.</p>
        ) : (
          <DataTable inset testId="audit-table" headers={['Time (UTC)', 'Who', 'Event', 'Change']}>
            {rows.map((row) => (
              <tr key={row.id} className={insetRow} data-testid="audit-row">
                <td className={`${insetCell()} whitespace-nowrap`}>
                  <UtcTime value={row.createdAt} />
                </td>
                <td className={insetCell()}>{row.actor}</td>
                <td className={insetCell()}>
                  {describeAuditEvent(row.event)}
                  <div className="font-mono text-xs text-slate-500">{row.event}</div>
                </td>
                <td className={insetCell()}>{describeAuditChange(row)}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <nav className="mt-4 flex gap-4 text-sm" aria-label="Audit log pages">
          {(before || after) && (
            <Link href="/admin/audit" className="text-blue-700 hover:underline">
              Newest
            </Link>
          )}
          {newer && (
            <Link href={`/admin/audit?after=${formatAuditCursor(newer)}`} className="text-blue-700 hover:underline">
              ← Newer entries
            </Link>
          )}
          {older && (
            <Link href={`/admin/audit?before=${formatAuditCursor(older)}`} className="text-blue-700 hover:underline">
              Older entries →
            </Link>
          )}
        </nav>
      </Card>
    </>
  );
}
