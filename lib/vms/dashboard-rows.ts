import type { VmSummary } from '../db/queries/vms';
import type { Release } from '../guides/releases';
import { type VmSupport, vmSupportStatus } from '../guides/vm-support';
import type { MonitoringState } from '../monitoring/wire';
import type { NearestForecast } from './dashboard';
import { formatDateTime } from './time-format';

// The dashboard's table rows, worded on the server as compact arrays for its client component
// (app/(portal)/vm-table.tsx): React's inline data then holds one short array per VM instead of an
// element tree per VM (a 200-VM account's dashboard carried 370 KB of it). A release's support sentence
// is the same for every VM on it, so the rows point into one list of them. Pure.

/** [when as ISO, as written] */
export type WrittenTime = [iso: string, text: string];

/** [id, host name, address, worst, host state, problems, last check, release, support (index), plan, forecast] */
export type DashboardRow = [
  id: number,
  hostname: string,
  address: string,
  worst: MonitoringState | null,
  hostState: string | null,
  problems: Array<[service: string, state: string, stateType: 'HARD' | 'SOFT']>,
  lastCheck: WrittenTime | null,
  ubuntuRelease: string,
  support: number,
  plan: string,
  /** [what, already happened (1) or coming (0), its date when coming] */
  forecast: [what: string, now: 0 | 1, on: WrittenTime | null] | null,
];

export type ReleaseSupport = Pick<VmSupport, 'badge' | 'label' | 'summary'>;

export interface DashboardRows {
  rows: DashboardRow[];
  /** The support states the rows point to. */
  supports: ReleaseSupport[];
}

export function dashboardRows(
  vms: readonly VmSummary[],
  o: { releases: readonly Release[]; nearest: ReadonlyMap<number, NearestForecast | null>; today: Date; timeZone: string },
): DashboardRows {
  const supports: ReleaseSupport[] = [];
  const supportIndex = new Map<string, number>();
  const written = (at: Date): WrittenTime => {
    const iso = at.toISOString();
    return [iso, formatDateTime(iso, o.timeZone)];
  };
  const rows = vms.map((vm): DashboardRow => {
    let support = supportIndex.get(vm.ubuntuRelease);
    if (support === undefined) {
      const { badge, label, summary } = vmSupportStatus(o.releases, vm.ubuntuRelease, o.today);
      support = supports.push({ badge, label, summary }) - 1;
      supportIndex.set(vm.ubuntuRelease, support);
    }
    const f = o.nearest.get(vm.id);
    return [
      vm.id,
      vm.hostname,
      vm.address,
      vm.worst,
      vm.hostState,
      vm.problems.map((p) => [p.service, p.state, p.stateType]),
      vm.lastCheckAt ? written(vm.lastCheckAt) : null,
      vm.ubuntuRelease,
      support,
      vm.plan.name,
      f ? [f.what, f.now ? 1 : 0, f.now ? null : written(f.on)] : null,
    ];
  });
  return { rows, supports };
}
