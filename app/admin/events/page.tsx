import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import Link from 'next/link';
import { LocalTime } from '@/app/_components/local-time';
import { NagiosText } from '@/app/_components/nagios-text';
import { PollRefresh } from '@/app/_components/poll-refresh';
import { StateBadge } from '@/app/_components/state-badge';
import { TimeZoneSync } from '@/app/_components/time-zone-sync';
import { staffEvents } from '@/lib/admin/staff-events';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listAccounts, listVmsForStaff } from '@/lib/db/queries/onboarding';
import { ALL_STATES, fromRecord, firstValue } from '@/lib/vms/params';
import { TIME_ZONE_COOKIE, describeTimeZone, resolveTimeZone, toLocalInputValue } from '@/lib/vms/time-zone';

export const metadata: Metadata = { title: 'Events' };

type SearchParams = Record<string, string | string[] | undefined>;

/** Every host's events for support: filter by account, VM, service, state, HARD/SOFT and time; paged; live on the first page. */
export default async function EventsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireStaff();
  const sp = await searchParams;
  const timeZone = resolveTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value);
  const db = getDb();
  const [{ problems, page, accountId, vmId, history }, accounts, vms] = await Promise.all([staffEvents(db, fromRecord(sp), timeZone), listAccounts(db), listVmsForStaff(db)]);
  const accountName = new Map(accounts.map((a) => [a.id, a.name]));
  const vmOf = new Map(vms.map((v) => [v.id, v]));
  const states = Array.isArray(sp.state) ? sp.state : sp.state ? [sp.state] : [];
  const keep = new URLSearchParams(
    Object.entries(sp).flatMap(([k, v]) => (k === 'cursor' || v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => [k, x] as [string, string]))),
  );
  const live = new URLSearchParams(keep);
  live.set('limit', '1');
  return (
    <>
      <TimeZoneSync cookie={TIME_ZONE_COOKIE} />
      <h1>Events across all hosts</h1>
      {!history.cursor ? <PollRefresh url={`/api/v1/admin/events?${live}`} intervalMs={5000} /> : null}
      {problems.length > 0 ? (
        <div className="error" role="alert">
          <p>Some filters could not be used and were left out:</p>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="get" action="/admin/events" className="filters" aria-label="Filter events">
        <label>
          Account
          <select name="account" defaultValue={accountId ?? ''}>
            <option value="">All</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          VM
          <select name="vm" defaultValue={vmId ?? ''}>
            <option value="">All</option>
            {vms.map((v) => (
              <option key={v.id} value={v.id}>
                {v.hostname}
              </option>
            ))}
          </select>
        </label>
        <label>
          Service
          <input name="service" defaultValue={firstValue(sp.service) ?? ''} placeholder="Disk /" />
        </label>
        <fieldset>
          <legend>States</legend>
          {ALL_STATES.map((s) => (
            <label key={s} className="choice">
              <input type="checkbox" name="state" value={s} defaultChecked={states.includes(s)} /> {s}
            </label>
          ))}
        </fieldset>
        <label>
          Type
          <select name="type" defaultValue={firstValue(sp.type) ?? ''}>
            <option value="">HARD and SOFT</option>
            <option value="HARD">HARD only</option>
            <option value="SOFT">SOFT only</option>
          </select>
        </label>
        <label>
          From
          <input type="datetime-local" name="from" defaultValue={history.from ? toLocalInputValue(history.from, timeZone) : ''} />
        </label>
        <label>
          Until
          <input type="datetime-local" name="to" defaultValue={history.to ? toLocalInputValue(history.to, timeZone) : ''} />
        </label>
        <div className="form-actions">
          <button type="submit">Show</button>
          <Link href="/admin/events">Clear the filters</Link>
        </div>
        <p className="muted small">Times are in {describeTimeZone(timeZone)}. Newest first; the first page updates by itself.</p>
      </form>
      {page.events.length === 0 ? (
        <p>No events match these filters.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Monitoring events across all hosts, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Account</th>
                <th scope="col">Host</th>
                <th scope="col">Service</th>
                <th scope="col">State</th>
                <th scope="col">Output</th>
              </tr>
            </thead>
            <tbody>
              {page.events.map((e) => {
                const vm = e.vmId !== null ? vmOf.get(e.vmId) : undefined;
                return (
                  <tr key={e.id} data-testid="staff-event" data-event-id={e.id}>
                    <td>
                      <LocalTime at={e.occurredAt} />
                    </td>
                    <td>{vm ? accountName.get(vm.accountId) : <span className="muted">Unassigned</span>}</td>
                    <td>
                      {vm ? (
                        <Link href={`/vms/${vm.id}`}>
                          <NagiosText text={vm.hostname} />
                        </Link>
                      ) : (
                        <NagiosText text={e.host} />
                      )}
                    </td>
                    <td>{e.service === null ? 'the host' : <NagiosText text={e.service} />}</td>
                    <td>
                      <StateBadge state={e.state} stateType={e.stateType} />
                    </td>
                    <td className="small">{e.output ? <NagiosText text={e.output} /> : null}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {page.nextCursor ? (
        <p>
          <Link href={`/admin/events?${new URLSearchParams([...keep, ['cursor', page.nextCursor]])}`}>Older events →</Link>
        </p>
      ) : null}
    </>
  );
}
