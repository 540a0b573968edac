import Link from 'next/link';
import { requireAdmin } from '@/lib/session';
import { listProjects } from '@/lib/data/projects';
import { getTeamBySlug } from '@/lib/data/teams';
import { parsePage } from '@/lib/pagination';
import { cell } from '@/components/admin/data-table';
import { RecordList } from '@/components/admin/record-list';
import { RowActions } from '@/components/admin/row-actions';
import { UtcTime } from '@/components/ui/utc-time';

export const metadata = { title: 'Projects · FlowForge admin' };

const NOTICES = { created: 'Project created.', updated: 'Project saved.', deleted: 'Project deleted.' };

export default async function ProjectsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdmin();
  const params = await searchParams;
  // ?team=slug shows one team's projects (linked from the team page).
  const team = typeof params.team === 'string' ? await getTeamBySlug(params.team) : null;
  const list = await listProjects(parsePage(params.page), { teamId: team?.id });
  return (
    <RecordList
      title={team ? `Projects of ${team.name}` : 'Projects'}
      noun="project"
      notice={params.notice}
      notices={NOTICES}
      headers={['Name', 'Team', 'Created', '']}
      list={list}
      query={team ? { team: team.slug } : {}}
      intro={
        team && (
          <p className="-mt-4 mb-4 text-sm">
            <Link href="/admin/projects" className="text-blue-700 underline">
              Show all projects
            </Link>
          </p>
        )
      }
    >
      {list.rows.map((project) => (
        <tr key={project.id} data-row={project.name}>
          <td className={cell}>{project.name}</td>
          <td className={cell}>
            <Link href={`/admin/teams/${project.teamId}`} className="text-blue-700 hover:underline">
              {project.team.name}
            </Link>
          </td>
          <td className={cell}>
            <UtcTime value={project.createdAt} precision="day" />
          </td>
          <RowActions href={`/admin/projects/${project.id}`} name={project.name} />
        </tr>
      ))}
    </RecordList>
  );
}
