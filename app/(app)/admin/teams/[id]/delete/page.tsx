import { adminRecord } from '@/lib/admin-page';
import { countTeamContents, getTeam } from '@/lib/data/teams';
import { ConfirmDelete } from '@/components/admin/confirm-delete';
import { plural } from '@/lib/pagination';
import { deleteTeamAction } from '../../actions';

export const metadata = { title: 'Delete team · FlowForge admin' };

export default async function DeleteTeamPage({ params }: { params: Promise<{ id: string }> }) {
  const { record: team } = await adminRecord(params, getTeam);
  const { members, projects } = await countTeamContents(team.id);
  const back = { href: `/admin/teams/${team.id}`, label: team.name };
  return (
    <ConfirmDelete noun="team" name={`${team.name} (${team.slug})`} back={back} action={deleteTeamAction} id={team.id}>
      <p>
        This also deletes its {plural(projects, 'project')} and removes its {plural(members, 'member')} from the team
        (their user accounts stay). This cannot be undone.
      </p>
    </ConfirmDelete>
  );
}
