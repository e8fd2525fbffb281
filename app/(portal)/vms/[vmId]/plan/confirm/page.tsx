import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { NagiosText } from '@/app/_components/nagios-text';
import { requireCustomer } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { recordAudit } from '@/lib/db/queries/audit';
import { openOrderForVm, vmPlan } from '@/lib/db/queries/orders';
import { ownedVm } from '@/lib/db/queries/vms';
import { quoteChange } from '@/lib/plans/orders';
import { ROUNDING_RULE, formatMinor } from '@/lib/plans/proration';
import { vmForecast } from '@/lib/plans/vm-forecast';
import { parseId, firstValue } from '@/lib/vms/params';
import { confirmOrderAction } from '../actions';
import { ConfirmButton } from './confirm-button';

export const metadata: Metadata = { title: 'Confirm plan change' };

type Props = { params: Promise<{ vmId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const REFUSED: Record<string, string> = {
  'price-changed': 'The price changed since the confirmation screen was shown. Here is the new price: please confirm again.',
  'key-reused': 'That confirmation was already used for another order. Please confirm again.',
  'bad-request': 'The order could not be read. Please confirm again.',
};

/** The one confirmation screen: what changes, the prorated price with its math, then one button. */
export default async function ConfirmPlanPage({ params, searchParams }: Props) {
  const user = await requireCustomer();
  const vmId = parseId((await params).vmId);
  const db = getDb();
  const vm = vmId === null ? null : await ownedVm(db, user.accountId, vmId);
  if (!vm) notFound();
  const sp = await searchParams;
  const planId = parseId(firstValue(sp.planId) ?? '');
  if (planId === null) redirect(`/vms/${vm.id}/plan`);
  if (await openOrderForVm(db, vm)) redirect(`/vms/${vm.id}/plan?notice=open-order`);
  const now = new Date();
  const current = await vmPlan(db, vm);
  const forecast = await vmForecast(db, vm, current, now);
  const quote = await quoteChange(db, vm, planId, forecast.needs, now);
  const refused = firstValue(sp.refused);
  const back = (
    <p className="breadcrumb">
      <Link href="/">My VMs</Link> / <Link href={`/vms/${vm.id}`}><NagiosText text={vm.hostname} /></Link> / <Link href={`/vms/${vm.id}/plan`}>Plan</Link> / Confirm
    </p>
  );
  if (!quote.ok) {
    return (
      <>
        {back}
        <h1>This change cannot be ordered</h1>
        <div className="error" role="alert">
          <p>{quote.error.message}</p>
          {'problems' in quote.error ? (
            <ul>
              {quote.error.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
        </div>
        <p>
          <Link href={`/vms/${vm.id}/plan`}>Back to the plans</Link>
        </p>
      </>
    );
  }
  const { target, proration } = quote.value;
  const upgrade = proration.differenceMinor >= 0;
  await recordAudit(db, {
    action: 'plans.order.quote',
    actor: { id: user.id, username: user.username },
    accountId: user.accountId,
    target: { type: 'vm', id: vm.id },
    details: { from: current.slug, to: target.slug, amountMinor: proration.amountMinor },
  });
  return (
    <>
      {back}
      <h1>
        {upgrade ? 'Upgrade' : 'Move'} <NagiosText text={vm.hostname} /> to {target.name}
      </h1>
      {refused && REFUSED[refused] ? (
        <p className="error" role="alert">
          {REFUSED[refused]}
        </p>
      ) : null}
      <div className="panel">
        <dl className="facts">
          <dt>Disk</dt>
          <dd>
            {current.diskGb} GiB → {target.diskGb} GiB
          </dd>
          <dt>Transfer a month</dt>
          <dd>
            {current.transferGb.toLocaleString('en-GB')} GB → {target.transferGb.toLocaleString('en-GB')} GB
          </dd>
          <dt>Memory</dt>
          <dd>
            {current.memoryMb} MiB → {target.memoryMb} MiB
          </dd>
          <dt>CPU</dt>
          <dd>
            {current.vcpus} → {target.vcpus} vCPU
          </dd>
          <dt>Monthly price</dt>
          <dd>
            {formatMinor(current.priceCents)} → {formatMinor(target.priceCents)}, from next month
          </dd>
          <dt>{proration.amountMinor >= 0 ? 'Charged now' : 'Credited now'}</dt>
          <dd data-testid="prorated-price">
            <strong>{formatMinor(Math.abs(proration.amountMinor))}</strong> for the rest of this month
            <div className="small muted">{proration.explanation}</div>
            <div className="small muted">{ROUNDING_RULE}</div>
          </dd>
        </dl>
      </div>
      <form action={confirmOrderAction} aria-label="Confirm plan change">
        <input type="hidden" name="vmId" value={vm.id} />
        <input type="hidden" name="planId" value={target.id} />
        {/* One key per screen: a double click or a reload of the answer makes one order. */}
        <input type="hidden" name="idempotencyKey" value={randomUUID()} />
        <input type="hidden" name="expectedAmountMinor" value={proration.amountMinor} />
        <p className="muted small">
          The change is carried out by our provisioning system, usually within minutes; this VM&apos;s plan page shows its progress. A disk is grown, never
          shrunk below what it holds.
        </p>
        <div className="form-actions">
          <ConfirmButton
            label={
              proration.amountMinor >= 0
                ? `Confirm: ${upgrade ? 'upgrade' : 'move'} to ${target.name} for ${formatMinor(proration.amountMinor)}`
                : `Confirm: move to ${target.name} with a credit of ${formatMinor(-proration.amountMinor)}`
            }
          />
          <Link href={`/vms/${vm.id}/plan`}>Cancel</Link>
        </div>
      </form>
    </>
  );
}
