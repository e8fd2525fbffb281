import type { Metadata } from 'next';
import { AlarmListener } from '@/app/_components/alarm-listener';
import { PollRefresh } from '@/app/_components/poll-refresh';
import { SupportWarning } from '@/app/_components/support-warning';
import { StaffViewBanner } from '@/app/_components/staff-view-banner';
import { requireAccountView } from '@/lib/vms/page-viewer';
import { firstValue } from '@/lib/vms/params';
import { getDb } from '@/lib/db';
import { UsageAttention } from '@/app/_components/usage-attention';
import { NextSteps } from '@/app/_components/next-steps';
import { NO_DATA_STEP, nextSteps } from '@/lib/monitoring/next-step';
import { dashboardData } from '@/lib/vms/dashboard-data';
import { dashboardRows } from '@/lib/vms/dashboard-rows';
import { displayTimeZone } from '@/lib/vms/display-zone';
import { VmTable } from './vm-table';
import type { VmSummary } from '@/lib/db/queries/vms';

export const metadata: Metadata = { title: 'My VMs' };

/** A VM's problems as the dashboard knows them: the host's state and its services that are not OK. */
function vmSteps(vm: VmSummary) {
  if (vm.worst === null) return [NO_DATA_STEP];
  return nextSteps([...(vm.hostState && vm.hostState !== 'UP' ? [{ service: null, state: vm.hostState }] : []), ...vm.problems]);
}

export default async function DashboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { user, accountId, accountName, staffView } = await requireAccountView(firstValue((await searchParams).account), 'dashboard');
  const today = new Date();
  const [{ vms, releases, outlooks, nearest }, timeZone] = await Promise.all([dashboardData(getDb(), accountId, today), displayTimeZone()]);
  const troubled = vms.map((vm) => ({ vm, steps: vmSteps(vm) })).filter((t) => t.steps.length > 0);
  return (
    <>
      <h1>{accountName}: virtual machines</h1>
      {staffView ? <StaffViewBanner accountName={accountName} accountId={accountId} /> : <AlarmListener />}
      <SupportWarning releases={releases.releases} vms={vms} today={today} />
      {outlooks.map((o) =>
        !staffView && o.outlook.forecast.attention.length > 0 ? (
          <UsageAttention key={o.vm.id} vmId={o.vm.id} hostname={o.vm.hostname} attention={o.outlook.forecast.attention} recommended={o.outlook.recommended} />
        ) : null,
      )}
      {troubled.length > 0 ? (
        <section aria-labelledby="attention-heading" className="attention">
          <h2 id="attention-heading">Needs attention</h2>
          {troubled.map(({ vm, steps }) => (
            <NextSteps key={vm.id} steps={steps} hostname={vm.hostname} vmId={vm.id} limit={3} heading="what this means and what you can do" />
          ))}
        </section>
      ) : null}
      {vms.length === 0 ? (
        <div className="panel">
          <h2>No virtual machines yet</h2>
          <p>
            When we set up a VM for {accountName}, it appears here with its live monitoring state: whether it is up, which
            services have problems and when it was last checked. Each VM has a page with its full history, how reliable it has
            been over the last day, week and month, and charts of disk use, load and transfer.
          </p>
          <p className="muted">
            Expected to see a VM here? Contact support and mention your account name, {accountName}, and your login, {user.username}.
          </p>
        </div>
      ) : (
        <>
          {/* The list is re-read when the account's states change; the JSON answer is the change signal. */}
          {staffView ? null : <PollRefresh url="/api/v1/vms" />}
          <VmTable {...dashboardRows(vms, { releases: releases.releases, nearest, today, timeZone })} serverNow={today.getTime()} />
        </>
      )}
    </>
  );
}
