import Link from 'next/link';
import { requireAdmin } from '@/lib/session';
import { listTeams } from '@/lib/data/teams';
import { parsePage } from '@/lib/pagination';
import { cell } from '@/components/admin/data-table';
import { RecordList } from '@/components/admin/record-list';
import { RowActions } from '@/components/admin/row-actions';

export const metadata = { title: 'Teams · FlowForge admin' };

const NOTICES = { deleted: 'Team deleted, with its projects and memberships.' };

const LIST = { title: 'Teams', noun: 'team', notices: NOTICES, headers: ['Name', 'Slug', 'Members', 'Projects', ''] };

export default async function TeamsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdmin();
  const params = await searchParams;
  const list = await listTeams(parsePage(params.page));
  return (
    <RecordList {...LIST} notice={params.notice} list={list}>
      {list.rows.map((team) => (
        <tr key={team.id} data-row={team.slug}>
          <td className={cell}>
            <Link href={`/admin/teams/${team.id}`} className="text-blue-700 hover:underline">
              {team.name}
            </Link>
          </td>
          <td className={cell}>{team.slug}</td>
          <td className={cell}>{team._count.members}</td>
          <td className={cell}>{team._count.projects}</td>
          <RowActions href={`/admin/teams/${team.id}`} name={team.slug} />
        </tr>
      ))}
    </RecordList>
  );
}
