import { adminRecord } from '@/lib/admin-page';
import { getUser } from '@/lib/data/users';
import { countLiveSessions } from '@/lib/data/sessions';
import { getAccountSignInLimits } from '@/lib/data/sign-in-limits';
import { PageHeader } from '@/components/admin/page-header';
import { DeleteLink } from '@/components/admin/row-actions';
import { Notice } from '@/components/admin/notice';
import { UserAccess } from '@/components/admin/user-access';
import { clearSignInLimitsAction, endSessionsAction, updateUserAction } from '../actions';
import { UserForm } from '../user-form';

export const metadata = { title: 'Edit user · FlowForge admin' };

const NOTICES = { 'sessions-ended': 'All sessions of this user ended.', 'limits-cleared': 'Sign-in limits cleared.' };

export default async function EditUserPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { admin, record: user } = await adminRecord(params, getUser);
  const isSelf = user.id === admin.id;
  const [liveSessions, limits] = await Promise.all([countLiveSessions(user.id), getAccountSignInLimits(user.email)]);
  return (
    <>
      <PageHeader title={`Edit ${user.email}`} back={{ href: '/admin/users', label: 'Users' }} />
      <Notice code={(await searchParams).notice} messages={NOTICES} />
      <UserForm
        action={updateUserAction.bind(null, user.id)}
        mode="edit"
        initial={{ email: user.email, name: user.name, role: user.role }}
        isSelf={isSelf}
      />
      <UserAccess
        userId={user.id}
        isSelf={isSelf}
        liveSessions={liveSessions}
        limits={limits}
        endSessions={endSessionsAction}
        clearLimits={clearSignInLimitsAction}
      />
      {!isSelf && <DeleteLink href={`/admin/users/${user.id}`} noun="user" />}
    </>
  );
}
