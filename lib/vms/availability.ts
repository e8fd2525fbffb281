import { type OwnedVm, accountVmIds, currentServiceNames } from '../db/queries/vms';
import { type StateHistory, historyKey, loadStateHistory } from '../db/queries/vm-state-history';
import type { Database } from '../db/connection';
import { type Availability, type StateChange, type TimeWindow, changesInTimeOrder, computeAvailability } from '../monitoring/availability';

// Availability of a VM's host and services per window, from the state-change history
// (lib/db/queries/vm-state-history.ts), optionally served from the process's cache (history-cache.ts).

export interface SubjectAvailability {
  vmId: number;
  /** null for the host itself. */
  service: string | null;
  /** One per requested window, in order. */
  windows: Availability[];
}

/** Host first, then services by name. */
function compareSubjects(a: { vmId: number; service: string }, b: { vmId: number; service: string }): number {
  return a.vmId - b.vmId || (a.service === '' ? -1 : b.service === '' ? 1 : a.service.localeCompare(b.service));
}

/**
 * Pure: availability per subject and window. `histories` must cover the union of the windows; `extra`
 * names subjects to report even without history (they show as no data).
 */
export function availabilityFor(
  histories: readonly StateHistory[],
  windows: readonly TimeWindow[],
  options: { hardOnly?: boolean; now?: Date; extra?: ReadonlyArray<{ vmId: number; service: string }> } = {},
): SubjectAvailability[] {
  const all = new Map(histories.map((h) => [historyKey(h.vmId, h.service), h]));
  // Subjects monitoring knows (a current state) without any history: their time is no data, not
  // "not monitored yet" (there is nothing to say when monitoring first saw them).
  const withoutHistory = new Set<string>();
  for (const s of options.extra ?? []) {
    const k = historyKey(s.vmId, s.service);
    if (!all.has(k)) {
      all.set(k, { ...s, prior: null, changes: [] });
      withoutHistory.add(k);
    }
  }
  const computeOptions = { hardOnly: options.hardOnly ?? true, ...(options.now ? { now: options.now } : {}) };
  return [...all.values()].sort(compareSubjects).map((h) => {
    const changes = changesInTimeOrder(h.changes); // checked once, for all the windows
    return {
      vmId: h.vmId,
      service: h.service === '' ? null : h.service,
      windows: windows.map((w) => {
        // Each window starts at its own first change, with the last earlier change as its prior state:
        // what a query for that window alone would load, without a pass over what comes before it.
        const k = firstAfter(changes, w.from.getTime());
        const before = changes[k - 1];
        const prior = before ? { state: before.state, stateType: before.stateType } : h.prior;
        const a = computeAvailability(w, changes, prior, { ...computeOptions, orderedFrom: k });
        return withoutHistory.has(historyKey(h.vmId, h.service)) ? { ...a, notMonitoredMs: 0 } : a;
      }),
    };
  });
}

/** Index of the first change later than `t` (changes are in time order). */
function firstAfter(changes: readonly StateChange[], t: number): number {
  let lo = 0;
  let hi = changes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (changes[mid]!.at.getTime() <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function union(windows: readonly TimeWindow[]): TimeWindow {
  return {
    from: new Date(Math.min(...windows.map((w) => w.from.getTime()))),
    to: new Date(Math.max(...windows.map((w) => w.to.getTime()))),
  };
}

/** What availability needs of a cache of state histories (lib/vms/history-cache.ts implements it). */
export interface StateHistorySource {
  covers(window: TimeWindow, now: number): boolean;
  get(db: Database, vmId: number, window: TimeWindow, hardOnly: boolean): Promise<StateHistory[]>;
}

export interface AvailabilityRequest {
  windows: readonly TimeWindow[];
  hardOnly?: boolean;
  now?: Date;
  ignoreIndexes?: readonly string[];
  /** Serve windows within the last month from this cache (lib/vms/history-cache.ts). */
  cache?: StateHistorySource | null;
}

/** A checked VM's host and services over each window. */
export async function availabilityForVm(db: Database, vm: OwnedVm, request: AvailabilityRequest): Promise<SubjectAvailability[]> {
  const vmId = vm.id;
  const now = request.now ?? new Date();
  const hardOnly = request.hardOnly ?? true;
  const span = union(request.windows);
  const cached = request.cache && !request.ignoreIndexes && request.cache.covers(span, now.getTime()) ? request.cache : null;
  const [histories, current] = await Promise.all([
    cached
      ? cached.get(db, vmId, span, hardOnly)
      : loadStateHistory(db, [vmId], span, { hardOnly, ...(request.ignoreIndexes ? { ignoreIndexes: request.ignoreIndexes } : {}) }),
    // Services known only from their current state (e.g. perfdata checks) still get a row.
    currentServiceNames(db, vm),
  ]);
  return availabilityFor(histories, request.windows, { hardOnly, now, extra: [{ vmId, service: '' }, ...current.map((service) => ({ vmId, service }))] });
}

/** Every host and service of every VM of the account over one window (the account's SLA report). */
export async function loadAccountAvailability(db: Database, accountId: number, request: AvailabilityRequest): Promise<SubjectAvailability[]> {
  const now = request.now ?? new Date();
  const hardOnly = request.hardOnly ?? true;
  const ids = await accountVmIds(db, accountId);
  const span = union(request.windows);
  const histories = await loadStateHistory(db, ids, span, {
    hardOnly,
    ...(request.ignoreIndexes ? { ignoreIndexes: request.ignoreIndexes } : {}),
  });
  return availabilityFor(histories, request.windows, { hardOnly, now, extra: ids.map((vmId) => ({ vmId, service: '' })) });
}
