import { notFound } from 'next/navigation';
import { requireAdmin } from '@/lib/session';
import { getProject } from '@/lib/data/projects';
import { PageHeader } from '@/components/admin/page-header';
import { ConfirmDelete } from '@/components/admin/confirm-delete';
import { deleteProjectAction } from '../../actions';

export const metadata = { title: 'Delete project · FlowForge admin' };

export default async function DeleteProjectPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const { id } = await params;
  const project = await getProject(id);
  if (!project) notFound();
  return (
    <>
      <PageHeader title="Delete project" back={{ href: '/admin/projects', label: 'Projects' }} />
      <ConfirmDelete title={`Delete ${project.name}?`} action={deleteProjectAction} id={project.id} cancelHref="/admin/projects" confirmLabel="Delete project">
        <p>The project is removed from team {project.team.name}. This cannot be undone.</p>
      </ConfirmDelete>
    </>
  );
}
