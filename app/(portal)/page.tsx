import type { Metadata } from 'next';
import Link from 'next/link';
import { AlarmListener } from '@/app/_components/alarm-listener';
import { LocalTime } from '@/app/_components/local-time';
import { PollRefresh } from '@/app/_components/poll-refresh';
import { ReleaseBadge } from '@/app/_components/release-badge';
import { StateBadge } from '@/app/_components/state-badge';
import { SupportWarning } from '@/app/_components/support-warning';
import { StaffViewBanner } from '@/app/_components/staff-view-banner';
import { requireAccountView } from '@/lib/vms/page-viewer';
import { firstValue } from '@/lib/vms/params';
import { getDb } from '@/lib/db';
import { vmSupportStatus } from '@/lib/guides/vm-support';
import { UsageAttention } from '@/app/_components/usage-attention';
import { NagiosText } from '@/app/_components/nagios-text';
import { NextSteps } from '@/app/_components/next-steps';
import { NO_DATA_STEP, nextSteps } from '@/lib/monitoring/next-step';
import { dashboardData } from '@/lib/vms/dashboard-data';
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
  const { vms, releases, outlooks, nearest } = await dashboardData(getDb(), accountId, today);
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
          <div className="table-wrap">
            <table className="stack">
              <caption className="visually-hidden">Your virtual machines and their current state, the worst first</caption>
              <thead>
                <tr>
                  <th scope="col">VM</th>
                  <th scope="col">Worst state</th>
                  <th scope="col">Host</th>
                  <th scope="col">Open problems</th>
                  <th scope="col">Last check result</th>
                  <th scope="col">Ubuntu</th>
                  <th scope="col">Plan</th>
                </tr>
              </thead>
              <tbody>
                {vms.map((vm) => (
                  <tr key={vm.id}>
                    <td>
                      <Link href={`/vms/${vm.id}`}><NagiosText text={vm.hostname} /></Link>
                      <div className="muted">{vm.address}</div>
                    </td>
                    <td data-label="Worst state">
                      <StateBadge state={vm.worst} />
                    </td>
                    <td data-label="Host">
                      <StateBadge state={vm.hostState} />
                    </td>
                    <td data-label="Open problems">
                      {vm.problems.length === 0
                        ? 'None'
                        : vm.problems.map((p) => (
                            <div key={p.service}>
                              <StateBadge state={p.state} stateType={p.stateType} /> <NagiosText text={p.service} />
                            </div>
                          ))}
                    </td>
                    <td data-label="Last check result">{vm.lastCheckAt ? <LocalTime at={vm.lastCheckAt} now={today} /> : 'No data yet'}</td>
                    <td data-label="Ubuntu">
                      {vm.ubuntuRelease}{' '}
                      <Link href={`/vms/${vm.id}/packages`} className="badge-link">
                        <ReleaseBadge support={vmSupportStatus(releases.releases, vm.ubuntuRelease, today)} />
                      </Link>
                    </td>
                    <td data-label="Plan">
                      <Link href={`/vms/${vm.id}/plan`}>{vm.plan.name}</Link>
                      {(() => {
                        const f = nearest.get(vm.id);
                        if (!f) return null;
                        return (
                          <div className={`small ${f.now ? 'forecast-now' : 'muted'}`} data-testid="nearest-forecast">
                            {f.what}
                            {f.now ? '.' : <> <LocalTime at={f.on} />.</>}
                          </div>
                        );
                      })()}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
