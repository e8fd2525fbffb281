import type { Metadata } from 'next';
import Link from 'next/link';
import { LocalTime } from '@/app/_components/local-time';
import { OrderStatusCell } from '@/app/_components/order-status';
import { NagiosText } from '@/app/_components/nagios-text';
import { PollRefresh } from '@/app/_components/poll-refresh';
import { UsageAttention } from '@/app/_components/usage-attention';
import { StaffViewBanner } from '@/app/_components/staff-view-banner';
import { requireVmView } from '@/lib/vms/page-viewer';
import { getDb } from '@/lib/db';
import { ordersForVm } from '@/lib/db/queries/orders';
import { ORDER_WORDS, orderChangeWords } from '@/lib/plans/order-words';
import { visibleText } from '@/lib/monitoring/visible-text';
import { formatMinor } from '@/lib/plans/proration';
import { GB, GIB } from '@/lib/plans/recommend';
import { vmPlanOutlook } from '@/lib/plans/vm-plans';
import { firstValue } from '@/lib/vms/params';

type Props = { params: Promise<{ vmId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { vm } = await requireVmView((await params).vmId);
  return { title: `Plan: ${visibleText(vm.hostname)}` };
}

const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;
const gb = (bytes: number) => `${Math.round(bytes / GB).toLocaleString('en-GB')} GB`;

/** One VM's plan: its limits against usage and forecast, every plan it could move to, the recommended one, and its orders. */
export default async function PlanPage({ params, searchParams }: Props) {
  const { vm, staffView, accountName } = await requireVmView((await params).vmId, 'plan');
  const db = getDb();
  const sp = await searchParams;
  const now = new Date();
  const [outlook, orders] = await Promise.all([vmPlanOutlook(db, vm, now), ordersForVm(db, vm, 10)]);
  const { current, fits, recommended, forecast } = outlook;
  const open = orders.find((o) => o.status === 'requested' || o.status === 'sent' || o.status === 'accepted');
  const planName = new Map(outlook.plans.map((p) => [p.id, p.name]));
  const mainDisk = forecast.disks.find((d) => d.mount === '/') ?? forecast.disks[0];
  const notice = firstValue(sp.notice);
  // The order just placed (named in the address after a plain POST), else the latest one while it is
  // open or just ended: the customer follows it here either way.
  const latest = orders[0];
  const recent = latest && (latest === open || now.getTime() - latest.updatedAt.getTime() < 15 * 60_000) ? latest : undefined;
  const justOrdered = orders.find((o) => String(o.id) === firstValue(sp.order)) ?? recent;
  // After a resize the next disk measurement confirms it; until then the page says it is waiting.
  const resized = orders.find((o) => o.kind === 'upgrade' && o.status === 'completed' && o.completedAt && now.getTime() - o.completedAt.getTime() < 86_400_000);
  const confirmed = resized && mainDisk?.outlook.asOf && mainDisk.outlook.asOf > resized.completedAt! ? mainDisk.outlook : null;

  return (
    <>
      <p className="breadcrumb">
        <Link href="/">My VMs</Link> / <Link href={`/vms/${vm.id}`}><NagiosText text={vm.hostname} /></Link> / Plan
      </p>
      <h1>Plan for <NagiosText text={vm.hostname} /></h1>
      {open ? <PollRefresh url={`/api/v1/orders/${open.id}`} /> : null}
      {notice === 'open-order' ? (
        <p className="notice" role="status">
          An order for this VM (a plan change or a rebuild) is already under way; its progress is below. A new one can be ordered once it has ended.
        </p>
      ) : null}
      {justOrdered ? (
        <p className="notice" role="status" data-testid="order-status">
          Order #{justOrdered.id}, {orderChangeWords(justOrdered, (id) => planName.get(id))}: {ORDER_WORDS[justOrdered.status]}.
          {justOrdered.status === 'completed'
            ? justOrdered.kind === 'rebuild'
              ? ` Your VM runs Ubuntu ${justOrdered.targetRelease} now, on the same plan.`
              : ' Your VM is on its new plan.'
            : justOrdered.status === 'failed' ? ` ${justOrdered.reason ?? ''} Please contact support.` : ' This page updates by itself.'}
        </p>
      ) : null}
      {resized ? (
        <p className="notice" role="status" data-testid="resize-confirmation">
          {confirmed
            ? `Now on ${planName.get(resized.toPlanId)}: disk now ${Math.round(confirmed.usedPct)} % used of ${gib(confirmed.capacity)}.`
            : `Now on ${planName.get(resized.toPlanId)}. The next disk measurement will show the new size.`}
        </p>
      ) : null}
      {staffView ? <StaffViewBanner hostname={vm.hostname} accountName={accountName} /> : null}
      {!open && !staffView ? <UsageAttention vmId={vm.id} attention={forecast.attention} recommended={recommended} /> : null}

      <section aria-labelledby="usage-heading">
        <h2 id="usage-heading">{current.name}: limits and usage</h2>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">This VM&apos;s plan limits and its usage</caption>
            <thead>
              <tr>
                <th scope="col">Resource</th>
                <th scope="col">Your plan</th>
                <th scope="col">Used</th>
                <th scope="col">Outlook</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Disk</th>
                <td>{current.diskGb} GiB</td>
                <td>{mainDisk ? `${gib(mainDisk.outlook.used)} (${Math.round(mainDisk.outlook.usedPct)} %)` : 'Not measured'}</td>
                <td data-testid="disk-outlook">
                  {forecast.disks.length === 0
                    ? 'No disk check reports this VM yet.'
                    : forecast.disks.map((d) => (
                        <div key={d.service + d.mount}>
                          {forecast.disks.length > 1 ? <strong>{d.mount}: </strong> : null}
                          {d.outlook.message}
                        </div>
                      ))}
                </td>
              </tr>
              <tr>
                <th scope="row">Transfer this month</th>
                <td>{current.transferGb.toLocaleString('en-GB')} GB</td>
                <td>{forecast.transfer ? `${gb(forecast.transfer.used)} (${Math.round((forecast.transfer.used / forecast.transfer.quota) * 100)} %)` : 'Not measured'}</td>
                <td data-testid="transfer-outlook">{forecast.transfer ? forecast.transfer.message : 'No traffic check reports this VM yet.'}</td>
              </tr>
              <tr>
                <th scope="row">Memory</th>
                <td>{current.memoryMb >= 1024 ? `${current.memoryMb / 1024} GiB` : `${current.memoryMb} MiB`}</td>
                <td colSpan={2} className="muted">Not measured by monitoring.</td>
              </tr>
              <tr>
                <th scope="row">CPU</th>
                <td>{current.vcpus} vCPU</td>
                <td colSpan={2} className="muted">Not measured by monitoring.</td>
              </tr>
              <tr>
                <th scope="row">Price</th>
                <td colSpan={3}>{formatMinor(current.priceCents)} a month</td>
              </tr>
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="plans-heading">
        <h2 id="plans-heading">Plans</h2>
        <p className="muted small">
          A plan fits when it holds the disk&apos;s growth over the next 90 days and this month&apos;s projected transfer, with 20 % to spare. A change is
          charged (or credited) for the rest of this month only.
        </p>
        <div className="table-wrap">
          <table className="stack">
            <caption className="visually-hidden">Plans this VM can move to, and whether each fits its usage</caption>
            <thead>
              <tr>
                <th scope="col">Plan</th>
                <th scope="col">Disk</th>
                <th scope="col">Transfer</th>
                <th scope="col">Memory</th>
                <th scope="col">CPU</th>
                <th scope="col">Price a month</th>
                <th scope="col">
                  <span className="visually-hidden">Choose</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {fits.map((f) => (
                <tr key={f.plan.id} data-testid="plan-row" data-plan={f.plan.slug}>
                  <th scope="row">
                    {f.plan.name}
                    {f.isCurrent ? <div className="small muted">Your plan</div> : null}
                    {recommended?.id === f.plan.id ? (
                      <div>
                        <span className="state state-OK">Recommended</span>
                      </div>
                    ) : null}
                  </th>
                  <td data-label="Disk">{f.plan.diskGb} GiB</td>
                  <td data-label="Transfer">{f.plan.transferGb.toLocaleString('en-GB')} GB</td>
                  <td data-label="Memory">{f.plan.memoryMb >= 1024 ? `${f.plan.memoryMb / 1024} GiB` : `${f.plan.memoryMb} MiB`}</td>
                  <td data-label="CPU">{f.plan.vcpus}</td>
                  <td data-label="Price a month">{formatMinor(f.plan.priceCents)}</td>
                  <td>
                    {f.isCurrent || staffView ? null : open ? (
                      <span className="small muted">{open.kind === 'rebuild' ? 'A rebuild is under way' : 'A change is under way'}</span>
                    ) : (
                      <>
                        <Link prefetch={false} href={`/vms/${vm.id}/plan/confirm?planId=${f.plan.id}`} className={recommended?.id === f.plan.id ? 'button' : undefined}>
                          {f.isUpgrade ? `Upgrade to ${f.plan.name}` : `Move to ${f.plan.name}`}
                        </Link>
                        {!f.fits && f.problems.length > 0 ? (
                          <ul className="small muted">
                            {f.problems.map((p) => (
                              <li key={p}>{p}</li>
                            ))}
                          </ul>
                        ) : null}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="orders-heading">
        <h2 id="orders-heading">Plan changes and rebuilds</h2>
        {orders.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">This VM&apos;s plan changes</caption>
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Change</th>
                  <th scope="col">Charged now</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {orders.map((o) => (
                  <tr key={o.id} data-testid="order-row">
                    <td>
                      #{o.id}, <LocalTime at={o.createdAt} />
                    </td>
                    <td>
                      {o.kind === 'rebuild' ? <Link href={`/vms/${vm.id}/rebuild`}>{orderChangeWords(o, (id) => planName.get(id))}</Link> : orderChangeWords(o, (id) => planName.get(id))}
                    </td>
                    <td>
                      {formatMinor(o.amountMinor, o.currency)}
                      <div className="small muted">{o.pricing.explanation}</div>
                    </td>
                    <td>
                      <OrderStatusCell order={o} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
