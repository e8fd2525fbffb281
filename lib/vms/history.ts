import { type SQL, and, desc, eq, gte, inArray, lt, ne, or } from 'drizzle-orm';
import type { Database } from '../db/connection';
import { monitoringEvents } from '../db/schema';
import type { MonitoringState, StateType } from '../monitoring/event';
import { summarizeEvent } from '../monitoring/severity';
import { type OwnedVm, ownedVm } from './access';
import { type HistoryParams, encodeCursor } from './params';

// The timeline of one VM: its state changes, newest first, filtered and paged with a keyset cursor on
// (occurred_at, id), which the index (vm_id, occurred_at, id) serves in order without an OFFSET.

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

export const eventColumns = {
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

export function toVmEvent(row: EventRow): VmEvent {
  return {
    ...row,
    // Host events are stored with service '' so (vm, service) keys stay comparable.
    service: row.kind === 'host' ? null : row.service,
    state: row.state as MonitoringState,
  };
}

/** The filters as SQL conditions on monitoring_events (the VM condition included). */
export function historyConditions(vmId: number, p: Omit<HistoryParams, 'cursor' | 'limit'>): SQL[] {
  const where: SQL[] = [eq(monitoringEvents.vmId, vmId)];
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

/** One page of the VM's history, newest first; null when the VM is not the account's. */
export async function listVmEvents(db: Database, accountId: number, vmId: number, params: HistoryParams): Promise<HistoryPage | null> {
  const vm = await ownedVm(db, accountId, vmId);
  return vm ? historyForVm(db, vm, params) : null;
}

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

/** A plain sentence for customers ("HTTP on web-01.acme.example is critical."). */
export function eventSentence(e: VmEvent, hostname: string): string {
  return summarizeEvent({ ...e, hostname }, 'summary');
}

/** The API's JSON for one event: both wordings, so a script needs no second call. */
export function eventToJson(e: VmEvent, hostname: string) {
  return {
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    kind: e.kind,
    service: e.service,
    state: e.state,
    stateType: e.stateType,
    attempt: e.attempt,
    maxAttempts: e.maxAttempts,
    stateDurationSec: e.stateDurationSec,
    output: e.output,
    longOutput: e.longOutput,
    perfdata: e.perfdata,
    summary: eventSentence(e, hostname),
  };
}

