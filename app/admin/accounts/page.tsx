import type { Metadata } from 'next';
import Link from 'next/link';
import { LocalTime } from '@/app/_components/local-time';
import { StaffForm } from '@/app/_components/staff-form';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listAccountsWithCounts } from '@/lib/db/queries/admin';
import { listAccounts } from '@/lib/db/queries/onboarding';
import { createAccountAction, updateAccountAction } from './actions';
import { firstValue } from '@/lib/vms/params';

export const metadata: Metadata = { title: 'Accounts' };


const ZONES_LIST = 'time-zones';

function AccountFields({ values }: { values?: { key: string; name: string; contactEmail: string | null; billingDay: number; timeZone: string } }) {
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
      <label>
        Billing day (1–28)
        <input name="billingDay" type="number" min={1} max={28} required size={3} defaultValue={values?.billingDay ?? 1} />
      </label>
      <label>
        Time zone
        <input name="timeZone" required list={ZONES_LIST} maxLength={64} defaultValue={values?.timeZone ?? 'UTC'} />
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
  const shown = q ? accounts.filter((a) => `${a.name} ${a.key} ${a.contactEmail ?? ''} ${a.suspendedAt ? 'suspended' : 'active'}`.toLowerCase().includes(q)) : accounts;
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
          <caption className="visually-hidden">Customer accounts</caption>
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Key</th>
              <th scope="col">Contact</th>
              <th scope="col">VMs</th>
              <th scope="col">Users</th>
              <th scope="col">Status</th>
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
                <td>
                  {countOf.get(a.id)?.userCount ?? 0}
                  <div className="small">
                    <Link href={`/?account=${a.id}`}>View as its users</Link>
                  </div>
                </td>
                <td>
                  {a.suspendedAt ? (
                    <>
                      <span className="state state-CRITICAL">Suspended</span> since <LocalTime at={a.suspendedAt} />
                      {a.suspendedReason ? <div className="small muted">{a.suspendedReason}</div> : null}
                    </>
                  ) : (
                    'Active'
                  )}
                  <div className="small muted">
                    Billing day {a.billingDay}, {a.timeZone}
                  </div>
                </td>
                <td>
                  <details>
                    <summary>Edit</summary>
                    <StaffForm action={updateAccountAction} label={`Edit ${a.name}`} submit="Save">
                      <input type="hidden" name="id" value={a.id} />
                      <AccountFields values={a} />
                    </StaffForm>
                    {a.suspendedAt ? (
                      <StaffForm action={updateAccountAction} label={`Reactivate ${a.name}`} submit="Reactivate account">
                        <input type="hidden" name="id" value={a.id} />
                        <input type="hidden" name="suspended" value="false" />
                      </StaffForm>
                    ) : (
                      <StaffForm action={updateAccountAction} label={`Suspend ${a.name}`} submit="Suspend account">
                        <input type="hidden" name="id" value={a.id} />
                        <input type="hidden" name="suspended" value="true" />
                        <p className="small muted">Its users are logged out at once and can&apos;t log in; its alerts pause. Nothing is deleted.</p>
                        <label>
                          Reason (staff only)
                          <input name="suspendedReason" maxLength={255} />
                        </label>
                      </StaffForm>
                    )}
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length === 0 ? <p>No account matches.</p> : null}
      <datalist id={ZONES_LIST}>
        {Intl.supportedValuesOf('timeZone').map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <h2>New account</h2>
      <StaffForm action={createAccountAction} label="New account" submit="Create account">
        <AccountFields />
      </StaffForm>
    </>
  );
}
