import Link from 'next/link';
import { adminRecord } from '@/lib/admin-page';
import { getTeam, listTeamMembers } from '@/lib/data/teams';
import { listUserChoices } from '@/lib/data/users';
import { parsePage, pickerChoices } from '@/lib/pagination';
import { Pagination } from '@/components/admin/pagination';
import { Notice } from '@/components/admin/notice';
import { PageHeader } from '@/components/admin/page-header';
import { DataTable, cell } from '@/components/admin/data-table';
import { Card } from '@/components/ui/card';
import { Button } from '@/components/ui/button';
import { addMemberAction, removeMemberAction, updateTeamAction } from '../actions';
import { TeamForm } from '../team-form';
import { AddMemberForm } from '../member-form';

export const metadata = { title: 'Team · FlowForge admin' };

const NOTICES = {
  created: 'Team created. Add its members below.',
  updated: 'Team saved.',
  'member-added': 'Member added.',
  'member-removed': 'Member removed.',
};

export default async function TeamPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ record: team }, query] = await Promise.all([adminRecord(params, getTeam), searchParams]);
  const [members, choices] = await Promise.all([
    listTeamMembers(team.id, parsePage(query.page)),
    pickerChoices(listUserChoices, (u) => ({ value: u.email, label: `${u.name} <${u.email}>` })),
  ]);
  return (
    <>
      <PageHeader title={team.name} back={{ href: '/admin/teams', label: 'Teams' }} />
      <Notice code={query.notice} messages={NOTICES} />
      <div className="space-y-8">
        <TeamForm
          action={updateTeamAction.bind(null, team.id)}
          mode="edit"
          initial={{ name: team.name, slug: team.slug }}
        />

        <Card title="Members">
          <DataTable
            headers={['Email', 'Name', 'Team role', '']}
            empty={members.rows.length === 0 && 'No members yet.'}
          >
            {members.rows.map((m) => (
              <tr key={m.userId} data-row={m.user.email}>
                <td className={cell}>{m.user.email}</td>
                <td className={cell}>{m.user.name}</td>
                <td className={cell}>{m.role}</td>
                <td className={`${cell} text-right`}>
                  <form action={removeMemberAction}>
                    <input type="hidden" name="teamId" value={team.id} />
                    <input type="hidden" name="userId" value={m.userId} />
                    <Button type="submit" variant="secondary" aria-label={`Remove ${m.user.email}`}>
                      Remove
                    </Button>
                  </form>
                </td>
              </tr>
            ))}
          </DataTable>
          <Pagination
            basePath={`/admin/teams/${team.id}`}
            total={members.total}
            page={members.page}
            pageCount={members.pageCount}
            noun="member"
          />
          <h3 className="mb-3 mt-6 font-medium">Add a member</h3>
          <AddMemberForm action={addMemberAction.bind(null, team.id)} users={choices} />
        </Card>

        <p className="text-sm">
          <Link href={`/admin/projects?team=${team.slug}`} className="text-blue-700 underline">
            Projects
          </Link>
          {' · '}
          <Link href={`/admin/teams/${team.id}/delete`} className="text-red-700 underline">
            Delete this team…
          </Link>
        </p>
      </div>
    </>
  );
}
