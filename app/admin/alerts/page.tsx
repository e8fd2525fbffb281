import type { Metadata } from 'next';
import Link from 'next/link';
import { DeliveryTable, STATUS_WORDS } from '@/app/_components/delivery-table';
import { LocalTime } from '@/app/_components/local-time';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listAccountsWithCounts } from '@/lib/db/queries/admin';
import { DELIVERY_STATUSES, type DeliveryStatus, deliveryBacklog, deliveryLabels, deliveryMessages, listDeliveries } from '@/lib/db/queries/alerts';
import { firstValue } from '@/lib/vms/params';

export const metadata: Metadata = { title: 'Alert deliveries' };

const PAGE = 50;
const whole = (v: string | undefined) => (v && /^[1-9][0-9]{0,15}$/.test(v) ? Number(v) : undefined);

/** Every account's delivery log, for support: "why did (or didn't) the customer get this alert?". */
export default async function AdminAlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaff();
  const params = await searchParams;
  const before = whole(firstValue(params.before));
  const forAccount = whole(firstValue(params.account));
  const statusParam = firstValue(params.status);
  const status = DELIVERY_STATUSES.includes(statusParam as DeliveryStatus) ? (statusParam as DeliveryStatus) : undefined;
  const db = getDb();
  const [rows, accounts, backlog] = await Promise.all([
    listDeliveries(db, { accountId: null, before, limit: PAGE + 1, forAccount, status }),
    listAccountsWithCounts(db),
    deliveryBacklog(db),
  ]);
  const page = rows.slice(0, PAGE);
  const [labels, messages] = await Promise.all([
    deliveryLabels(db, page),
    deliveryMessages(
      db,
      null,
      page.filter((d) => d.status !== 'suppressed').map((d) => d.id),
    ),
  ]);
  const filter = new URLSearchParams({ ...(forAccount ? { account: String(forAccount) } : {}), ...(status ? { status } : {}) });
  return (
    <>
      <h1>Alert deliveries</h1>
      <div className="panel">
        <dl className="facts">
          <dt>Waiting to be sent</dt>
          <dd>
            {backlog.due}
            {backlog.oldestDue && (
              <>
                {' '}
                (oldest due <LocalTime at={backlog.oldestDue} />)
              </>
            )}
          </dd>
          <dt>Failed in the last day</dt>
          <dd>
            {backlog.failedDay > 0 ? <Link href="/admin/alerts?status=failed">{backlog.failedDay}</Link> : 0}
          </dd>
        </dl>
        <p className="muted small">
          Many messages waiting with an old due time means no notifier is running (<code>npm run notifier</code>) or a channel is down; the failed entries give the
          receiver&apos;s answer.
        </p>
      </div>
      <form method="get" action="/admin/alerts" className="filters" aria-label="Filter deliveries">
        <label>
          Account
          <select name="account" defaultValue={forAccount ? String(forAccount) : ''}>
            <option value="">All accounts</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Outcome
          <select name="status" defaultValue={status ?? ''}>
            <option value="">Any</option>
            {DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_WORDS[s] ?? s}
              </option>
            ))}
          </select>
        </label>
        <div className="form-actions">
          <button type="submit">Show</button>
        </div>
      </form>
      {page.length === 0 ? <p>No deliveries match.</p> : <DeliveryTable rows={page} labels={labels} messages={messages} showAccount />}
      {rows.length > PAGE && (
        <p>
          <Link href={`/admin/alerts?${new URLSearchParams([...filter, ['before', String(page[page.length - 1]!.id)]])}`}>Older entries →</Link>
        </p>
      )}
    </>
  );
}
