import type { Metadata } from 'next';
import Link from 'next/link';
import { LocalTime } from '@/app/_components/local-time';
import { NagiosText } from '@/app/_components/nagios-text';
import { StaffForm } from '@/app/_components/staff-form';
import { StateBadge } from '@/app/_components/state-badge';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listAccounts, listPlansForStaff, listVmsForStaff, vmForStaff } from '@/lib/db/queries/onboarding';
import { listUnassignedHosts } from '@/lib/db/queries/unassigned';
import { assignToVmAction, createVmFromHostAction } from './actions';
import { firstValue } from '@/lib/vms/params';

export const metadata: Metadata = { title: 'Unassigned events' };

const PAGE_SIZE = 25;

const count = (v: string | undefined) => (v && /^\d{1,9}$/.test(v) ? Number(v) : 0);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

type Option = { value: string; label: string };

function Select({ name, label, options, defaultValue, placeholder }: { name: string; label: string; options: Option[]; defaultValue?: string; placeholder?: string }) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={defaultValue ?? ''} required>
        {placeholder ? (
          <option value="" disabled>
            {placeholder}
          </option>
        ) : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** What the last assignment moved (the action redirects here with it): the host itself has left the list. */
async function Done({ params }: { params: Record<string, string | string[] | undefined> }) {
  const host = firstValue(params.host);
  const vmId = count(firstValue(params.vm));
  if (!host || vmId === 0) return null;
  const vm = await vmForStaff(getDb(), vmId);
  if (!vm) return null;
  return (
    <div className="notice" role="status">
      <p>
        The events of <NagiosText text={host} /> now belong to <Link href={`/admin/vms?q=${encodeURIComponent(vm.nagiosHostName)}`}>{vm.hostname}</Link> ({vm.accountKey}
        ): {plural(count(firstValue(params.events)), 'event')}, {plural(count(firstValue(params.samples)), 'sample')} and {plural(count(firstValue(params.states)), 'current state')} moved. No
        alert was sent for them.
      </p>
      {firstValue(params.unmatched) ? (
        <p className="error">
          The VM&apos;s Nagios host name and address do not match this host, so its next events will arrive unassigned again: change the VM under VMs to match.
        </p>
      ) : null}
    </div>
  );
}

/** Hosts Nagios reports that no VM matches, with what they said; staff create a VM from one or give its events to a VM. */
export default async function UnassignedPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaff();
  const params = await searchParams;
  const requested = count(firstValue(params.page));
  const db = getDb();
  const [list, accounts, plans, vms] = await Promise.all([
    listUnassignedHosts(db, { page: requested || 1, pageSize: PAGE_SIZE }),
    listAccounts(db),
    listPlansForStaff(db),
    listVmsForStaff(db),
  ]);
  const accountOptions = accounts.map((a) => ({ value: a.key, label: `${a.name} (${a.key})` }));
  const planOptions = plans.filter((p) => p.active).map((p) => ({ value: p.slug, label: p.name }));
  const vmOptions = vms.map((v) => ({ value: String(v.id), label: `${v.hostname} (${v.accountKey}${v.nagiosHostName !== v.hostname ? `, Nagios: ${v.nagiosHostName}` : ''})` }));
  const pages = Math.max(Math.ceil(list.total / list.pageSize), 1);
  return (
    <>
      <h1>Unassigned events</h1>
      <p className="muted">
        Events from hosts that no VM matches (by Nagios host name, then address, then host name) are kept here. Create a VM from a host, or give its events to a VM:
        its earlier events, samples and current states move with it, and none of them sends an alert.
      </p>
      <Done params={params} />
      {list.total === 0 ? (
        <p className="notice">No unassigned events: every event so far came from a host a VM matches.</p>
      ) : list.hosts.length === 0 ? (
        <p className="notice">
          No hosts on this page. <Link href="/admin/unassigned">First page</Link>
        </p>
      ) : (
        <p>
          {plural(list.total, 'host')} without a VM{pages > 1 ? `, page ${list.page} of ${pages}` : ''}.
        </p>
      )}
      {list.hosts.map((host) => (
        <section key={host.hostName} className="panel" data-testid="unassigned-host" aria-label={host.hostName}>
          <h2>
            <NagiosText text={host.hostName} />
          </h2>
          <dl className="facts">
            <dt>Sent as</dt>
            <dd>
              {host.hostnames.map((h, i) => (
                <span key={h}>
                  {i > 0 ? ', ' : ''}
                  <NagiosText text={h} />
                </span>
              ))}
            </dd>
            <dt>Events</dt>
            <dd>{host.events}</dd>
            <dt>First seen</dt>
            <dd>
              <LocalTime at={host.firstSeen} />
            </dd>
            <dt>Last seen</dt>
            <dd>
              <LocalTime at={host.lastSeen} />
            </dd>
            {host.last ? (
              <>
                <dt>Last event</dt>
                <dd data-testid="last-event">
                  <StateBadge state={host.last.state} stateType={host.last.stateType} /> {host.last.service ? <NagiosText text={host.last.service} /> : 'host'}
                  {host.last.output ? (
                    <>
                      : <NagiosText text={host.last.output} />
                    </>
                  ) : null}
                </dd>
              </>
            ) : null}
          </dl>
          {host.states.length > 0 ? (
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Current states of {host.hostName}</caption>
                <thead>
                  <tr>
                    <th scope="col">Service</th>
                    <th scope="col">State</th>
                    <th scope="col">Output</th>
                    <th scope="col">Last check</th>
                  </tr>
                </thead>
                <tbody>
                  {host.states.map((s) => (
                    <tr key={s.service}>
                      <td>{s.service === '' ? 'Host' : <NagiosText text={s.service} />}</td>
                      <td>
                        <StateBadge state={s.state} stateType={s.stateType} />
                      </td>
                      <td>{s.output ? <NagiosText text={s.output} /> : '—'}</td>
                      <td>
                        <LocalTime at={s.lastCheckAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <details>
            <summary>Create a VM from this host</summary>
            {accountOptions.length === 0 || planOptions.length === 0 ? (
              <p className="error">
                VMs need an account and a plan: create {accountOptions.length === 0 ? <Link href="/admin/accounts">an account</Link> : <Link href="/admin/plans">a plan</Link>}{' '}
                first.
              </p>
            ) : (
              <StaffForm action={createVmFromHostAction} label={`Create a VM from ${host.hostName}`} submit="Create VM">
                <input type="hidden" name="hostName" value={host.hostName} />
                <Select name="accountKey" label="Account" options={accountOptions} placeholder="Choose" />
                <Select name="planSlug" label="Plan" options={planOptions} defaultValue={planOptions[0]?.value} />
                <label>
                  Ubuntu
                  <input name="ubuntuRelease" required pattern="\d{2}\.\d{2}" size={6} defaultValue="24.04" />
                </label>
                <label>
                  Name customers see
                  <input name="hostname" required maxLength={255} defaultValue={host.hostName} />
                </label>
                <label>
                  Address
                  <input name="address" required placeholder="192.0.2.10" defaultValue={host.address ?? ''} />
                </label>
                <p className="small muted">
                  Nagios host name: <NagiosText text={host.hostName} />
                </p>
              </StaffForm>
            )}
          </details>
          <details>
            <summary>Assign to a VM</summary>
            {vmOptions.length === 0 ? (
              <p className="muted">There are no VMs yet.</p>
            ) : (
              <StaffForm action={assignToVmAction} label={`Assign ${host.hostName} to a VM`} submit="Assign events">
                <input type="hidden" name="hostName" value={host.hostName} />
                <Select name="vmId" label="VM" options={vmOptions} placeholder="Choose" />
              </StaffForm>
            )}
          </details>
        </section>
      ))}
      {pages > 1 ? (
        <nav aria-label="Unassigned host pages" className="pager">
          {list.page > 1 ? <Link href={`/admin/unassigned?page=${list.page - 1}`}>Previous page</Link> : null}
          {list.page < pages ? <Link href={`/admin/unassigned?page=${list.page + 1}`}>Next page</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
