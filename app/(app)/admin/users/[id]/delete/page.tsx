import { adminRecord } from '@/lib/admin-page';
import { canDeleteUser } from '@/lib/permissions';
import { getUser } from '@/lib/data/users';
import { ConfirmDelete } from '@/components/admin/confirm-delete';
import { deleteUserAction } from '../../actions';

export const metadata = { title: 'Delete user · FlowForge admin' };

const LIST = { href: '/admin/users', label: 'Users' };
const OWN_ACCOUNT = 'You cannot delete your own account. Ask another admin to do it.';

export default async function DeleteUserPage({ params }: { params: Promise<{ id: string }> }) {
  const { admin, record: user } = await adminRecord(params, getUser);
  const blocked = canDeleteUser(admin, user) ? undefined : OWN_ACCOUNT;
  return (
    <ConfirmDelete noun="user" name={user.email} back={LIST} action={deleteUserAction} id={user.id} blocked={blocked}>
      <p>{user.name} will no longer be able to sign in, and is removed from every team. This cannot be undone.</p>
    </ConfirmDelete>
  );
}
