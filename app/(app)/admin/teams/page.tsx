import Link from 'next/link';
import { requireAdmin } from '@/lib/session';
import { listTeams } from '@/lib/data/teams';
import { parsePage } from '@/lib/pagination';
import { Pagination } from '@/components/admin/pagination';
import { Notice } from '@/components/admin/notice';
import { PageHeader } from '@/components/admin/page-header';
import { DataTable, cell } from '@/components/admin/data-table';

export const metadata = { title: 'Teams · FlowForge admin' };

const NOTICES = { deleted: 'Team deleted, with its projects and memberships.' };

export default async function TeamsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const params = await searchParams;
  const { rows, total, page, pageCount } = await listTeams(parsePage(params.page));
  return (
    <>
      <PageHeader title="Teams" action={{ href: '/admin/teams/new', label: 'New team' }} />
      <Notice code={params.notice} messages={NOTICES} />
      <DataTable headers={['Name', 'Slug', 'Members', 'Projects', '']} empty={rows.length === 0 && 'No teams on this page.'}>
        {rows.map((team) => (
          <tr key={team.id} data-row={team.slug}>
            <td className={cell}><Link href={`/admin/teams/${team.id}`} className="text-blue-700 hover:underline">{team.name}</Link></td>
            <td className={cell}>{team.slug}</td>
            <td className={cell}>{team._count.members}</td>
            <td className={cell}>{team._count.projects}</td>
            <td className={`${cell} space-x-3 text-right`}>
              <Link href={`/admin/teams/${team.id}`} className="text-blue-700 hover:underline" aria-label={`Edit ${team.slug}`}>Edit</Link>
              <Link href={`/admin/teams/${team.id}/delete`} className="text-red-700 hover:underline" aria-label={`Delete ${team.slug}`}>Delete</Link>
            </td>
          </tr>
        ))}
      </DataTable>
      <Pagination basePath="/admin/teams" total={total} page={page} pageCount={pageCount} noun="team" />
    </>
  );
}
