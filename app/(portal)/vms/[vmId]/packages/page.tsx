import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CodeBlock, GuideSteps } from '@/app/_components/guide-steps';
import { PollRefresh } from '@/app/_components/poll-refresh';
import { ReleaseBadge } from '@/app/_components/release-badge';
import { requireCustomer } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { ordersForVm } from '@/lib/db/queries/orders';
import { loadReleaseTable } from '@/lib/db/queries/releases';
import { releaseLabel, upgradePath, type UpgradePrompt } from '@/lib/guides/releases';
import { loadGuideSettings } from '@/lib/db/queries/settings';
import { ownedVmOnce } from '@/lib/vms/owned-vm-once';
import { visibleText } from '@/lib/monitoring/visible-text';
import { aptSources } from '@/lib/guides/sources-list';
import { vmSupportStatus } from '@/lib/guides/vm-support';
import { ORDER_WORDS } from '@/lib/plans/order-words';
import { isOpen } from '@/lib/plans/provisioning-message';
import { rebuildTargets } from '@/lib/plans/rebuild';
import { parseId } from '@/lib/vms/params';

export async function generateMetadata({ params }: { params: Promise<{ vmId: string }> }): Promise<Metadata> {
  const user = await requireCustomer();
  const vmId = parseId((await params).vmId);
  const vm = vmId === null ? null : await ownedVmOnce(user.accountId, vmId);
  return { title: vm ? `Packages: ${visibleText(vm.hostname)}` : 'Packages and release support' };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function days(n: number): string {
  const abs = Math.abs(n);
  const text = abs === 1 ? '1 day' : `${abs} days`;
  return n > 0 ? `in ${text}` : n === 0 ? 'today' : `${text} ago`;
}

export default async function PackagesPage({ params, searchParams }: { params: Promise<{ vmId: string }>; searchParams: SearchParams }) {
  const user = await requireCustomer();
  const vmId = parseId((await params).vmId);
  const db = getDb();
  const vm = vmId === null ? null : await ownedVmOnce(user.accountId, vmId);
  if (!vm) notFound();

  const query = await searchParams;
  const backports = query.backports === '1';
  const [{ values: settings }, table, orders] = await Promise.all([loadGuideSettings(db), loadReleaseTable(db), ordersForVm(db, vm, 10)]);
  const today = new Date();
  const support = vmSupportStatus(table.releases, vm.ubuntuRelease, today);
  const release = support.release;
  const rebuildHref = `/vms/${vm.id}/rebuild`;
  const newer = rebuildTargets(table.releases, vm.ubuntuRelease, today).filter((t) => t.relation === 'newer');
  // Any open order holds the VM (one at a time); a rebuild that ended in the last day is still news here,
  // a completed one only while the VM is on the release it installed (staff may have corrected it since).
  const openOrder = orders.find((o) => isOpen(o.status));
  const rebuild = orders.find(
    (o) =>
      o.kind === 'rebuild' &&
      (isOpen(o.status) || (today.getTime() - o.updatedAt.getTime() < 86_400_000 && (o.status !== 'completed' || o.targetRelease === vm.ubuntuRelease))),
  );
  const rebuilding = rebuild !== undefined && isOpen(rebuild.status);
  const base = `/vms/${vm.id}/packages`;
  const href = (changes: { backports?: boolean; prompt?: UpgradePrompt }) => {
    const p = new URLSearchParams();
    if (changes.backports ?? backports) p.set('backports', '1');
    const prompt = changes.prompt ?? (query.prompt === 'normal' || query.prompt === 'lts' ? query.prompt : undefined);
    if (prompt) p.set('prompt', prompt);
    const s = p.toString();
    return s ? `${base}?${s}` : base;
  };

  const header = (
    <>
      <p className="breadcrumb">
        <Link href="/">My VMs</Link> › <Link href={`/vms/${vm.id}`}>{vm.hostname}</Link> › Packages
      </p>
      <h1>Packages and release support: {vm.hostname}</h1>
      {openOrder ? <PollRefresh url={`/api/v1/orders/${openOrder.id}`} /> : null}
      {rebuild ? (
        <p className="notice" role="status" data-testid="rebuild-status">
          Rebuild on Ubuntu {rebuild.targetRelease} (order #{rebuild.id}): {ORDER_WORDS[rebuild.status]}.{' '}
          {rebuild.status === 'completed' ? 'The instructions below are for the new release.' : isOpen(rebuild.status) ? 'This page updates by itself.' : null}{' '}
          <Link href={rebuildHref}>Details</Link>
        </p>
      ) : null}
    </>
  );
  if (!release || !support.status) {
    return (
      <>
        {header}
        <p className="error">{support.summary} Contact support so we can correct the release recorded for this VM.</p>
        <p>
          Or start afresh: <Link href={rebuildHref}>rebuild the VM on a supported release</Link> (this destroys its data).
        </p>
      </>
    );
  }

  const status = support.status;
  const prompt: UpgradePrompt = query.prompt === 'normal' || query.prompt === 'lts' ? query.prompt : release.isLts ? 'lts' : 'normal';
  const path = upgradePath(table.releases, release, today, prompt);
  const sources = aptSources(release, {
    mirrorUrl: settings.mirrorUrl,
    mirroredSeries: settings.mirrorSeries,
    includeBackports: backports,
    today,
  });
  const fileName = sources.path.split('/').at(-1) ?? 'sources.list';
  const download = `/api/v1/vms/${vm.id}/sources${backports ? '?backports=1' : ''}`;

  return (
    <>
      {header}
      {status.badge === 'ended' && !rebuilding ? (
        <div className="error" role="alert" data-testid="rebuild-banner">
          <p style={{ margin: 0 }}>
            <strong>{releaseLabel(release)} no longer gets standard security updates.</strong> Upgrade it in place (below), or{' '}
            <Link href={rebuildHref}>rebuild it on a fresh image of a supported release</Link>: free, but the new image replaces everything on the VM, so your data must
            come back from your backups.
          </p>
        </div>
      ) : null}
      <section aria-labelledby="support-heading">
        <h2 id="support-heading">
          Release support <ReleaseBadge support={support} />
        </h2>
        <div className="panel">
          <p style={{ marginTop: 0 }}>{support.summary}</p>
          <dl className="facts">
            <dt>Release</dt>
            <dd>{releaseLabel(release)}</dd>
            <dt>Standard support ends</dt>
            <dd>
              {status.standardEnd} ({days(status.daysToStandardEnd)})
            </dd>
            {release.eolServer && release.eolServer !== release.eol && (
              <>
                <dt>Desktop support ends</dt>
                <dd>{release.eol} (servers: {release.eolServer}, which applies to your VM)</dd>
              </>
            )}
            <dt>Expanded Security Maintenance ends</dt>
            <dd>{status.esmEnd && status.daysToEsmEnd !== undefined ? `${status.esmEnd} (${days(status.daysToEsmEnd)}; needs Ubuntu Pro)` : 'No ESM for this release'}</dd>
          </dl>
          <p className="small muted" style={{ marginBottom: 0 }}>
            Dates: {table.source.customerDescription} <Link href="/releases">All releases</Link>
          </p>
        </div>
      </section>

      <section aria-labelledby="upgrade-heading">
        <h2 id="upgrade-heading">Upgrade path</h2>
        <dl className="facts">
          <dt>Next release</dt>
          <dd data-testid="next-release">{path.nextRelease ? releaseLabel(path.nextRelease) : 'None yet'}</dd>
          <dt>Next LTS release</dt>
          <dd data-testid="next-lts">{path.nextLts ? releaseLabel(path.nextLts) : 'None yet'}</dd>
        </dl>
        <nav className="segmented" aria-label="Upgrade strategy" style={{ marginTop: '.75rem' }}>
          <Link href={href({ prompt: 'lts' })} aria-current={prompt === 'lts' ? 'page' : undefined}>
            Prompt=lts (LTS to LTS)
          </Link>
          <Link href={href({ prompt: 'normal' })} aria-current={prompt === 'normal' ? 'page' : undefined}>
            Prompt=normal (every release)
          </Link>
        </nav>
        {path.warnings.map((w) => (
          <p key={w} className="error">{w}</p>
        ))}
        {path.target ? (
          <>
            <p data-testid="upgrade-target">
              With <code>Prompt={path.prompt}</code>, <code>do-release-upgrade</code> takes {vm.hostname} to{' '}
              <strong>{releaseLabel(path.target)}</strong>.
            </p>
            <GuideSteps steps={path.steps} />
          </>
        ) : null}
        {path.advice.length > 0 && (
          <ul>
            {path.advice.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="rebuild-heading">
        <h2 id="rebuild-heading">Rebuild on a newer release</h2>
        <p>
          Instead of upgrading in place, we can give {vm.hostname} a brand-new image of any release that is still supported. It is free, but{' '}
          <strong>it destroys all data on the VM</strong>: make sure your backups are up to date.
        </p>
        {openOrder ? (
          <p className="muted">An order for this VM is under way (a plan change or a rebuild): a rebuild can be ordered once it has ended.</p>
        ) : newer.length > 0 ? (
          <ul>
            {newer.map((t) => (
              <li key={t.release.version}>
                <Link prefetch={false} href={`${rebuildHref}/confirm?release=${encodeURIComponent(t.release.version)}`}>
                  Rebuild on {releaseLabel(t.release)}
                </Link>{' '}
                <span className="small muted">supported until {t.status.standardEnd}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{releaseLabel(release)} is the newest supported release.</p>
        )}
        <p>
          <Link href={rebuildHref}>All releases we can build, and this VM&apos;s rebuilds</Link>
        </p>
      </section>

      <section aria-labelledby="sources-heading">
        <h2 id="sources-heading">Package sources</h2>
        <p>
          Point apt at {sources.notes.length === 0 && sources.warnings.length === 0 ? 'our mirror' : 'these archives'} for{' '}
          {releaseLabel(release)}: the release, -updates and -security pockets with every component. The file is{' '}
          <code>{sources.path}</code> ({sources.format === 'deb822' ? 'deb822 format, Ubuntu 24.04 and later' : 'one-line format'}).
        </p>
        <nav className="segmented" aria-label="Backports">
          <Link href={href({ backports: false })} aria-current={!backports ? 'page' : undefined}>
            Without backports
          </Link>
          <Link href={href({ backports: true })} aria-current={backports ? 'page' : undefined}>
            With -backports
          </Link>
        </nav>
        {sources.warnings.map((w) => (
          <p key={w} className="error">{w}</p>
        ))}
        {sources.notes.map((n) => (
          <p key={n} className="notice">{n}</p>
        ))}
        <CodeBlock text={sources.content} label="Copy sources" caption={sources.path} />
        <p>
          <a href={download} download={fileName}>
            Download {fileName}
          </a>
        </p>
        <GuideSteps steps={sources.steps} />
      </section>

      <p>
        <Link href={`/vms/${vm.id}/firewall`}>Firewall rules for our monitoring</Link>
      </p>
    </>
  );
}
