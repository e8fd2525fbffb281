import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { StateBadge } from '@/app/_components/state-badge';
import { requireCustomer } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getAccountVm, parseId } from '@/lib/vms/queries';

export const metadata: Metadata = { title: 'VM' };

export default async function VmPage({ params }: { params: Promise<{ vmId: string }> }) {
  const user = await requireCustomer();
  const vmId = parseId((await params).vmId);
  const vm = vmId === null ? null : await getAccountVm(getDb(), user.accountId, vmId);
  if (!vm) notFound();
  return (
    <>
      <h1>{vm.hostname}</h1>
      <div className="panel">
        <dl className="facts">
          <dt>Host state</dt>
          <dd>
            <StateBadge state={vm.hostState} />
          </dd>
          <dt>Address</dt>
          <dd>
            {vm.address}
            {vm.addressV6 ? `, ${vm.addressV6}` : ''}
          </dd>
          <dt>Ubuntu</dt>
          <dd>{vm.ubuntuRelease}</dd>
          <dt>Plan</dt>
          <dd>{vm.plan.name}</dd>
        </dl>
      </div>
    </>
  );
}
