import { notFound } from 'next/navigation';
import { requireAdmin } from '@/lib/session';
import { canDeleteUser } from '@/lib/permissions';
import { getUser } from '@/lib/data/users';
import { PageHeader } from '@/components/admin/page-header';
import { ConfirmDelete } from '@/components/admin/confirm-delete';
import { deleteUserAction } from '../../actions';

export const metadata = { title: 'Delete user · FlowForge admin' };

export default async function DeleteUserPage({ params }: { params: Promise<{ id: string }> }) {
  const admin = await requireAdmin();
  const { id } = await params;
  const user = await getUser(id);
  if (!user) notFound();
  return (
    <>
      <PageHeader title="Delete user" back={{ href: '/admin/users', label: 'Users' }} />
      <ConfirmDelete
        title={`Delete ${user.email}?`}
        action={deleteUserAction}
        id={user.id}
        cancelHref="/admin/users"
        confirmLabel="Delete user"
        blocked={canDeleteUser(admin, user) ? undefined : 'You cannot delete your own account. Ask another admin to do it.'}
      >
        <p>{user.name} will no longer be able to sign in, and is removed from every team. This cannot be undone.</p>
      </ConfirmDelete>
    </>
  );
}
