import type { Metadata } from 'next';
import { LocalTime } from '@/app/_components/local-time';
import { listAccountsWithCounts } from '@/lib/db/queries/admin';
import { listLiveSessions } from '@/lib/db/queries/sessions';
import { listUsers } from '@/lib/db/queries/users';
import { requireStaff } from '@/lib/auth/session';
import { sessionPolicy } from '@/lib/auth/sessions';
import { getDb } from '@/lib/db';
import { env } from '@/lib/env';
import { StaffForm } from '@/app/_components/staff-form';
import { lookUpDirectoryUser } from '@/lib/admin/directory-users';
import { getDirectory } from '@/lib/auth/services';
import { firstValue } from '@/lib/vms/params';
import { assignBeforeLoginAction } from './actions';
import { AssignForm } from './assign-form';
import { RevokeForm } from './revoke-form';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaff();
  const params = await searchParams;
  const q = firstValue(params.q)?.trim().toLowerCase() ?? '';
  const lookupName = firstValue(params.lookup)?.trim() ?? '';
  const db = getDb();
  const lookup = lookupName ? await lookUpDirectoryUser(db, getDirectory(), lookupName) : null;
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
      <p className="muted">
        Users appear here after their first login, or when you look them up in the directory below. Staff membership comes from the directory group.
      </p>
      <section aria-labelledby="lookup-heading" className="panel">
        <h2 id="lookup-heading">Find a directory user</h2>
        <form method="get" action="/admin/users" className="filters" aria-label="Look up in the directory">
          <label>
            Username in the directory
            <input name="lookup" defaultValue={lookupName} maxLength={64} required />
          </label>
          <div className="form-actions">
            <button type="submit">Look up</button>
          </div>
        </form>
        {lookup && !lookup.found ? (
          <p role="alert" className="error">
            {lookup.problem}
          </p>
        ) : null}
        {lookup?.found ? (
          <div data-testid="directory-user">
            <dl className="facts">
              <dt>User</dt>
              <dd>
                {lookup.entry.username}
                {lookup.entry.displayName ? ` (${lookup.entry.displayName})` : ''}
              </dd>
              <dt>Email</dt>
              <dd>{lookup.entry.email ?? '—'}</dd>
              <dt>Role</dt>
              <dd>{lookup.entry.isStaff ? 'Staff' : 'Customer'}</dd>
              <dt>Account in the directory</dt>
              <dd>{lookup.entry.accountKey ?? 'none'}</dd>
              <dt>Logged in</dt>
              <dd>{lookup.lastLoginAt ? <LocalTime at={lookup.lastLoginAt} /> : 'Never'}</dd>
            </dl>
            <StaffForm action={assignBeforeLoginAction} label={`Assign ${lookup.entry.username}`} submit="Assign account">
              <input type="hidden" name="username" value={lookup.entry.username} />
              <label>
                Account
                <select name="accountId" required defaultValue="">
                  <option value="" disabled>
                    Choose
                  </option>
                  {accounts.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.name}
                    </option>
                  ))}
                </select>
              </label>
            </StaffForm>
          </div>
        ) : null}
      </section>
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
          <caption className="visually-hidden">Directory users and the accounts they belong to</caption>
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
