import type { Metadata } from 'next';
import Link from 'next/link';
import { StaffForm } from '@/app/_components/staff-form';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listAccountsWithCounts } from '@/lib/db/queries/admin';
import { listAccounts } from '@/lib/db/queries/onboarding';
import { createAccountAction, updateAccountAction } from './actions';
import { firstValue } from '@/lib/vms/params';

export const metadata: Metadata = { title: 'Accounts' };


function AccountFields({ values }: { values?: { key: string; name: string; contactEmail: string | null } }) {
  return (
    <>
      <label>
        Name
        <input name="name" required maxLength={128} defaultValue={values?.name} />
      </label>
      <label>
        Key (the directory&apos;s account attribute)
        <input name="key" required maxLength={64} pattern="[a-z0-9][a-z0-9\-]*" defaultValue={values?.key} />
      </label>
      <label>
        Contact email
        <input name="contactEmail" type="email" maxLength={254} defaultValue={values?.contactEmail ?? ''} />
      </label>
    </>
  );
}

/** Staff create and edit customer accounts; the same checks and audit as /api/v1/admin/accounts. */
export default async function AccountsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaff();
  const q = (firstValue((await searchParams).q) ?? '').trim().toLowerCase();
  const db = getDb();
  const [accounts, counts] = await Promise.all([listAccounts(db), listAccountsWithCounts(db)]);
  const countOf = new Map(counts.map((c) => [c.id, c]));
  const shown = q ? accounts.filter((a) => `${a.name} ${a.key} ${a.contactEmail ?? ''}`.toLowerCase().includes(q)) : accounts;
  return (
    <>
      <h1>Accounts</h1>
      <form method="get" action="/admin/accounts" className="filters" aria-label="Search accounts">
        <label>
          Search
          <input name="q" defaultValue={q} placeholder="Name, key or email" />
        </label>
        <div className="form-actions">
          <button type="submit">Search</button>
          {q ? <Link href="/admin/accounts">All accounts</Link> : null}
        </div>
      </form>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Key</th>
              <th scope="col">Contact</th>
              <th scope="col">VMs</th>
              <th scope="col">Users</th>
              <th scope="col">
                <span className="visually-hidden">Edit</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((a) => (
              <tr key={a.id} data-testid="account-row">
                <td>{a.name}</td>
                <td>
                  <code>{a.key}</code>
                </td>
                <td>{a.contactEmail ?? '—'}</td>
                <td>
                  <Link href={`/admin/vms?q=${encodeURIComponent(a.key)}`}>{countOf.get(a.id)?.vmCount ?? 0}</Link>
                </td>
                <td>{countOf.get(a.id)?.userCount ?? 0}</td>
                <td>
                  <details>
                    <summary>Edit</summary>
                    <StaffForm action={updateAccountAction} label={`Edit ${a.name}`} submit="Save">
                      <input type="hidden" name="id" value={a.id} />
                      <AccountFields values={a} />
                    </StaffForm>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length === 0 ? <p>No account matches.</p> : null}
      <h2>New account</h2>
      <StaffForm action={createAccountAction} label="New account" submit="Create account">
        <AccountFields />
      </StaffForm>
    </>
  );
}
