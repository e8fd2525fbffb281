import type { Metadata } from 'next';
import { LocalTime } from '@/app/_components/local-time';
import { listAccountsWithCounts } from '@/lib/db/queries/admin';
import { listLiveSessions } from '@/lib/db/queries/sessions';
import { listUsers } from '@/lib/db/queries/users';
import { requireStaff } from '@/lib/auth/session';
import { sessionPolicy } from '@/lib/auth/sessions';
import { getDb } from '@/lib/db';
import { env } from '@/lib/env';
import { AssignForm } from './assign-form';
import { RevokeForm } from './revoke-form';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaff();
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw)?.trim().toLowerCase() ?? '';
  const db = getDb();
  const [userRows, accountRows, liveSessions] = await Promise.all([
    listUsers(db),
    listAccountsWithCounts(db),
    listLiveSessions(db, sessionPolicy(env())),
  ]);
  const sessionsByUser = new Map<number, typeof liveSessions>();
  for (const s of liveSessions) sessionsByUser.set(s.userId, [...(sessionsByUser.get(s.userId) ?? []), s]);
  const accounts = accountRows.map((a) => ({ id: a.id, name: a.name }));
  const accountName = new Map(accounts.map((a) => [a.id, a.name]));
  const shown = q
    ? userRows.filter((u) => `${u.username} ${u.displayName ?? ''} ${u.accountId !== null ? (accountName.get(u.accountId) ?? '') : ''}`.toLowerCase().includes(q))
    : userRows;
  return (
    <>
      <h1>Users</h1>
      <p className="muted">Users appear here after their first login. Staff membership comes from the directory group.</p>
      <form method="get" action="/admin/users" className="filters" aria-label="Search users">
        <label>
          Search
          <input name="q" defaultValue={q} placeholder="Login, name or account" />
        </label>
        <div className="form-actions">
          <button type="submit">Search</button>
        </div>
      </form>
      <div className="table-wrap">
        <table>
          <thead>
            <tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">Account</th><th scope="col">Last login</th><th scope="col">Sessions</th></tr>
          </thead>
          <tbody>
            {shown.map((u) => (
              <tr key={u.id}>
                <td>{u.username}<div className="muted">{u.displayName}</div></td>
                <td>{u.isStaff ? 'Staff' : 'Customer'}</td>
                <td>
                  <AssignForm userId={u.id} current={u.accountSource === 'staff' ? u.accountId : null} accounts={accounts} />
                  <div className="muted">{u.accountSource === 'directory' ? 'Linked by the directory' : u.accountSource === 'staff' ? 'Assigned by staff' : 'No account'}</div>
                </td>
                <td>{u.lastLoginAt ? <LocalTime at={u.lastLoginAt} /> : '—'}</td>
                <td>
                  <ul>
                    {(sessionsByUser.get(u.id) ?? []).map((s) => (
                      <li key={s.id} className="muted">
                        {s.ip ?? 'unknown address'}, {s.userAgent?.slice(0, 60) ?? 'unknown browser'}: since <LocalTime at={s.createdAt} />, seen{' '}
                        <LocalTime at={s.lastSeenAt} />
                      </li>
                    ))}
                  </ul>
                  <RevokeForm userId={u.id} username={u.username} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
