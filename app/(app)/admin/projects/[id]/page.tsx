import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireAdmin } from '@/lib/session';
import { getProject } from '@/lib/data/projects';
import { PageHeader } from '@/components/admin/page-header';
import { updateProjectAction } from '../actions';
import { ProjectForm } from '../project-form';
import { teamChoices } from '../team-choices';

export const metadata = { title: 'Edit project · FlowForge admin' };

export default async function EditProjectPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const { id } = await params;
  const project = await getProject(id);
  if (!project) notFound();
  return (
    <>
      <PageHeader title={`Edit ${project.name}`} back={{ href: '/admin/projects', label: 'Projects' }} />
      <ProjectForm action={updateProjectAction.bind(null, project.id)} mode="edit" teams={await teamChoices()} initial={{ name: project.name, team: project.team.slug }} />
      <p className="mt-6 text-sm">
        <Link href={`/admin/projects/${project.id}/delete`} className="text-red-700 underline">Delete this project…</Link>
      </p>
    </>
  );
}
