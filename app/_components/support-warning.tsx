import Link from 'next/link';
import type { Release } from '@/lib/guides/releases';
import { supportWarnings } from '@/lib/guides/vm-support';

/** The dashboard's banner: VMs whose release support ends within 90 days or has ended. Nothing when none. */
export function SupportWarning({
  releases,
  vms,
  today = new Date(),
}: {
  releases: readonly Release[];
  vms: ReadonlyArray<{ id: number; hostname: string; ubuntuRelease: string }>;
  today?: Date;
}) {
  const warnings = supportWarnings(releases, vms, today);
  if (warnings.length === 0) return null;
  return (
    <div className="error" role="alert" data-testid="support-warning" style={{ marginBottom: '1rem' }}>
      <strong>
        {warnings.length === 1 ? 'One VM runs' : `${warnings.length} VMs run`} an Ubuntu release at or past its end of support:
      </strong>
      <ul style={{ margin: '.25rem 0 0' }}>
        {warnings.map((w) => (
          <li key={w.id}>
            <Link href={`/vms/${w.id}/packages`}>{w.hostname}</Link>: {w.summary}
          </li>
        ))}
      </ul>
    </div>
  );
}
