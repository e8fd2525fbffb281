// The state-change history of VMs, as availability needs it: for every host ('' service) and service,
// the state in force before a window (its latest event before `from`) and the changes inside it.
// lib/vms/availability.ts hands them to computeAvailability (lib/monitoring/availability.ts).
// No 'server-only': the portal benchmark (scripts/bench/portal*.ts) runs these outside Next.
import type { RowDataPacket } from 'mysql2';
import type { PriorState, StateChange, TimeWindow } from '../../monitoring/availability';
import type { MonitoringState, StateType } from '../../monitoring/wire';
import type { Database } from '../connection';

// Query plan (EXPLAINed in lib/vms/vm-queries.int.test.ts):
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

/** Rows as arrays (no keyed objects): for the long reads of lib/db/queries/vm-*.ts. */
export async function arrayRows(db: Database, sql: string, values: unknown[]): Promise<unknown[][]> {
  const [result] = await db.$client.query<RowDataPacket[][]>({ sql, rowsAsArray: true }, values);
  return result as unknown[][];
}

/** One host ('' service) or service of one VM, as a map key. */
export const historyKey = (vmId: number, service: string) => `${vmId}\u0000${service}`;

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
    arrayRows(db, `SELECT vm_id, service FROM monitoring_events${ignore} WHERE vm_id IN (?) GROUP BY vm_id, service`, [vmIds]),
    arrayRows(
      db,
      `SELECT e.vm_id, e.service, e.state, e.state_type, e.id
         FROM (SELECT vm_id, service, MAX(occurred_at) AS at FROM monitoring_events${ignore}
                WHERE vm_id IN (?) AND occurred_at < ? GROUP BY vm_id, service) p
         JOIN monitoring_events e${ignore} ON e.vm_id = p.vm_id AND e.service = p.service AND e.occurred_at = p.at`,
      [vmIds, from],
    ),
    arrayRows(
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
    byKey.set(historyKey(vmId, service), { vmId, service, prior: null, changes: [] });
  }
  // Several events at the same instant: the one stored last (highest id) is the state in force.
  const priorIds = new Map<string, number>();
  for (const [vmId, service, state, stateType, id] of priors as [number, string, MonitoringState, StateType, number][]) {
    const k = historyKey(vmId, service);
    const h = byKey.get(k);
    if (!h || (priorIds.get(k) ?? 0) > id) continue;
    priorIds.set(k, id);
    h.prior = { state, stateType };
  }
  for (const [vmId, service, state, stateType, at, id] of changes as [number, string, MonitoringState, StateType, number, number][]) {
    byKey.get(historyKey(vmId, service))?.changes.push({ at: new Date(at), state, stateType });
    if (id > idsAbove) ids.push(id);
  }

  if (hardOnly) {
    // A SOFT problem is only left out safely when some state is already known: with none, it is the
    // first sign of the service (and counts as up, see computeAvailability). Fetch those first events.
    const unknown = [...byKey.values()].filter((h) => h.prior === null);
    if (unknown.length > 0) {
      const firsts = await arrayRows(
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
        const k = historyKey(vmId, service);
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
