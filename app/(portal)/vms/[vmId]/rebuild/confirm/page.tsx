import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { LocalTime } from '@/app/_components/local-time';
import { NagiosText } from '@/app/_components/nagios-text';
import { requireCustomer } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { openOrderForVm } from '@/lib/db/queries/orders';
import { loadReleaseTable } from '@/lib/db/queries/releases';
import { ownedVm } from '@/lib/db/queries/vms';
import { findRelease, releaseLabel } from '@/lib/guides/releases';
import { REBUILD_WHEN, rebuildTarget } from '@/lib/plans/rebuild';
import { firstValue, parseId } from '@/lib/vms/params';
import { ConfirmButton } from '../../plan/confirm/confirm-button';
import { confirmRebuildAction } from '../actions';

export const metadata: Metadata = { title: 'Confirm rebuild' };

type Props = { params: Promise<{ vmId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const REFUSED: Record<string, string> = {
  'wrong-confirmation': 'The host name you typed is not this VM’s, so nothing was ordered. Type it exactly as shown below (capitals do not matter).',
  'key-reused': 'That confirmation was already used for another order. Nothing new was ordered: please confirm again.',
  'bad-request': 'The order could not be read. Nothing was ordered: please confirm again.',
};

/** The one confirmation screen of a rebuild: what is destroyed, what it becomes, when, and the host name typed as proof. Customers only. */
export default async function ConfirmRebuildPage({ params, searchParams }: Props) {
  const user = await requireCustomer();
  const vmId = parseId((await params).vmId);
  const db = getDb();
  const vm = vmId === null ? null : await ownedVm(db, user.accountId, vmId);
  if (!vm) notFound();
  const sp = await searchParams;
  const wanted = firstValue(sp.release) ?? '';
  if (wanted === '') redirect(`/vms/${vm.id}/rebuild`);
  if (await openOrderForVm(db, vm)) redirect(`/vms/${vm.id}/rebuild?notice=open-order`);
  const now = new Date();
  const { releases } = await loadReleaseTable(db);
  const target = rebuildTarget(releases, vm.ubuntuRelease, wanted, now);
  const refused = firstValue(sp.refused);
  const back = (
    <p className="breadcrumb">
      <Link href="/">My VMs</Link> / <Link href={`/vms/${vm.id}`}><NagiosText text={vm.hostname} /></Link> / <Link href={`/vms/${vm.id}/packages`}>Packages</Link> /{' '}
      <Link href={`/vms/${vm.id}/rebuild`}>Rebuild</Link> / Confirm
    </p>
  );
  if (!target.ok) {
    return (
      <>
        {back}
        <h1>This rebuild cannot be ordered</h1>
        <p className="error" role="alert">
          {target.error.message}
        </p>
        <p>
          <Link href={`/vms/${vm.id}/rebuild`}>Back to the releases we can build</Link>
        </p>
      </>
    );
  }
  const release = target.value.release;
  const current = findRelease(releases, vm.ubuntuRelease);
  return (
    <>
      {back}
      <h1>
        Rebuild <NagiosText text={vm.hostname} /> on {releaseLabel(release)}
      </h1>
      {refused && REFUSED[refused] ? (
        <p className="error" role="alert" data-testid="rebuild-refused">
          {REFUSED[refused]}
        </p>
      ) : null}
      <div className="error" role="note" data-testid="rebuild-warning">
        <p style={{ marginTop: 0 }}>
          <strong>
            All data on <NagiosText text={vm.hostname} /> will be destroyed.
          </strong>{' '}
          The VM gets a brand-new disk with a fresh install of {releaseLabel(release)}. Everything on it now (files, databases, users, settings, installed
          software) is deleted, and we cannot recover it afterwards.
        </p>
        <p style={{ marginBottom: 0 }}>Check now that your backups are up to date and complete: you will restore your data from them.</p>
      </div>
      <div className="panel">
        <dl className="facts">
          <dt>Release now</dt>
          <dd>{current ? releaseLabel(current) : `Ubuntu ${vm.ubuntuRelease}`}</dd>
          <dt>After the rebuild</dt>
          <dd>
            {releaseLabel(release)}, standard support until {target.value.status.standardEnd}
            {target.value.relation === 'same' ? ' (the same release, installed afresh)' : null}
          </dd>
          <dt>When</dt>
          <dd data-testid="rebuild-when">
            {REBUILD_WHEN} <span className="small muted">(This page was shown at <LocalTime at={now} />.)</span>
          </dd>
          <dt>Price</dt>
          <dd>Free: the plan ({vm.planName}) and its monthly price stay the same.</dd>
        </dl>
      </div>
      <form action={confirmRebuildAction} aria-label="Confirm rebuild">
        <input type="hidden" name="vmId" value={vm.id} />
        <input type="hidden" name="ubuntuRelease" value={release.version} />
        {/* One key per screen: a double click or a reload of the answer makes one order. */}
        <input type="hidden" name="idempotencyKey" value={randomUUID()} />
        <label>
          To confirm, type the VM’s host name, <strong>{vm.hostname}</strong>
          <input name="confirmHostname" type="text" required autoComplete="off" autoCapitalize="off" spellCheck={false} />
        </label>
        <p className="muted small">
          While the rebuild is under way no plan change or other rebuild can be ordered for this VM. Monitoring will see the VM down while it is rebuilt: a maintenance
          pause on the <Link href={`/vms/${vm.id}`}>VM’s page</Link> keeps those alerts quiet.
        </p>
        <div className="form-actions">
          <ConfirmButton label={`Destroy all data and rebuild on Ubuntu ${release.fullVersion}`} />
          <Link href={`/vms/${vm.id}/rebuild`}>Cancel</Link>
        </div>
      </form>
    </>
  );
}
