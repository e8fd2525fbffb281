import type { Metadata } from 'next';
import Link from 'next/link';
import { LocalTime } from '@/app/_components/local-time';
import { NagiosText } from '@/app/_components/nagios-text';
import { StaffForm } from '@/app/_components/staff-form';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listAccounts, listPlansForStaff, listVmsForStaff } from '@/lib/db/queries/onboarding';
import { createVmAction, updateVmAction } from './actions';
import { firstValue } from '@/lib/vms/params';

export const metadata: Metadata = { title: 'VMs' };


type Option = { value: string; label: string };

function VmFields({
  accounts,
  plans,
  values,
}: {
  accounts: Option[];
  plans: Option[];
  values?: { accountKey: string; nagiosHostName: string; hostname: string; address: string; addressV6: string | null; ubuntuRelease: string; planSlug: string };
}) {
  return (
    <>
      <label>
        Account
        <select name="accountKey" defaultValue={values?.accountKey ?? ''} required>
          <option value="" disabled>
            Choose
          </option>
          {accounts.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Nagios host_name
        <input name="nagiosHostName" required maxLength={255} defaultValue={values?.nagiosHostName} />
      </label>
      <label>
        Name customers see
        <input name="hostname" required maxLength={255} defaultValue={values?.hostname} />
      </label>
      <label>
        Address
        <input name="address" required placeholder="192.0.2.10" defaultValue={values?.address} />
      </label>
      <label>
        IPv6 address (optional)
        <input name="addressV6" placeholder="2001:db8::10" defaultValue={values?.addressV6 ?? ''} />
      </label>
      <label>
        Ubuntu
        <input name="ubuntuRelease" required pattern="\d{2}\.\d{2}" size={6} defaultValue={values?.ubuntuRelease ?? '24.04'} />
      </label>
      <label>
        Plan
        <select name="planSlug" defaultValue={values?.planSlug ?? plans[0]?.value} required>
          {plans.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}

/** Staff create, edit and move VMs; the same checks and audit as /api/v1/admin/vms. */
export default async function VmsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaff();
  const q = (firstValue((await searchParams).q) ?? '').trim().toLowerCase();
  const db = getDb();
  const [vms, accounts, plans] = await Promise.all([listVmsForStaff(db), listAccounts(db), listPlansForStaff(db)]);
  const accountName = new Map(accounts.map((a) => [a.id, a.name]));
  const planName = new Map(plans.map((p) => [p.slug, p.name]));
  const accountOptions = accounts.map((a) => ({ value: a.key, label: `${a.name} (${a.key})` }));
  const planOptions = plans.map((p) => ({ value: p.slug, label: `${p.name}${p.active ? '' : ' (retired)'}` }));
  const shown = q ? vms.filter((v) => `${v.hostname} ${v.nagiosHostName} ${v.address} ${v.addressV6 ?? ''} ${v.accountKey} ${v.retiredAt ? 'retired' : ''}`.toLowerCase().includes(q)) : vms;
  return (
    <>
      <h1>VMs</h1>
      <p>
        <Link href="/admin/vms/import">Import from Nagios</Link>
      </p>
      <form method="get" action="/admin/vms" className="filters" aria-label="Search VMs">
        <label>
          Search
          <input name="q" defaultValue={q} placeholder="Host name, address or account key" />
        </label>
        <div className="form-actions">
          <button type="submit">Search</button>
          {q ? <Link href="/admin/vms">All VMs</Link> : null}
        </div>
      </form>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Virtual machines</caption>
          <thead>
            <tr>
              <th scope="col">VM</th>
              <th scope="col">Account</th>
              <th scope="col">Address</th>
              <th scope="col">Ubuntu</th>
              <th scope="col">Plan</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Edit</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((v) => (
              <tr key={v.id} data-testid="vm-row">
                <td>
                  <NagiosText text={v.hostname} />
                  {v.nagiosHostName !== v.hostname ? (
                    <div className="small muted">
                      Nagios: <NagiosText text={v.nagiosHostName} />
                    </div>
                  ) : null}
                </td>
                <td>{accountName.get(v.accountId)}</td>
                <td>
                  {v.address}
                  {v.addressV6 ? <div className="small muted">{v.addressV6}</div> : null}
                </td>
                <td>{v.ubuntuRelease}</td>
                <td>{planName.get(v.planSlug) ?? v.planSlug}</td>
                <td>
                  {v.retiredAt ? (
                    <>
                      Retired <LocalTime at={v.retiredAt} />
                    </>
                  ) : (
                    'In service'
                  )}
                  <div className="small">
                    <Link href={`/vms/${v.id}`}>View as the customer</Link>
                  </div>
                </td>
                <td>
                  <details>
                    <summary>Edit, move or retire</summary>
                    <StaffForm action={updateVmAction} label={`Edit ${v.hostname}`} submit="Save">
                      <input type="hidden" name="id" value={v.id} />
                      <VmFields accounts={accountOptions} plans={planOptions} values={v} />
                    </StaffForm>
                    {v.retiredAt ? (
                      <StaffForm action={updateVmAction} label={`Bring back ${v.hostname}`} submit="Bring back into service">
                        <input type="hidden" name="id" value={v.id} />
                        <input type="hidden" name="retired" value="false" />
                      </StaffForm>
                    ) : (
                      <StaffForm action={updateVmAction} label={`Retire ${v.hostname}`} submit="Retire VM">
                        <input type="hidden" name="id" value={v.id} />
                        <input type="hidden" name="retired" value="true" />
                        <p className="small muted">Its customer no longer sees it and it sends no alerts. Its history is kept for staff.</p>
                      </StaffForm>
                    )}
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length === 0 ? <p>No VM matches.</p> : null}
      <h2>New VM</h2>
      <StaffForm action={createVmAction} label="New VM" submit="Create VM">
        <VmFields accounts={accountOptions} plans={planOptions.filter((p) => !p.label.endsWith('(retired)'))} />
      </StaffForm>
    </>
  );
}
