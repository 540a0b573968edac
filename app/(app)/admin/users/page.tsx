import Link from 'next/link';
import { requireAdmin } from '@/lib/session';
import { listUsers } from '@/lib/data/users';
import { parsePage } from '@/lib/pagination';
import { Pagination } from '@/components/admin/pagination';
import { Notice } from '@/components/admin/notice';
import { PageHeader } from '@/components/admin/page-header';
import { DataTable, cell } from '@/components/admin/data-table';
import { UtcTime } from '@/components/ui/utc-time';

export const metadata = { title: 'Users · FlowForge admin' };

const NOTICES = { created: 'User created.', updated: 'User saved.', deleted: 'User deleted.' };

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requireAdmin();
  const params = await searchParams;
  const { rows, total, page, pageCount } = await listUsers(parsePage(params.page));
  return (
    <>
      <PageHeader title="Users" action={{ href: '/admin/users/new', label: 'New user' }} />
      <Notice code={params.notice} messages={NOTICES} />
      <DataTable headers={['Email', 'Name', 'Role', 'Created', '']} empty={rows.length === 0 && 'No users on this page.'}>
        {rows.map((user) => (
          <tr key={user.id} data-row={user.email}>
            <td className={cell}>{user.email}</td>
            <td className={cell}>{user.name}</td>
            <td className={cell}>{user.role}</td>
            <td className={cell}><UtcTime value={user.createdAt} precision="day" /></td>
            <td className={`${cell} space-x-3 text-right`}>
              <Link href={`/admin/users/${user.id}`} className="text-blue-700 hover:underline" aria-label={`Edit ${user.email}`}>Edit</Link>
              {user.id !== admin.id && (
                <Link href={`/admin/users/${user.id}/delete`} className="text-red-700 hover:underline" aria-label={`Delete ${user.email}`}>Delete</Link>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      <Pagination basePath="/admin/users" total={total} page={page} pageCount={pageCount} noun="user" />
    </>
  );
}
