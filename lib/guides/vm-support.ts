import { toIsoDay, type DayInput } from './days';
import {
  describeSupport,
  findRelease,
  supportStatus,
  type Release,
  type SupportBadge,
  type SupportStatus,
} from './releases';

export type VmSupportBadge = SupportBadge | 'unknown';

export interface VmSupport {
  badge: VmSupportBadge;
  /** Short text for the badge: "supported", "ends in 42 days", "ended 2025-05-29", "unknown release". */
  label: string;
  /** The sentence from describeSupport, or why the release is unknown. */
  summary: string;
  release?: Release;
  status?: SupportStatus;
}

/** A VM's support state from its ubuntu_release ("22.04"); an unknown release is said so, never guessed. */
export function vmSupportStatus(releases: readonly Release[], ubuntuRelease: string, today: DayInput): VmSupport {
  const release = findRelease(releases, ubuntuRelease);
  if (!release) {
    return {
      badge: 'unknown',
      label: 'unknown release',
      summary: `Ubuntu ${ubuntuRelease} is not in the release table, so its support dates are unknown.`,
    };
  }
  const status = supportStatus(release, toIsoDay(today));
  const label =
    status.badge === 'supported'
      ? 'supported'
      : status.badge === 'ending'
        ? `ends in ${status.daysToStandardEnd === 1 ? '1 day' : `${status.daysToStandardEnd} days`}`
        : `ended ${status.standardEnd}`;
  return { badge: status.badge, label, summary: describeSupport(release, status), release, status };
}

export interface SupportWarning {
  id: number;
  hostname: string;
  badge: 'ending' | 'ended';
  summary: string;
}

/** VMs within the warning window of, or past, the end of standard support, ended ones first. */
export function supportWarnings(
  releases: readonly Release[],
  vms: ReadonlyArray<{ id: number; hostname: string; ubuntuRelease: string }>,
  today: DayInput,
): SupportWarning[] {
  const out: SupportWarning[] = [];
  for (const vm of vms) {
    const s = vmSupportStatus(releases, vm.ubuntuRelease, today);
    if (s.badge === 'ending' || s.badge === 'ended') out.push({ id: vm.id, hostname: vm.hostname, badge: s.badge, summary: s.summary });
  }
  return out.sort((a, b) => (a.badge === b.badge ? a.hostname.localeCompare(b.hostname) : a.badge === 'ended' ? -1 : 1));
}
