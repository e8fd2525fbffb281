import type { Metadata } from 'next';
import Link from 'next/link';
import { StateBadge } from '@/app/_components/state-badge';
import { LocalTime } from '@/app/_components/local-time';
import { requireCustomer } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listAccountVms } from '@/lib/vms/queries';

export const metadata: Metadata = { title: 'My VMs' };

export default async function DashboardPage() {
  const user = await requireCustomer();
  const vms = await listAccountVms(getDb(), user.accountId);
  return (
    <>
      <h1>{user.accountName}: virtual machines</h1>
      {vms.length === 0 ? (
        <div className="panel">
          <p>Your account has no virtual machines yet.</p>
          <p className="muted">
            Once we provision a VM for you it appears here with its monitoring state. Questions? Contact support.
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">VM</th>
                <th scope="col">Host</th>
                <th scope="col">Open problems</th>
                <th scope="col">Ubuntu</th>
                <th scope="col">Plan</th>
                <th scope="col">Last check</th>
              </tr>
            </thead>
            <tbody>
              {vms.map((vm) => (
                <tr key={vm.id}>
                  <td>
                    <Link href={`/vms/${vm.id}`}>{vm.hostname}</Link>
                    <div className="muted">{vm.address}</div>
                  </td>
                  <td>
                    <StateBadge state={vm.hostState} />
                  </td>
                  <td>
                    {vm.problems.length === 0
                      ? 'None'
                      : vm.problems.map((p) => (
                          <div key={p.service}>
                            <StateBadge state={p.state} stateType={p.stateType} /> {p.service}
                          </div>
                        ))}
                  </td>
                  <td>{vm.ubuntuRelease}</td>
                  <td>{vm.plan.name}</td>
                  <td>{vm.lastCheckAt ? <LocalTime at={vm.lastCheckAt} /> : 'No data yet'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
