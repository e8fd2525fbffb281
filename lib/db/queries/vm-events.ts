// A VM's state changes: the timeline (newest first, filtered, paged with a keyset cursor on
// (occurred_at, id), which the index (vm_id, occurred_at, id) serves in order without an OFFSET), and the
// new events of the live views, found by id.
// No 'server-only': the portal benchmark (scripts/bench/portal-bare.ts) runs the VM page's queries outside Next.
import { type SQL, and, asc, between, desc, eq, gt, gte, inArray, lt, lte, max, min, ne, or, sql } from 'drizzle-orm';
import type { MonitoringState, StateType } from '../../monitoring/wire';
import { type HistoryParams, encodeCursor } from '../../vms/params';
import type { Database } from '../connection';
import { monitoringEvents } from '../schema';
import type { OwnedVm } from './vms';

export interface VmEvent {
  id: number;
  occurredAt: Date;
  kind: 'host' | 'service';
  /** null for the host itself. */
  service: string | null;
  state: MonitoringState;
  stateType: StateType;
  attempt: number;
  maxAttempts: number;
  stateDurationSec: number;
  output: string | null;
  longOutput: string | null;
  perfdata: string | null;
}

export interface HistoryPage {
  events: VmEvent[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

const eventColumns = {
  id: monitoringEvents.id,
  occurredAt: monitoringEvents.occurredAt,
  kind: monitoringEvents.kind,
  service: monitoringEvents.service,
  state: monitoringEvents.state,
  stateType: monitoringEvents.stateType,
  attempt: monitoringEvents.attempt,
  maxAttempts: monitoringEvents.maxAttempts,
  stateDurationSec: monitoringEvents.stateDurationSec,
  output: monitoringEvents.output,
  longOutput: monitoringEvents.longOutput,
  perfdata: monitoringEvents.perfdata,
};

type EventRow = Omit<VmEvent, 'service' | 'state'> & { service: string; state: string };

function toVmEvent(row: EventRow): VmEvent {
  return {
    ...row,
    // Host events are stored with service '' so (vm, service) keys stay comparable.
    service: row.kind === 'host' ? null : row.service,
    state: row.state as MonitoringState,
  };
}

/** The filters as SQL conditions on monitoring_events (the VM condition included: one VM, some, or all). */
function historyConditions(vmId: number | readonly number[] | null, p: Omit<HistoryParams, 'cursor' | 'limit'>): SQL[] {
  const where: SQL[] = vmId === null ? [] : typeof vmId === 'number' ? [eq(monitoringEvents.vmId, vmId)] : [inArray(monitoringEvents.vmId, [...vmId])];
  // Host events are the VM's '' service: an equality the (vm_id, service, ...) index can use.
  if (p.kind === 'host') where.push(eq(monitoringEvents.service, ''));
  if (p.kind === 'service') where.push(ne(monitoringEvents.service, ''));
  if (p.service !== undefined) where.push(eq(monitoringEvents.service, p.service), eq(monitoringEvents.kind, 'service'));
  if (p.states.length > 0) where.push(inArray(monitoringEvents.state, p.states));
  if (p.stateType) where.push(eq(monitoringEvents.stateType, p.stateType));
  if (p.from) where.push(gte(monitoringEvents.occurredAt, p.from));
  if (p.to) where.push(lt(monitoringEvents.occurredAt, p.to));
  return where;
}

/** One page of the VM's history, newest first. */
export async function historyForVm(db: Database, vm: OwnedVm, params: HistoryParams): Promise<HistoryPage> {
  const where = historyConditions(vm.id, params);
  if (params.cursor) {
    const { at, id } = params.cursor;
    // Written as OR of ranges (not a row comparison) so the optimizer turns it into index ranges.
    where.push(or(lt(monitoringEvents.occurredAt, at), and(eq(monitoringEvents.occurredAt, at), lt(monitoringEvents.id, id)))!);
  }
  const rows = await db
    .select(eventColumns)
    .from(monitoringEvents)
    .where(and(...where))
    .orderBy(desc(monitoringEvents.occurredAt), desc(monitoringEvents.id))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit).map(toVmEvent);
  const last = page[page.length - 1];
  return { events: page, nextCursor: rows.length > params.limit && last ? encodeCursor({ at: last.occurredAt, id: last.id }) : null };
}

export interface StaffEvent extends VmEvent {
  vmId: number | null;
  /** Nagios's host_name when the event carried one, else what it sent as the host. */
  host: string;
}

/**
 * Staff's view of every host's events, newest first, with the same filters and cursor as one VM's
 * history; `vmIds` narrows to some VMs (an account's), null is every event, unassigned ones included.
 * Not scoped by account: callers must have passed the staff guard.
 */
export async function eventsAcrossVms(db: Database, vmIds: readonly number[] | null, params: HistoryParams): Promise<{ events: StaffEvent[]; nextCursor: string | null }> {
  if (vmIds !== null && vmIds.length === 0) return { events: [], nextCursor: null };
  const where = historyConditions(vmIds, params);
  if (params.cursor) {
    const { at, id } = params.cursor;
    where.push(or(lt(monitoringEvents.occurredAt, at), and(eq(monitoringEvents.occurredAt, at), lt(monitoringEvents.id, id)))!);
  }
  const rows = await db
    .select({ ...eventColumns, vmId: monitoringEvents.vmId, hostname: monitoringEvents.hostname, hostName: monitoringEvents.hostName })
    .from(monitoringEvents)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(monitoringEvents.occurredAt), desc(monitoringEvents.id))
    .limit(params.limit + 1);
  const page = rows.slice(0, params.limit).map(({ vmId, hostname, hostName, ...r }) => ({ ...toVmEvent(r), vmId, host: hostName ?? hostname }));
  const last = page[page.length - 1];
  return { events: page, nextCursor: rows.length > params.limit && last ? encodeCursor({ at: last.occurredAt, id: last.id }) : null };
}

// New events for the live views (lib/vms/live.ts keeps the cursor): MAX(id) is one index dive, and the
// rows after a known id are a short primary-key range however large the table is.

export async function latestEventId(db: Database): Promise<number> {
  const [row] = await db.select({ id: max(monitoringEvents.id) }).from(monitoringEvents);
  return Number(row?.id ?? 0);
}

/**
 * An id below which every row has long been committed: the lowest id received in the last minute (by
 * the database's clock), minus one; `maxId` when nothing arrived lately. Re-reading from here covers a
 * transaction that was still open when `maxId` was read.
 */
export async function settledFloor(db: Database, maxId: number): Promise<number> {
  const [row] = await db
    .select({ id: min(monitoringEvents.id) })
    .from(monitoringEvents)
    // Bounded above too: a row stamped far in the future (a skewed clock) must not pin the floor.
    .where(between(monitoringEvents.receivedAt, sql`UTC_TIMESTAMP(3) - INTERVAL 60 SECOND`, sql`UTC_TIMESTAMP(3) + INTERVAL 60 SECOND`));
  const lowest = row?.id === null || row?.id === undefined ? null : Number(row.id);
  return lowest === null ? maxId : Math.min(maxId, lowest - 1);
}

/** Events of the given VMs with afterId < id <= upToId, oldest first (not scoped: pass checked ids). */
export async function eventsInIdRange(
  db: Database,
  vmIds: readonly number[],
  afterId: number,
  upToId: number,
  limit = 200,
): Promise<Array<VmEvent & { vmId: number }>> {
  if (vmIds.length === 0 || upToId <= afterId) return [];
  const rows = await db
    .select({ ...eventColumns, vmId: monitoringEvents.vmId })
    .from(monitoringEvents)
    .where(
      and(
        gt(monitoringEvents.id, afterId),
        lte(monitoringEvents.id, upToId),
        vmIds.length === 1 ? eq(monitoringEvents.vmId, vmIds[0]!) : inArray(monitoringEvents.vmId, [...vmIds]),
      ),
    )
    .orderBy(asc(monitoringEvents.id))
    .limit(limit);
  return rows.map((r) => ({ ...toVmEvent(r), vmId: r.vmId ?? 0 }));
}
