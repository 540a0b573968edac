import { adminRecord } from '@/lib/admin-page';
import { getProject } from '@/lib/data/projects';
import { PageHeader } from '@/components/admin/page-header';
import { DeleteLink } from '@/components/admin/row-actions';
import { updateProjectAction } from '../actions';
import { ProjectForm } from '../project-form';
import { teamChoices } from '../team-choices';

export const metadata = { title: 'Edit project · FlowForge admin' };

export default async function EditProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { record: project } = await adminRecord(params, getProject);
  return (
    <>
      <PageHeader title={`Edit ${project.name}`} back={{ href: '/admin/projects', label: 'Projects' }} />
      <ProjectForm
        action={updateProjectAction.bind(null, project.id)}
        mode="edit"
        teams={await teamChoices()}
        initial={{ name: project.name, team: project.team.slug }}
      />
      <DeleteLink href={`/admin/projects/${project.id}`} noun="project" />
    </>
  );
}
