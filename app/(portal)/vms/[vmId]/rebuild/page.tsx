import type { Metadata } from 'next';
import Link from 'next/link';
import { LocalTime } from '@/app/_components/local-time';
import { OrderStatusCell } from '@/app/_components/order-status';
import { NagiosText } from '@/app/_components/nagios-text';
import { PollRefresh } from '@/app/_components/poll-refresh';
import { ReleaseBadge } from '@/app/_components/release-badge';
import { StaffViewBanner } from '@/app/_components/staff-view-banner';
import { getDb } from '@/lib/db';
import { openOrderForVm, ordersForVm } from '@/lib/db/queries/orders';
import { loadReleaseTable } from '@/lib/db/queries/releases';
import { releaseLabel } from '@/lib/guides/releases';
import { vmSupportStatus } from '@/lib/guides/vm-support';
import { visibleText } from '@/lib/monitoring/visible-text';
import { ORDER_WORDS } from '@/lib/plans/order-words';
import { isOpen } from '@/lib/plans/provisioning-message';
import { REBUILD_WHEN, rebuildTargets, type RebuildTarget } from '@/lib/plans/rebuild';
import { requireVmView } from '@/lib/vms/page-viewer';
import { firstValue } from '@/lib/vms/params';

type Props = { params: Promise<{ vmId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { vm } = await requireVmView((await params).vmId);
  return { title: `Rebuild: ${visibleText(vm.hostname)}` };
}

const RELATION: Record<RebuildTarget['relation'], string> = {
  newer: 'Newer than the VM’s release',
  same: 'The VM’s release now: a clean reinstall',
  older: 'Older than the VM’s release',
};

/** A VM's rebuild: what it does to the data, the releases it can be rebuilt on, and its rebuild orders. */
export default async function RebuildPage({ params, searchParams }: Props) {
  const { vm, staffView, accountName } = await requireVmView((await params).vmId, 'rebuild');
  const db = getDb();
  const sp = await searchParams;
  const now = new Date();
  const [table, orders, open] = await Promise.all([loadReleaseTable(db), ordersForVm(db, vm, 20), openOrderForVm(db, vm)]);
  const support = vmSupportStatus(table.releases, vm.ubuntuRelease, now);
  const targets = rebuildTargets(table.releases, vm.ubuntuRelease, now);
  const rebuilds = orders.filter((o) => o.kind === 'rebuild');
  // The order named in the address after the POST, else the latest rebuild while it is open or just ended.
  const latest = rebuilds[0];
  const recent = latest && (isOpen(latest.status) || now.getTime() - latest.updatedAt.getTime() < 15 * 60_000) ? latest : undefined;
  const shown = rebuilds.find((o) => String(o.id) === firstValue(sp.order)) ?? recent;
  const notice = firstValue(sp.notice);

  return (
    <>
      <p className="breadcrumb">
        <Link href="/">My VMs</Link> / <Link href={`/vms/${vm.id}`}><NagiosText text={vm.hostname} /></Link> / {staffView ? 'Packages' : <Link href={`/vms/${vm.id}/packages`}>Packages</Link>} / Rebuild
      </p>
      <h1>
        Rebuild <NagiosText text={vm.hostname} /> on a fresh image
      </h1>
      {open ? <PollRefresh url={`/api/v1/orders/${open.id}`} /> : null}
      {staffView ? <StaffViewBanner hostname={vm.hostname} accountName={accountName} /> : null}
      {notice === 'open-order' ? (
        <p className="notice" role="status">
          An order for this VM is already under way (a plan change or a rebuild): a rebuild can be ordered once it has ended. Nothing new was ordered.
        </p>
      ) : null}
      {shown ? (
        <p className="notice" role="status" data-testid="rebuild-status">
          Order #{shown.id}, rebuild on Ubuntu {shown.targetRelease}: {ORDER_WORDS[shown.status]}.
          {shown.status === 'completed'
            ? ` The VM now runs Ubuntu ${shown.targetRelease}; its package sources and firewall instructions are for the new release. Restore your data from your backups.`
            : shown.status === 'failed'
              ? ` ${shown.reason ?? ''} Please contact support.`
              : shown.status === 'cancelled'
                ? ` ${shown.reason ?? ''}`
                : ' This page updates by itself.'}
        </p>
      ) : null}

      <div className="error" role="note" data-testid="rebuild-warning">
        <p style={{ marginTop: 0 }}>
          <strong>A rebuild destroys all data on this VM.</strong> Its disk is replaced with a brand-new image of the release you choose: every file, database,
          user and setting on it now is deleted, and we cannot bring it back.
        </p>
        <p style={{ marginBottom: 0 }}>Before you order, check that your backups are up to date and that you can restore them onto the new release.</p>
      </div>

      <div className="panel">
        <dl className="facts">
          <dt>Release now</dt>
          <dd>
            {support.release ? releaseLabel(support.release) : `Ubuntu ${vm.ubuntuRelease}`} <ReleaseBadge support={support} />
          </dd>
          <dt>When</dt>
          <dd>{REBUILD_WHEN}</dd>
          <dt>Price</dt>
          <dd>Free: the plan ({vm.planName}) and its monthly price stay the same.</dd>
          <dt>One order at a time</dt>
          <dd>While a plan change or a rebuild is under way for this VM, neither can be ordered again until it has ended.</dd>
        </dl>
      </div>

      <section aria-labelledby="targets-heading">
        <h2 id="targets-heading">Releases we can build</h2>
        <p className="muted small">
          Only releases that are still supported: out already, with standard support not yet over ({table.source.customerDescription.replace(/\.$/, "")}). A release past its standard support is
          never built, even where Ubuntu Pro still covers it.
        </p>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Releases this VM can be rebuilt onto</caption>
            <thead>
              <tr>
                <th scope="col">Release</th>
                <th scope="col">Standard support until</th>
                <th scope="col">
                  <span className="visually-hidden">Order</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {targets.map((t) => (
                <tr key={t.release.version} data-testid="rebuild-target" data-release={t.release.version}>
                  <th scope="row">
                    {releaseLabel(t.release)}
                    <div className="small muted">{RELATION[t.relation]}</div>
                  </th>
                  <td>
                    {t.status.standardEnd}
                    {t.status.badge === 'ending' ? <div className="small">Ends within 90 days: a longer-supported release is a better choice.</div> : null}
                  </td>
                  <td>
                    {staffView ? null : open ? (
                      <span className="small muted">An order is under way</span>
                    ) : (
                      <Link prefetch={false} href={`/vms/${vm.id}/rebuild/confirm?release=${encodeURIComponent(t.release.version)}`}>
                        Rebuild on Ubuntu {t.release.fullVersion}
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="rebuilds-heading">
        <h2 id="rebuilds-heading">Rebuilds</h2>
        {rebuilds.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">This VM&apos;s rebuilds</caption>
              <thead>
                <tr>
                  <th scope="col">Order</th>
                  <th scope="col">Release</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {rebuilds.map((o) => (
                  <tr key={o.id} data-testid="rebuild-row">
                    <td>
                      #{o.id}, <LocalTime at={o.createdAt} />
                      <div className="small muted">by {o.requestedBy}</div>
                    </td>
                    <td>Ubuntu {o.targetRelease}</td>
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
