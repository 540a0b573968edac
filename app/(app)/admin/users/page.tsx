import { requireAdmin } from '@/lib/session';
import { listUsers } from '@/lib/data/users';
import { parsePage } from '@/lib/pagination';
import { cell } from '@/components/admin/data-table';
import { RecordList } from '@/components/admin/record-list';
import { RowActions } from '@/components/admin/row-actions';
import { UtcTime } from '@/components/ui/utc-time';

export const metadata = { title: 'Users · FlowForge admin' };

const NOTICES = { created: 'User created.', updated: 'User saved.', deleted: 'User deleted.' };

const LIST = { title: 'Users', noun: 'user', notices: NOTICES, headers: ['Email', 'Name', 'Role', 'Created', ''] };

export default async function UsersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const admin = await requireAdmin();
  const params = await searchParams;
  const list = await listUsers(parsePage(params.page));
  return (
    <RecordList {...LIST} notice={params.notice} list={list}>
      {list.rows.map((user) => (
        <tr key={user.id} data-row={user.email}>
          <td className={cell}>{user.email}</td>
          <td className={cell}>{user.name}</td>
          <td className={cell}>{user.role}</td>
          <td className={cell}>
            <UtcTime value={user.createdAt} precision="day" />
          </td>
          <RowActions href={`/admin/users/${user.id}`} name={user.email} canDelete={user.id !== admin.id} />
        </tr>
      ))}
    </RecordList>
  );
}
