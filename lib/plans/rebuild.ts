import type { OrderPricing } from '../db/schema';
import { toIsoDay, type DayInput } from '../guides/days';
import { findRelease, releaseLabel, supportStatus, type Release, type SupportStatus } from '../guides/releases';
import { fail, ok, type Result } from '../result';

// A rebuild: a brand-new image of a release that is still supported, in place of the VM's disk (the
// seed's release guide: "we can create you a brand new image of the release you need as long as it's
// still supported … your data won't be on the new release"). Pure: the order, the pages and the API
// share these rules.
//
// Which releases: every release in the table that has come out and whose standard support (the server
// end) has not ended. That includes the VM's own release while it is supported, a clean reinstall being
// the usual way back from a broken upgrade or a compromised box, and an older LTS still supported, as
// "the release you need" may be the one the customer's software was certified on. An ended release is
// never built, ESM or not: an image of it starts out without security updates.

export interface RebuildTarget {
  release: Release;
  status: SupportStatus;
  /** How it stands to the VM's release now: a newer one, the same one (a fresh install), or an older one. */
  relation: 'newer' | 'same' | 'older';
}

export type RebuildRefusal =
  | { code: 'unknown-release'; message: string }
  | { code: 'unsupported-release'; message: string }
  | { code: 'wrong-confirmation'; message: string };

/** What the customer is told about when: there is no scheduling, the provisioning system starts on its own. */
export const REBUILD_WHEN =
  'Straight away: our provisioning system starts the rebuild within a few minutes of your confirmation. The VM is switched off and unreachable until the new image boots, usually within half an hour.';

function relationTo(release: Release, current: Release | undefined): RebuildTarget['relation'] {
  if (!current) return 'newer';
  if (release.version === current.version) return 'same';
  return release.released > current.released ? 'newer' : 'older';
}

/** Releases a VM can be rebuilt on today, newest first. */
export function rebuildTargets(releases: readonly Release[], currentRelease: string, today: DayInput): RebuildTarget[] {
  const day = toIsoDay(today);
  const current = findRelease(releases, currentRelease);
  return releases
    .map((release) => ({ release, status: supportStatus(release, day) }))
    .filter(({ status }) => status.released && status.badge !== 'ended')
    .map(({ release, status }) => ({ release, status, relation: relationTo(release, current) }))
    .sort((a, b) => (a.release.released < b.release.released ? 1 : a.release.released > b.release.released ? -1 : 0));
}

/** The release a rebuild asks for ("24.04", "24.04 LTS", "noble"), if it may be built today. */
export function rebuildTarget(releases: readonly Release[], currentRelease: string, wanted: string, today: DayInput): Result<RebuildTarget, RebuildRefusal> {
  const allowed = rebuildTargets(releases, currentRelease, today);
  const choices = allowed.map((t) => t.release.version).join(', ');
  const release = wanted.trim() === '' ? undefined : findRelease(releases, wanted);
  if (!release) {
    return fail({ code: 'unknown-release', message: `Ubuntu ${wanted.trim().slice(0, 40) || '(none given)'} is not a release we know. Releases we can build now: ${choices}.` });
  }
  const target = allowed.find((t) => t.release.version === release.version);
  if (target) return ok(target);
  const status = supportStatus(release, toIsoDay(today));
  const why = status.released ? `its standard support ended on ${status.standardEnd}` : `it is not released until ${release.released}`;
  return fail({ code: 'unsupported-release', message: `We only build releases that are still supported, and ${releaseLabel(release)} is not: ${why}. Releases we can build now: ${choices}.` });
}

/** A host name as people type it: no surrounding space, any case, an optional final dot. */
export function normalHostname(name: string): string {
  return name.trim().replace(/\.$/, '').toLowerCase();
}

/** The customer typed the VM's host name (trimmed, any case): the one proof that they mean this VM. */
export function checkConfirmation(typed: string, hostname: string): Result<true, RebuildRefusal> {
  if (typed.trim() !== '' && normalHostname(typed) === normalHostname(hostname)) return ok(true);
  return fail({
    code: 'wrong-confirmation',
    message: typed.trim() === '' ? `Type the VM's host name, ${hostname}, to confirm that its data may be destroyed.` : `That is not this VM's host name. Type ${hostname} to confirm that its data may be destroyed.`,
  });
}

/** A rebuild costs nothing: the plan and its price stay as they are. Kept in the order's pricing shape. */
export function rebuildPricing(planPriceMinor: number, now: Date): OrderPricing {
  const at = now.toISOString();
  return {
    fromPriceMinor: planPriceMinor,
    toPriceMinor: planPriceMinor,
    daysLeft: 0,
    daysInPeriod: 0,
    periodStart: at,
    periodEnd: at,
    explanation: 'A rebuild is free: the plan and its monthly price stay the same.',
  };
}
