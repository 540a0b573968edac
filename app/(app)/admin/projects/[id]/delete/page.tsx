import { adminRecord } from '@/lib/admin-page';
import { getProject } from '@/lib/data/projects';
import { ConfirmDelete } from '@/components/admin/confirm-delete';
import { deleteProjectAction } from '../../actions';

export const metadata = { title: 'Delete project · FlowForge admin' };

const LIST = { href: '/admin/projects', label: 'Projects' };

export default async function DeleteProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { record: project } = await adminRecord(params, getProject);
  return (
    <ConfirmDelete noun="project" name={project.name} back={LIST} action={deleteProjectAction} id={project.id}>
      <p>The project is removed from team {project.team.name}. This cannot be undone.</p>
    </ConfirmDelete>
  );
}
