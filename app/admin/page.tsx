import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import Link from 'next/link';
import { LocalTime } from '@/app/_components/local-time';
import { describeAudit } from '@/lib/admin/audit-words';
import { listAccountsWithCounts, listAllVms } from '@/lib/db/queries/admin';
import { searchAudit } from '@/lib/db/queries/audit';
import { newDeadLetterCount } from '@/lib/db/queries/pipeline';
import { openRelayHosts } from '@/lib/db/queries/mx-relay';
import { loadGuideSettings } from '@/lib/db/queries/settings';
import { OpenRelayBanner } from '@/app/_components/open-relay-banner';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { NagiosText } from '@/app/_components/nagios-text';
import { TIME_ZONE_COOKIE, resolveTimeZone } from '@/lib/vms/time-zone';

export const metadata: Metadata = { title: 'Admin' };

export default async function AdminPage() {
  await requireStaff();
  const db = getDb();
  const timeZone = resolveTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value);
  const [accountRows, vmRows, deadLetters, audit, openRelays, guideSettings] = await Promise.all([
    listAccountsWithCounts(db),
    listAllVms(db),
    newDeadLetterCount(db),
    searchAudit(db, { limit: 20 }),
    openRelayHosts(db),
    loadGuideSettings(db),
  ]);
  const mxHosts = new Set(guideSettings.values.mxHosts.map((h) => h.host));
  return (
    <>
      <OpenRelayBanner checks={openRelays.filter((c) => mxHosts.has(c.mxHost))} />
      <h1>Support overview</h1>
      {deadLetters > 0 && <p className="error">{deadLetters} message(s) in the dead-letter store need attention.</p>}
      <h2>Accounts</h2>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Accounts</caption>
          <thead>
            <tr><th scope="col">Account</th><th scope="col">Directory key</th><th scope="col">VMs</th><th scope="col">Users</th></tr>
          </thead>
          <tbody>
            {accountRows.map((a) => (
              <tr key={a.id}><td>{a.name}</td><td><code>{a.slug}</code></td><td>{a.vmCount}</td><td>{a.userCount}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>All VMs</h2>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">All VMs</caption>
          <thead>
            <tr><th scope="col">VM</th><th scope="col">Address</th><th scope="col">Account</th><th scope="col">Plan</th><th scope="col">Ubuntu</th></tr>
          </thead>
          <tbody>
            {vmRows.map((vm) => (
              <tr key={vm.id}><td><NagiosText text={vm.hostname} /></td><td>{vm.address}</td><td>{vm.account}</td><td>{vm.plan}</td><td>{vm.release}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Recent activity</h2>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Recent monitoring events</caption>
          <thead>
            <tr><th scope="col">When</th><th scope="col">What happened</th><th scope="col">Address</th></tr>
          </thead>
          <tbody>
            {audit.map((entry) => (
              <tr key={entry.id}>
                <td><LocalTime at={entry.at} /></td>
                <td>{describeAudit(entry, { timeZone })}</td>
                <td>{entry.ip ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p><Link href="/admin/audit">The whole audit log, searchable →</Link></p>
    </>
  );
}
