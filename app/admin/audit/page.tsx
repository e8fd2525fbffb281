import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import Link from 'next/link';
import { LocalTime } from '@/app/_components/local-time';
import { TimeZoneSync } from '@/app/_components/time-zone-sync';
import { AUDIT_FAMILIES, AUDIT_TARGET_TYPES, describeAudit } from '@/lib/admin/audit-words';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listAccountsWithCounts } from '@/lib/db/queries/admin';
import { type AuditSearch, searchAudit } from '@/lib/db/queries/audit';
import { TIME_ZONE_COOKIE, describeTimeZone, parseInstant, resolveTimeZone, toLocalInputValue } from '@/lib/vms/time-zone';
import { firstValue } from '@/lib/vms/params';

export const metadata: Metadata = { title: 'Audit log' };

const PAGE = 50;
const whole = (v: string | undefined) => (v && /^[1-9][0-9]{0,15}$/.test(v) ? Number(v) : undefined);
/** A family from the list, or a whole action (links from an entry's details). */
const ACTION_PREFIX = /^[a-z_]+(?:\.[a-z_]+)*\.?$/;
const TARGET_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

interface Filters {
  search: Omit<AuditSearch, 'before' | 'limit'>;
  /** The valid filters as query parameters, for the cursor links. */
  query: Array<[string, string]>;
  problems: string[];
  /** What the form shows: the values as given (a bad one too, so it can be corrected). */
  shown: Record<'actor' | 'action' | 'target' | 'targetId' | 'account' | 'from' | 'to', string>;
}

function readFilters(params: Record<string, string | string[] | undefined>, accountIds: Set<number>, timeZone: string): Filters {
  const raw = (name: string) => (firstValue(params[name]) ?? '').trim();
  const search: Filters['search'] = {};
  const query: Filters['query'] = [];
  const problems: string[] = [];
  const shown = { actor: raw('actor'), action: raw('action'), target: raw('target'), targetId: raw('targetId'), account: raw('account'), from: raw('from'), to: raw('to') };
  const quote = (s: string) => `“${s.slice(0, 60)}”`;

  if (shown.actor) {
    if (shown.actor.length > 255 || /[\u0000-\u001f\u007f]/.test(shown.actor)) problems.push(`${quote(shown.actor)} is not a username; showing every actor.`);
    else {
      search.actor = shown.actor;
      query.push(['actor', shown.actor]);
    }
  }
  if (shown.action) {
    if (shown.action.length > 64 || !ACTION_PREFIX.test(shown.action)) problems.push(`${quote(shown.action)} is not a kind of action; showing every action.`);
    else {
      search.action = shown.action;
      query.push(['action', shown.action]);
    }
  }
  if (shown.target) {
    if (!AUDIT_TARGET_TYPES.some((t) => t.type === shown.target)) problems.push(`${quote(shown.target)} is not a kind of target; showing every kind.`);
    else {
      search.targetType = shown.target;
      query.push(['target', shown.target]);
    }
  }
  if (shown.targetId) {
    if (!TARGET_ID.test(shown.targetId)) problems.push(`${quote(shown.targetId)} is not a target id (letters, digits, . _ : -); showing every target.`);
    else {
      search.targetId = shown.targetId;
      query.push(['targetId', shown.targetId]);
    }
  }
  if (shown.account) {
    const id = whole(shown.account);
    if (id === undefined || !accountIds.has(id)) problems.push(`There is no account ${quote(shown.account)}; showing every account.`);
    else {
      search.accountId = id;
      query.push(['account', String(id)]);
    }
  }
  const instant = (name: 'from' | 'to', label: string) => {
    if (!shown[name]) return undefined;
    const at = parseInstant(shown[name], timeZone);
    if (!at) problems.push(`${quote(shown[name])} is not a date and time (for example 2026-03-01T09:30); ${label}.`);
    return at ?? undefined;
  };
  const from = instant('from', 'showing from the first entry');
  const to = instant('to', 'showing up to the newest entry');
  if (from && to && from > to) {
    problems.push('“From” is after “to”; showing every time.');
  } else {
    if (from) {
      search.from = from;
      query.push(['from', shown.from]);
    }
    if (to) {
      // An end given as a minute (what the form sends) or a day includes all of it.
      const rest = /^\d{4}-\d{2}-\d{2}$/.test(shown.to) ? 86_399_999 : /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$/.test(shown.to) ? 59_999 : 0;
      search.to = new Date(to.getTime() + rest);
      query.push(['to', shown.to]);
    }
  }
  return { search, query, problems, shown };
}

/** Every entry of the audit log, searchable, in sentences: "who did what, when, from where". */
export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaff();
  const params = await searchParams;
  const timeZone = resolveTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value);
  const db = getDb();
  const accounts = await listAccountsWithCounts(db);
  const { search, query, problems, shown } = readFilters(params, new Set(accounts.map((a) => a.id)), timeZone);
  const before = whole(firstValue(params.before));
  const rows = await searchAudit(db, { ...search, before, limit: PAGE + 1 });
  const page = rows.slice(0, PAGE);
  const filtered = query.length > 0;
  const families = AUDIT_FAMILIES.some((f) => f.prefix === search.action) || !search.action ? AUDIT_FAMILIES : [...AUDIT_FAMILIES, { prefix: search.action, label: search.action }];
  const inputValue = (text: string, at: Date | undefined) => (at ? toLocalInputValue(at, timeZone) : text);

  return (
    <>
      <TimeZoneSync cookie={TIME_ZONE_COOKIE} />
      <h1>Audit log</h1>
      <p className="muted">Every change and every login decision, newest first. Times in the form are in {describeTimeZone(timeZone)}.</p>
      {problems.length > 0 && (
        <div className="error" role="alert">
          {problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      )}
      <form method="get" action="/admin/audit" className="filters" aria-label="Filter the audit log">
        <label>
          Who
          <input type="text" name="actor" defaultValue={shown.actor} placeholder="username" maxLength={255} />
        </label>
        <label>
          What
          <select name="action" defaultValue={search.action ?? ''}>
            <option value="">Anything</option>
            {families.map((f) => (
              <option key={f.prefix} value={f.prefix}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Target
          <select name="target" defaultValue={search.targetType ?? ''}>
            <option value="">Any kind</option>
            {AUDIT_TARGET_TYPES.map((t) => (
              <option key={t.type} value={t.type}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Target id
          <input type="text" name="targetId" defaultValue={shown.targetId} inputMode="numeric" size={8} maxLength={64} />
        </label>
        <label>
          Account
          <select name="account" defaultValue={search.accountId ? String(search.accountId) : ''}>
            <option value="">All accounts</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input type="datetime-local" name="from" defaultValue={inputValue(shown.from, search.from)} />
        </label>
        <label>
          To
          <input type="datetime-local" name="to" defaultValue={inputValue(shown.to, search.to)} />
        </label>
        <div className="form-actions">
          <button type="submit">Show</button>
          {filtered && <Link href="/admin/audit">Clear the filters</Link>}
        </div>
      </form>
      {page.length === 0 ? (
        <p className="notice">{before ? 'No older entries.' : filtered ? 'No entries match these filters.' : 'The audit log is empty.'}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Audit log entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What happened</th>
                <th scope="col">Who</th>
                <th scope="col">Address</th>
                <th scope="col">Entry</th>
              </tr>
            </thead>
            <tbody>
              {page.map((entry) => (
                <tr key={entry.id} data-testid="audit-entry">
                  <td>
                    <LocalTime at={entry.at} />
                  </td>
                  <td data-testid="audit-sentence">{describeAudit(entry, { timeZone })}</td>
                  <td data-testid="audit-actor">
                    {entry.actorUsername ? <Link href={`/admin/audit?${new URLSearchParams({ actor: entry.actorUsername })}`}>{entry.actorUsername}</Link> : '—'}
                  </td>
                  <td>{entry.ip ?? '—'}</td>
                  <td>
                    <details>
                      <summary>#{entry.id}</summary>
                      <p className="small">
                        <code>{entry.action}</code>
                        {entry.targetType && (
                          <>
                            {' '}
                            on <code>{entry.targetType}</code> <code>{entry.targetId}</code>
                          </>
                        )}
                        {entry.accountName && <> · account {entry.accountName}</>}
                      </p>
                      {entry.details !== null && <pre className="small">{JSON.stringify(entry.details, null, 2)}</pre>}
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > PAGE && (
        <p>
          <Link href={`/admin/audit?${new URLSearchParams([...query, ['before', String(page[page.length - 1]!.id)]])}`}>Older entries →</Link>
        </p>
      )}
      {before !== undefined && (
        <p>
          <Link href={`/admin/audit?${new URLSearchParams(query)}`}>← Newest entries</Link>
        </p>
      )}
    </>
  );
}
