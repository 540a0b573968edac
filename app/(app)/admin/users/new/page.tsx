import { requireAdmin } from '@/lib/session';
import { PageHeader } from '@/components/admin/page-header';
import { createUserAction } from '../actions';
import { UserForm } from '../user-form';

export const metadata = { title: 'New user · FlowForge admin' };

export default async function NewUserPage() {
  await requireAdmin();
  return (
    <>
      <PageHeader title="New user" back={{ href: '/admin/users', label: 'Users' }} />
      <UserForm action={createUserAction} mode="create" />
    </>
  );
}
