import { requireAdmin } from '@/lib/session';
import { PageHeader } from '@/components/admin/page-header';
import { createProjectAction } from '../actions';
import { ProjectForm } from '../project-form';
import { teamChoices } from '../team-choices';

export const metadata = { title: 'New project · FlowForge admin' };

export default async function NewProjectPage({ searchParams }: { searchParams: Promise<{ team?: string }> }) {
  await requireAdmin();
  const { team } = await searchParams;
  return (
    <>
      <PageHeader title="New project" back={{ href: '/admin/projects', label: 'Projects' }} />
      <ProjectForm
        action={createProjectAction}
        mode="create"
        teams={await teamChoices()}
        initial={{ name: '', team: team ?? '' }}
      />
    </>
  );
}
