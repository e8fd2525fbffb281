import type { Metadata } from 'next';
import { LocalTime } from '@/app/_components/local-time';
import { NagiosText } from '@/app/_components/nagios-text';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { outboxBacklog } from '@/lib/db/queries/orders';
import { ORDER_STATUSES, type OrderStatus } from '@/lib/db/queries/orders';
import { isOpen } from '@/lib/plans/provisioning-message';
import { formatMinor } from '@/lib/plans/proration';
import { type StaffOrderRow, ordersForStaff } from '@/lib/db/queries/staff-orders';
import { OrderActions } from './order-actions';
import { firstValue } from '@/lib/vms/params';

export const metadata: Metadata = { title: 'Orders' };

const LIMIT = 100;

const STATE_CLASS: Record<OrderStatus, string> = {
  requested: 'state-WARNING',
  sent: 'state-WARNING',
  accepted: 'state-WARNING',
  completed: 'state-OK',
  failed: 'state-CRITICAL',
  cancelled: 'state-UNKNOWN',
};

function Times({ o }: { o: StaffOrderRow }) {
  const stages: Array<[string, Date | null]> = [
    ['sent', o.sentAt],
    ['accepted', o.acceptedAt],
    ['completed', o.completedAt],
    ['failed', o.failedAt],
    ['cancelled', o.cancelledAt],
  ];
  const reached = stages.filter((s): s is [string, Date] => s[1] !== null);
  if (reached.length === 0) return null;
  return (
    <ul className="small muted" style={{ margin: '.2rem 0 0', paddingLeft: '1rem' }}>
      {reached.map(([name, at]) => (
        <li key={name}>
          {name} <LocalTime at={at} />
        </li>
      ))}
    </ul>
  );
}

function Notes({ o }: { o: StaffOrderRow }) {
  const inOutbox = o.outboxAttempts !== null;
  if (!o.reason && !inOutbox) return <>—</>;
  return (
    <>
      {o.reason && (
        <div>
          <NagiosText text={o.reason} />
        </div>
      )}
      {inOutbox && (
        <div className="small">
          {o.outboxAttempts === 0 ? 'Waiting to be sent' : `Not sent yet: ${o.outboxAttempts} failed ${o.outboxAttempts === 1 ? 'attempt' : 'attempts'}`}
          {o.outboxError && (
            <>
              {'. Last error: '}
              <NagiosText text={o.outboxError} />
            </>
          )}
        </div>
      )}
    </>
  );
}

/** Every account's plan-change and rebuild orders, for support: where is it stuck, and cancel or send it again. */
export default async function AdminOrdersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireStaff();
  const statusParam = firstValue((await searchParams).status);
  const status = ORDER_STATUSES.includes(statusParam as OrderStatus) ? (statusParam as OrderStatus) : undefined;
  const db = getDb();
  const [orders, backlog] = await Promise.all([ordersForStaff(db, { status, limit: LIMIT }), outboxBacklog(db, new Date())]);
  return (
    <>
      <h1>Plan-change orders</h1>
      <div className="panel">
        <dl className="facts">
          <dt>Messages waiting to be sent</dt>
          <dd>{backlog.waiting}</dd>
          <dt>Of those, retrying after a failed send</dt>
          <dd>{backlog.retrying}</dd>
        </dl>
        <p className="muted small">
          Messages wait in the outbox until the broker confirms it has them. Many waiting means the provisioning worker is not running (<code>npm run provisioning</code>) or
          the broker is away; the orders below show the last send error. Cancelling an order that was already sent does not reach the provisioning system: a later
          &ldquo;completed&rdquo; reply for it becomes a dead letter on the pipeline page.
        </p>
      </div>
      <form method="get" action="/admin/orders" className="filters" aria-label="Filter orders">
        <label>
          Status
          <select name="status" defaultValue={status ?? ''}>
            <option value="">Any</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <div className="form-actions">
          <button type="submit">Show</button>
        </div>
      </form>
      {orders.length === 0 ? (
        <p>{status ? `No ${status} orders.` : 'No plan changes have been ordered yet.'}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Plan changes and rebuilds ordered, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Placed</th>
                <th scope="col">Account</th>
                <th scope="col">VM</th>
                <th scope="col">Kind</th>
                <th scope="col">Change</th>
                <th scope="col">Amount</th>
                <th scope="col">Status</th>
                <th scope="col">Reason or send error</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o) => (
                <tr key={o.id} data-testid="order" data-order-id={o.id}>
                  <td>#{o.id}</td>
                  <td>
                    <LocalTime at={o.createdAt} />
                    <div className="small muted">by {o.requestedBy}</div>
                  </td>
                  <td>{o.accountName ?? `account ${o.accountId}`}</td>
                  <td>
                    <NagiosText text={o.hostname} />
                  </td>
                  <td data-testid="order-kind">{o.kind}</td>
                  <td>
                    {o.kind === 'rebuild' ? (
                      <>
                        Rebuild on Ubuntu <strong data-testid="order-release">{o.targetRelease ?? '?'}</strong>
                        <div className="small muted">data destroyed; stays on {o.toPlanName ?? `plan ${o.toPlanId}`}</div>
                      </>
                    ) : (
                      <>
                        {o.fromPlanName ?? `plan ${o.fromPlanId}`} → {o.toPlanName ?? `plan ${o.toPlanId}`}
                      </>
                    )}
                  </td>
                  <td>{formatMinor(o.amountMinor, o.currency)}</td>
                  <td>
                    <span className={`state ${STATE_CLASS[o.status]}`}>{o.status}</span>
                    <Times o={o} />
                  </td>
                  <td>
                    <Notes o={o} />
                  </td>
                  <td>
                    <OrderActions orderId={o.id} open={isOpen(o.status)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {orders.length === LIMIT && <p className="muted small">The newest {LIMIT} are shown; choose a status to see others.</p>}
    </>
  );
}
