import type { Metadata } from 'next';
import { LocalTime } from '@/app/_components/local-time';
import { listAccountsWithCounts, listUsers } from '@/lib/admin/queries';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { AssignForm } from './assign-form';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  await requireStaff();
  const db = getDb();
  const [userRows, accountRows] = await Promise.all([listUsers(db), listAccountsWithCounts(db)]);
  const accounts = accountRows.map((a) => ({ id: a.id, name: a.name }));
  return (
    <>
      <h1>Users</h1>
      <p className="muted">Users appear here after their first login. Staff membership comes from the directory group.</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">Account</th><th scope="col">Last login</th></tr>
          </thead>
          <tbody>
            {userRows.map((u) => (
              <tr key={u.id}>
                <td>{u.username}<div className="muted">{u.displayName}</div></td>
                <td>{u.isStaff ? 'Staff' : 'Customer'}</td>
                <td>
                  <AssignForm userId={u.id} current={u.accountSource === 'staff' ? u.accountId : null} accounts={accounts} />
                  <div className="muted">{u.accountSource === 'directory' ? 'Linked by the directory' : u.accountSource === 'staff' ? 'Assigned by staff' : 'No account'}</div>
                </td>
                <td>{u.lastLoginAt ? <LocalTime at={u.lastLoginAt} /> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
