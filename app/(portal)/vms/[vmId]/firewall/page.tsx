import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CodeBlock, GuideSteps } from '@/app/_components/guide-steps';
import { StateBadge } from '@/app/_components/state-badge';
import { requireCustomer } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { firewallGuide, monitoringReachability } from '@/lib/guides/firewall';
import { GuideInputError } from '@/lib/guides/net-schemas';
import { loadReleaseTable } from '@/lib/db/queries/releases';
import { findRelease } from '@/lib/guides/releases';
import { loadGuideSettings } from '@/lib/db/queries/settings';
import { vmSummary } from '@/lib/db/queries/vms';
import { ownedVmOnce } from '@/lib/vms/owned-vm-once';
import { visibleText } from '@/lib/monitoring/visible-text';
import { parseId } from '@/lib/vms/params';

export async function generateMetadata({ params }: { params: Promise<{ vmId: string }> }): Promise<Metadata> {
  const user = await requireCustomer();
  const vmId = parseId((await params).vmId);
  const vm = vmId === null ? null : await ownedVmOnce(user.accountId, vmId);
  return { title: vm ? `Monitoring firewall: ${visibleText(vm.hostname)}` : 'Monitoring firewall' };
}

export default async function FirewallPage({ params }: { params: Promise<{ vmId: string }> }) {
  const user = await requireCustomer();
  const vmId = parseId((await params).vmId);
  const db = getDb();
  const owned = vmId === null ? null : await ownedVmOnce(user.accountId, vmId);
  if (!owned) notFound();

  const [vm, { values: settings }, { releases }] = await Promise.all([vmSummary(db, owned), loadGuideSettings(db), loadReleaseTable(db)]);
  const release = findRelease(releases, vm.ubuntuRelease);
  const reach = monitoringReachability(vm.hostState);
  const addresses = [vm.address, ...(vm.addressV6 ? [vm.addressV6] : [])];
  let guide: ReturnType<typeof firewallGuide> | null = null;
  let problem: string | null = null;
  try {
    guide = firewallGuide({ addresses, ...(release ? { release } : {}) }, { monitorIps: settings.monitorIps });
  } catch (err) {
    if (!(err instanceof GuideInputError)) throw err;
    problem = err.message;
  }

  return (
    <>
      <p className="breadcrumb">
        <Link href="/">My VMs</Link> › <Link href={`/vms/${vm.id}`}>{vm.hostname}</Link> › Firewall
      </p>
      <h1>Firewall rules for our monitoring: {vm.hostname}</h1>

      <section aria-labelledby="reach-heading">
        <h2 id="reach-heading">Does our monitoring reach {vm.hostname}?</h2>
        <p className={reach.status === 'unreachable' ? 'error' : 'notice'} data-reachability={reach.status}>
          <StateBadge state={vm.hostState} /> {reach.message}
        </p>
      </section>

      {problem || !guide ? (
        <p className="error">{problem} Contact support.</p>
      ) : (
        <>
          <p>
            Our monitoring servers ({[...guide.ipv4Monitors, ...guide.ipv6Monitors].join(', ')}) ping your VM to see
            that it is up. If your firewall drops their ping, we see the VM as down. Pick <strong>one</strong> of
            the tools below.
          </p>
          <ul>
            {guide.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>

          <section aria-labelledby="iptables-heading">
            <h2 id="iptables-heading">iptables{guide.ipv6Monitors.length > 0 ? ' and ip6tables' : ''}</h2>
            <p>Already have a firewall that ends in DROP? Insert just the monitoring rule:</p>
            <CodeBlock text={guide.iptables.monitorRules.join('\n')} label="Copy monitoring rule" />
            <p>A pristine box: loopback, established connections, SSH, our monitoring, then drop everything else.</p>
            <CodeBlock text={guide.iptables.baseline.join('\n')} label="Copy baseline firewall" />
            <h3>Keep the rules across reboots</h3>
            <GuideSteps steps={guide.persistence.steps} />
          </section>

          <section aria-labelledby="nft-heading">
            <h2 id="nft-heading">nftables</h2>
            <CodeBlock text={guide.nftables.ruleset} label="Copy ruleset" caption={guide.nftables.path} />
            <GuideSteps steps={guide.nftables.steps} />
          </section>

          <section aria-labelledby="ufw-heading">
            <h2 id="ufw-heading">ufw</h2>
            <GuideSteps steps={guide.ufw.steps} />
          </section>
        </>
      )}
      <p>
        <Link href={`/vms/${vm.id}/packages`}>Package sources and release support</Link>
      </p>
    </>
  );
}
