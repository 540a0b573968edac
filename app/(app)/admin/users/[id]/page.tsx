import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireAdmin } from '@/lib/session';
import { getUser } from '@/lib/data/users';
import { PageHeader } from '@/components/admin/page-header';
import { updateUserAction } from '../actions';
import { UserForm } from '../user-form';

export const metadata = { title: 'Edit user · FlowForge admin' };

export default async function EditUserPage({ params }: { params: Promise<{ id: string }> }) {
  const admin = await requireAdmin();
  const { id } = await params;
  const user = await getUser(id);
  if (!user) notFound();
  const isSelf = user.id === admin.id;
  return (
    <>
      <PageHeader title={`Edit ${user.email}`} back={{ href: '/admin/users', label: 'Users' }} />
      <UserForm action={updateUserAction.bind(null, user.id)} mode="edit" initial={{ email: user.email, name: user.name, role: user.role }} isSelf={isSelf} />
      {!isSelf && (
        <p className="mt-6 text-sm">
          <Link href={`/admin/users/${user.id}/delete`} className="text-red-700 underline">Delete this user…</Link>
        </p>
      )}
    </>
  );
}
