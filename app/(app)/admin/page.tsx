import Link from 'next/link';
import { requireAdmin } from '@/lib/session';
import { getPlatformCounts } from '@/lib/data/row-counts';
import { PageHeader } from '@/components/admin/page-header';

export const metadata = { title: 'Overview · FlowForge admin' };

export default async function AdminOverview() {
  await requireAdmin();
  // From the trigger-kept RowCount table: one small read, however many records there are.
  const { users, teams, projects } = await getPlatformCounts();
  const totals = [
    ['Users', users, '/admin/users'],
    ['Teams', teams, '/admin/teams'],
    ['Projects', projects, '/admin/projects'],
  ] as const;
  return (
    <>
      <PageHeader title="Overview" />
      <div className="grid gap-4 sm:grid-cols-3">
        {totals.map(([label, count, href]) => (
          <Link
            key={label}
            href={href}
            className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm hover:border-blue-400"
          >
            <div className="text-sm text-slate-500">{label}</div>
            <div className="mt-1 text-3xl font-semibold" data-testid={`total-${label.toLowerCase()}`}>
              {count}
            </div>
          </Link>
        ))}
      </div>
    </>
  );
}
