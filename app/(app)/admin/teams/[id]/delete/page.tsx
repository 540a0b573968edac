import { notFound } from 'next/navigation';
import { requireAdmin } from '@/lib/session';
import { countTeamContents, getTeam } from '@/lib/data/teams';
import { PageHeader } from '@/components/admin/page-header';
import { ConfirmDelete } from '@/components/admin/confirm-delete';
import { plural } from '@/lib/pagination';
import { deleteTeamAction } from '../../actions';

export const metadata = { title: 'Delete team · FlowForge admin' };

export default async function DeleteTeamPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const { id } = await params;
  const team = await getTeam(id);
  if (!team) notFound();
  const { members, projects } = await countTeamContents(team.id);
  return (
    <>
      <PageHeader title="Delete team" back={{ href: `/admin/teams/${team.id}`, label: team.name }} />
      <ConfirmDelete title={`Delete ${team.name} (${team.slug})?`} action={deleteTeamAction} id={team.id} cancelHref={`/admin/teams/${team.id}`} confirmLabel="Delete team">
        <p>
          This also deletes its {plural(projects, 'project')} and removes its {plural(members, 'member')} from the team (their user accounts stay).
          This cannot be undone.
        </p>
      </ConfirmDelete>
    </>
  );
}
