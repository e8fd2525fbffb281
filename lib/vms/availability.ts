import { and, eq } from 'drizzle-orm';
import type { RowDataPacket } from 'mysql2';
import type { Database } from '../db/connection';
import { serviceStates, vms } from '../db/schema';
import { type Availability, type PriorState, type StateChange, type TimeWindow, computeAvailability } from '../monitoring/availability';
import type { MonitoringState, StateType } from '../monitoring/event';
import { type OwnedVm, ownedVm } from './access';

// Availability from the state-change history: for every host ('' service) and service, the state in force
// before the window (its latest event before `from`) and the changes inside it, handed to
// computeAvailability (lib/monitoring/availability.ts) for the arithmetic.
//
// Query plan (EXPLAINed in availability-query.int.test.ts):
// - subjects and prior states: loose index scans ("Using index for group-by") on
//   monitoring_events_vm_service_time_idx (vm_id, service, occurred_at): one index dive per service,
//   however long the history;
// - changes in the window: one range on monitoring_events_vm_time_state_idx
//   (vm_id, occurred_at, id, service, state, state_type), which covers the query and returns rows in
//   (occurred_at, id) order, so no table row is read and nothing is sorted.
// Rows are fetched as arrays with times as epoch milliseconds: a month of a busy VM is tens of thousands
// of rows, and building Date objects and keyed rows for them dominated the cost.

/** The covering index the window query relies on (the benchmark compares against ignoring it). */
export const AVAILABILITY_INDEX = 'monitoring_events_vm_time_state_idx';

export interface StateHistory {
  vmId: number;
  /** '' for the host itself. */
  service: string;
  prior: PriorState | null;
  /** In (occurred_at, id) order. */
  changes: StateChange[];
}

export interface HistoryOptions {
  /** Leave SOFT problem states out of the fetch (they never change the state when hardOnly). Default true. */
  hardOnly?: boolean;
  /** Benchmarks only: index names the queries must not use. */
  ignoreIndexes?: readonly string[];
}

const EPOCH_MS = "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', occurred_at) DIV 1000";

function hint(ignore: readonly string[] | undefined): string {
  if (!ignore || ignore.length === 0) return '';
  for (const name of ignore) if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`not an index name: ${name}`);
  return ` IGNORE INDEX (${ignore.map((n) => `\`${n}\``).join(', ')})`;
}

async function rows(db: Database, sql: string, values: unknown[]): Promise<unknown[][]> {
  const [result] = await db.$client.query<RowDataPacket[][]>({ sql, rowsAsArray: true }, values);
  return result as unknown[][];
}

const key = (vmId: number, service: string) => `${vmId}\u0000${service}`;

/**
 * Prior state and changes in `window` for every host and service of the given VMs that has any history.
 * Not scoped: callers pass VM ids they have checked belong to the account.
 */
export async function loadStateHistory(db: Database, vmIds: readonly number[], window: TimeWindow, options: HistoryOptions = {}): Promise<StateHistory[]> {
  return (await readStateHistory(db, vmIds, window, options)).histories;
}

/** As loadStateHistory, also naming the ids above `idsAbove` that it read (for the cache's bookkeeping). */
export async function readStateHistory(
  db: Database,
  vmIds: readonly number[],
  window: TimeWindow,
  options: HistoryOptions & { idsAbove?: number } = {},
): Promise<{ histories: StateHistory[]; ids: number[] }> {
  const ids: number[] = [];
  const idsAbove = options.idsAbove ?? Number.POSITIVE_INFINITY;
  if (vmIds.length === 0) return { histories: [], ids };
  const hardOnly = options.hardOnly ?? true;
  const ignore = hint(options.ignoreIndexes);
  const { from, to } = window;

  // Latest event per (vm, service) before the window, and every (vm, service) with history: both from
  // loose index scans; the join reads one row per service.
  const [subjects, priors, changes] = await Promise.all([
    rows(db, `SELECT vm_id, service FROM monitoring_events${ignore} WHERE vm_id IN (?) GROUP BY vm_id, service`, [vmIds]),
    rows(
      db,
      `SELECT e.vm_id, e.service, e.state, e.state_type, e.id
         FROM (SELECT vm_id, service, MAX(occurred_at) AS at FROM monitoring_events${ignore}
                WHERE vm_id IN (?) AND occurred_at < ? GROUP BY vm_id, service) p
         JOIN monitoring_events e${ignore} ON e.vm_id = p.vm_id AND e.service = p.service AND e.occurred_at = p.at`,
      [vmIds, from],
    ),
    rows(
      db,
      `SELECT vm_id, service, state, state_type, ${EPOCH_MS}, id FROM monitoring_events${ignore}
        WHERE vm_id IN (?) AND occurred_at >= ? AND occurred_at < ?
        ${hardOnly ? "AND (state_type = 'HARD' OR state IN ('OK', 'UP'))" : ''}
        ORDER BY vm_id, occurred_at, id`,
      [vmIds, from, to],
    ),
  ]);

  const byKey = new Map<string, StateHistory>();
  for (const [vmId, service] of subjects as [number, string][]) {
    byKey.set(key(vmId, service), { vmId, service, prior: null, changes: [] });
  }
  // Several events at the same instant: the one stored last (highest id) is the state in force.
  const priorIds = new Map<string, number>();
  for (const [vmId, service, state, stateType, id] of priors as [number, string, MonitoringState, StateType, number][]) {
    const k = key(vmId, service);
    const h = byKey.get(k);
    if (!h || (priorIds.get(k) ?? 0) > id) continue;
    priorIds.set(k, id);
    h.prior = { state, stateType };
  }
  for (const [vmId, service, state, stateType, at, id] of changes as [number, string, MonitoringState, StateType, number, number][]) {
    byKey.get(key(vmId, service))?.changes.push({ at: new Date(at), state, stateType });
    if (id > idsAbove) ids.push(id);
  }

  if (hardOnly) {
    // A SOFT problem is only left out safely when some state is already known: with none, it is the
    // first sign of the service (and counts as up, see computeAvailability). Fetch those first events.
    const unknown = [...byKey.values()].filter((h) => h.prior === null);
    if (unknown.length > 0) {
      const firsts = await rows(
        db,
        `SELECT e.vm_id, e.service, e.state, e.state_type, ${EPOCH_MS.replace('occurred_at', 'e.occurred_at')}, e.id
           FROM (SELECT vm_id, service, MIN(occurred_at) AS at FROM monitoring_events${ignore}
                  WHERE vm_id IN (?) AND occurred_at >= ? AND occurred_at < ? GROUP BY vm_id, service) f
           JOIN monitoring_events e${ignore} ON e.vm_id = f.vm_id AND e.service = f.service AND e.occurred_at = f.at
          ORDER BY e.id`,
        [[...new Set(unknown.map((h) => h.vmId))], from, to],
      );
      const seen = new Set<string>();
      for (const [vmId, service, state, stateType, at, id] of firsts as [number, string, MonitoringState, StateType, number, number][]) {
        const k = key(vmId, service);
        const h = byKey.get(k);
        // Only the first event (lowest id) of the earliest instant; a kept one is already in the list.
        if (!h || h.prior !== null || seen.has(k)) continue;
        seen.add(k);
        if (stateType === 'SOFT' && state !== 'OK' && state !== 'UP') {
          h.changes.unshift({ at: new Date(at), state, stateType });
          if (id > idsAbove) ids.push(id);
        }
      }
    }
  }
  return { histories: [...byKey.values()], ids };
}

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
  const all = new Map(histories.map((h) => [key(h.vmId, h.service), h]));
  for (const s of options.extra ?? []) {
    if (!all.has(key(s.vmId, s.service))) all.set(key(s.vmId, s.service), { ...s, prior: null, changes: [] });
  }
  const computeOptions = { hardOnly: options.hardOnly ?? true, ...(options.now ? { now: options.now } : {}) };
  return [...all.values()].sort(compareSubjects).map((h) => ({
    vmId: h.vmId,
    service: h.service === '' ? null : h.service,
    windows: windows.map((w) => {
      // Each window gets only its own changes, with the last earlier change as its prior state: what a
      // query for that window alone would load, at a fraction of the work for the short windows.
      const k = firstAfter(h.changes, w.from.getTime());
      const before = h.changes[k - 1];
      const prior = before ? { state: before.state, stateType: before.stateType } : h.prior;
      return computeAvailability(w, k === 0 ? h.changes : h.changes.slice(k), prior, computeOptions);
    }),
  }));
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

/** One VM's host and services over each window; null when the VM is not the account's. */
export async function loadVmAvailability(db: Database, accountId: number, vmId: number, request: AvailabilityRequest): Promise<SubjectAvailability[] | null> {
  const vm = await ownedVm(db, accountId, vmId);
  return vm ? availabilityForVm(db, vm, request) : null;
}

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
    db.selectDistinct({ service: serviceStates.service }).from(serviceStates).where(eq(serviceStates.vmId, vmId)),
  ]);
  return availabilityFor(histories, request.windows, { hardOnly, now, extra: [{ vmId, service: '' }, ...current.map((c) => ({ vmId, service: c.service }))] });
}

/** Every host and service of every VM of the account over one window (the account's SLA report). */
export async function loadAccountAvailability(db: Database, accountId: number, request: AvailabilityRequest): Promise<SubjectAvailability[]> {
  const now = request.now ?? new Date();
  const hardOnly = request.hardOnly ?? true;
  const ids = (await db.select({ id: vms.id }).from(vms).where(and(eq(vms.accountId, accountId)))).map((r) => r.id);
  const span = union(request.windows);
  const histories = await loadStateHistory(db, ids, span, {
    hardOnly,
    ...(request.ignoreIndexes ? { ignoreIndexes: request.ignoreIndexes } : {}),
  });
  return availabilityFor(histories, request.windows, { hardOnly, now, extra: ids.map((vmId) => ({ vmId, service: '' })) });
}

/** The API's JSON for one availability figure (times in ms and ISO, shares in percent). */
export function availabilityToJson(a: Availability) {
  return {
    from: a.from.toISOString(),
    to: a.to.toISOString(),
    windowMs: a.windowMs,
    excludedFutureMs: a.excludedFutureMs,
    upMs: a.upMs,
    knownMs: a.knownMs,
    noDataMs: a.noDataMs,
    availabilityPct: a.availabilityPct,
    availabilityPctOfWindow: a.availabilityPctOfWindow,
    noDataPct: a.noDataPct,
    states: Object.fromEntries(Object.entries(a.states).map(([state, t]) => [state, { ms: t.ms, pctOfWindow: t.pctOfWindow, pctOfKnown: t.pctOfKnown }])),
  };
}
