import { requireAdmin } from '@/lib/session';
import { PageHeader } from '@/components/admin/page-header';
import { createTeamAction } from '../actions';
import { TeamForm } from '../team-form';

export const metadata = { title: 'New team · FlowForge admin' };

export default async function NewTeamPage() {
  await requireAdmin();
  return (
    <>
      <PageHeader title="New team" back={{ href: '/admin/teams', label: 'Teams' }} />
      <TeamForm action={createTeamAction} mode="create" />
    </>
  );
}
