import Link from 'next/link';
import { requireAdmin } from '@/lib/session';
import { listProjects } from '@/lib/data/projects';
import { getTeamBySlug } from '@/lib/data/teams';
import { parsePage } from '@/lib/pagination';
import { Pagination } from '@/components/admin/pagination';
import { Notice } from '@/components/admin/notice';
import { PageHeader } from '@/components/admin/page-header';
import { DataTable, cell } from '@/components/admin/data-table';
import { UtcTime } from '@/components/ui/utc-time';

export const metadata = { title: 'Projects · FlowForge admin' };

const NOTICES = { created: 'Project created.', updated: 'Project saved.', deleted: 'Project deleted.' };

export default async function ProjectsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdmin();
  const params = await searchParams;
  // ?team=slug shows one team's projects (linked from the team page).
  const team = typeof params.team === 'string' ? await getTeamBySlug(params.team) : null;
  const { rows, total, page, pageCount } = await listProjects(parsePage(params.page), { teamId: team?.id });
  return (
    <>
      <PageHeader title={team ? `Projects of ${team.name}` : 'Projects'} action={{ href: '/admin/projects/new', label: 'New project' }} />
      {team && <p className="-mt-4 mb-4 text-sm"><Link href="/admin/projects" className="text-blue-700 underline">Show all projects</Link></p>}
      <Notice code={params.notice} messages={NOTICES} />
      <DataTable headers={['Name', 'Team', 'Created', '']} empty={rows.length === 0 && 'No projects on this page.'}>
        {rows.map((project) => (
          <tr key={project.id} data-row={project.name}>
            <td className={cell}>{project.name}</td>
            <td className={cell}><Link href={`/admin/teams/${project.teamId}`} className="text-blue-700 hover:underline">{project.team.name}</Link></td>
            <td className={cell}><UtcTime value={project.createdAt} precision="day" /></td>
            <td className={`${cell} space-x-3 text-right`}>
              <Link href={`/admin/projects/${project.id}`} className="text-blue-700 hover:underline" aria-label={`Edit ${project.name}`}>Edit</Link>
              <Link href={`/admin/projects/${project.id}/delete`} className="text-red-700 hover:underline" aria-label={`Delete ${project.name}`}>Delete</Link>
            </td>
          </tr>
        ))}
      </DataTable>
      <Pagination basePath="/admin/projects" total={total} page={page} pageCount={pageCount} noun="project" query={team ? { team: team.slug } : {}} />
    </>
  );
}
