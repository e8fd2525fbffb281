import type { Metadata } from 'next';
import Link from 'next/link';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listAccounts, listPlansForStaff } from '@/lib/db/queries/onboarding';
import { formatMinor } from '@/lib/plans/proration';
import { ImportForm } from './import-form';

export const metadata: Metadata = { title: 'Import from Nagios' };

/** Staff create VMs in bulk from the hosts Nagios monitors, read from its objects.cache. */
export default async function ImportFromNagiosPage() {
  await requireStaff();
  const db = getDb();
  const [accounts, plans] = await Promise.all([listAccounts(db), listPlansForStaff(db)]);
  const active = plans.filter((p) => p.active);
  const cheapest = [...active].sort((a, b) => a.priceMinor - b.priceMinor || a.sortOrder - b.sortOrder)[0];
  return (
    <>
      <p className="breadcrumb">
        <Link href="/admin/vms">VMs</Link> / Import
      </p>
      <h1>Import from Nagios</h1>
      <p>
        Nagios writes every host it monitors to its object cache each time it starts: the <code>object_cache_file</code> in <code>nagios.cfg</code>,{' '}
        <code>/var/lib/nagios4/objects.cache</code> on Debian and Ubuntu. Paste that file or upload it (up to 5 MB), choose whose VMs they are, then tick the hosts
        to create. A host that already has a VM, or whose address is not an IP address, is shown but not created.
      </p>
      {accounts.length === 0 || active.length === 0 ? (
        <p className="error">
          VMs need an account and a plan: create {accounts.length === 0 ? <Link href="/admin/accounts">an account</Link> : <Link href="/admin/plans">a plan</Link>}{' '}
          first.
        </p>
      ) : (
        <ImportForm
          accounts={accounts.map((a) => ({ value: a.key, label: `${a.name} (${a.key})` }))}
          plans={active.map((p) => ({ value: p.slug, label: `${p.name} (${formatMinor(p.priceMinor, p.currency)} a month)` }))}
          defaults={{ accountKey: '', planSlug: cheapest?.slug ?? '', ubuntuRelease: '24.04' }}
        />
      )}
    </>
  );
}
