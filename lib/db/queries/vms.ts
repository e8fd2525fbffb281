// A customer's VMs: the one ownership check, the account's list, and each VM's current states.
// No 'server-only': the portal benchmark (scripts/bench/portal-bare.ts) runs the VM page's queries outside Next.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { MonitoringState, StateType } from '../../monitoring/wire';
import { worstState } from '../../monitoring/severity';
import type { Database } from '../connection';
import { accounts, plans, serviceStates, vms } from '../schema';

declare const checked: unique symbol;

/**
 * A VM that a query has confirmed belongs to the caller's account. Only `ownedVm` makes one, so the
 * unscoped query functions that take it (`…ForVm`) cannot be handed an unchecked id by mistake.
 */
export interface OwnedVm {
  readonly [checked]: true;
  id: number;
  accountId: number;
  hostname: string;
  nagiosHostName: string;
  address: string;
  addressV6: string | null;
  ubuntuRelease: string;
  planSlug: string;
  planName: string;
  /** The account's billing day (1–28): its billing period, and so the transfer quota, starts on it. */
  billingDay: number;
}

const vmColumns = {
  id: vms.id,
  accountId: vms.accountId,
  hostname: vms.hostname,
  nagiosHostName: vms.nagiosHostName,
  address: vms.address,
  addressV6: vms.addressV6,
  ubuntuRelease: vms.ubuntuRelease,
  planSlug: plans.slug,
  planName: plans.name,
  billingDay: accounts.billingDay,
};

/**
 * The account's VMs with their plans (one of them with `vmId`): every customer query names the account.
 * A retired VM is no longer the customer's to see (staff still read its history).
 */
function selectAccountVms(db: Database, accountId: number, vmId?: number) {
  return db
    .select(vmColumns)
    .from(vms)
    .innerJoin(plans, eq(plans.id, vms.planId))
    .innerJoin(accounts, eq(accounts.id, vms.accountId))
    .where(and(eq(vms.accountId, accountId), isNull(vms.retiredAt), vmId === undefined ? undefined : eq(vms.id, vmId)))
    .orderBy(asc(vms.hostname));
}

type VmRow = Awaited<ReturnType<typeof selectAccountVms>>[number];

/**
 * The VM if it belongs to the account, else null: every page and route of a VM starts here, so another
 * account's VM id reads exactly like a missing one.
 */
export async function ownedVm(db: Database, accountId: number, vmId: number): Promise<OwnedVm | null> {
  if (!Number.isSafeInteger(vmId) || vmId <= 0 || vmId > 2_147_483_647) return null;
  const [row] = await selectAccountVms(db, accountId, vmId);
  return row ? (row as OwnedVm) : null;
}

/** Every VM of the account, checked as the account's own (the notifier's forecasts walk them). */
export async function accountOwnedVms(db: Database, accountId: number): Promise<OwnedVm[]> {
  return (await selectAccountVms(db, accountId)) as OwnedVm[];
}

/**
 * Any VM by id, for staff reading what a customer sees: the staff check (the caller's role) stands
 * in for the ownership check here, so only lib/vms/viewer.ts calls it, after that check.
 */
export async function vmForStaffView(db: Database, vmId: number): Promise<OwnedVm | null> {
  if (!Number.isSafeInteger(vmId) || vmId <= 0 || vmId > 2_147_483_647) return null;
  const [row] = await db.select(vmColumns).from(vms).innerJoin(plans, eq(plans.id, vms.planId)).innerJoin(accounts, eq(accounts.id, vms.accountId)).where(eq(vms.id, vmId));
  return row ? (row as OwnedVm) : null;
}

/** The ids of the account's VMs (the account's availability report). */
export async function accountVmIds(db: Database, accountId: number): Promise<number[]> {
  return (await db.select({ id: vms.id }).from(vms).where(and(eq(vms.accountId, accountId), isNull(vms.retiredAt)))).map((r) => r.id);
}

export interface VmSummary {
  id: number;
  hostname: string;
  nagiosHostName: string;
  address: string;
  addressV6: string | null;
  ubuntuRelease: string;
  plan: { slug: string; name: string };
  hostState: string | null;
  /** The worst current state over the host and its services; null before any check reported. */
  worst: MonitoringState | null;
  /** Services not OK (HARD or SOFT), for the dashboard's "open problems". */
  problems: Array<{ service: string; state: string; stateType: 'HARD' | 'SOFT' }>;
  /** The newest check result of the host or any service (every result moves it, changed or not). */
  lastCheckAt: Date | null;
  /** When the host's current state began; null before the host reported. */
  hostStateSince: Date | null;
  /** The newest state change of the host or any service. */
  lastChangeAt: Date | null;
}

async function withStates(db: Database, rows: readonly VmRow[]): Promise<VmSummary[]> {
  if (rows.length === 0) return [];
  const states = await db
    .select({
      vmId: serviceStates.vmId,
      service: serviceStates.service,
      state: serviceStates.state,
      stateType: serviceStates.stateType,
      stateSince: serviceStates.stateSince,
      lastCheckAt: serviceStates.lastCheckAt,
    })
    .from(serviceStates)
    .where(inArray(serviceStates.vmId, rows.map((r) => r.id)));
  const byVm = new Map<number, typeof states>();
  for (const s of states) {
    const list = byVm.get(s.vmId ?? 0);
    if (list) list.push(s);
    else byVm.set(s.vmId ?? 0, [s]);
  }
  return rows.map((row) => {
    const mine = byVm.get(row.id) ?? [];
    const host = mine.find((s) => s.service === '');
    const lastCheck = mine.reduce<Date | null>((latest, s) => (!latest || s.lastCheckAt > latest ? s.lastCheckAt : latest), null);
    const lastChange = mine.reduce<Date | null>((latest, s) => (!latest || s.stateSince > latest ? s.stateSince : latest), null);
    return {
      id: row.id,
      hostname: row.hostname,
      nagiosHostName: row.nagiosHostName,
      address: row.address,
      addressV6: row.addressV6,
      ubuntuRelease: row.ubuntuRelease,
      plan: { slug: row.planSlug, name: row.planName },
      hostState: host?.state ?? null,
      worst: worstState(mine.map((s) => s.state as MonitoringState)),
      problems: mine
        .filter((s) => s.service !== '' && s.state !== 'OK')
        .map((s) => ({ service: s.service, state: s.state, stateType: s.stateType })),
      lastCheckAt: lastCheck,
      hostStateSince: host?.stateSince ?? null,
      lastChangeAt: lastChange,
    };
  });
}

/** The account's VMs with their current states. */
export async function listAccountVms(db: Database, accountId: number): Promise<VmSummary[]> {
  return withStates(db, await selectAccountVms(db, accountId));
}

/** The account's VMs, checked as its own, with their current states: the dashboard's two queries. */
export async function accountVmsWithStates(db: Database, accountId: number): Promise<{ owned: OwnedVm[]; summaries: VmSummary[] }> {
  const rows = await selectAccountVms(db, accountId);
  return { owned: rows as OwnedVm[], summaries: await withStates(db, rows) };
}

/** One checked VM with its current states, as the account's list shows it. */
export async function vmSummary(db: Database, vm: OwnedVm): Promise<VmSummary> {
  const [summary] = await withStates(db, [vm]);
  return summary!;
}

export interface ServiceStateDetail {
  /** null for the host itself. */
  service: string | null;
  state: MonitoringState;
  stateType: StateType;
  attempt: number;
  maxAttempts: number;
  output: string | null;
  since: Date;
  lastCheckAt: Date;
}

/** Current state of the host and every service (one row per service, the newest if Nagios knew it by two names). */
export async function currentStatesForVm(db: Database, vm: OwnedVm): Promise<ServiceStateDetail[]> {
  return (await currentStatesForVms(db, [vm])).get(vm.id) ?? [];
}

/** The same for several checked VMs in one query (the live pages' shared poller, lib/vms/live-hub.ts). */
export async function currentStatesForVms(db: Database, checkedVms: readonly OwnedVm[]): Promise<Map<number, ServiceStateDetail[]>> {
  const out = new Map<number, ServiceStateDetail[]>(checkedVms.map((vm) => [vm.id, []]));
  if (checkedVms.length === 0) return out;
  const rows = await db
    .select({
      vmId: serviceStates.vmId,
      service: serviceStates.service,
      kind: serviceStates.kind,
      state: serviceStates.state,
      stateType: serviceStates.stateType,
      attempt: serviceStates.attempt,
      maxAttempts: serviceStates.maxAttempts,
      output: serviceStates.output,
      since: serviceStates.stateSince,
      lastEventAt: serviceStates.lastEventAt,
      lastCheckAt: serviceStates.lastCheckAt,
    })
    .from(serviceStates)
    .where(checkedVms.length === 1 ? eq(serviceStates.vmId, checkedVms[0]!.id) : inArray(serviceStates.vmId, checkedVms.map((vm) => vm.id)));
  const newest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const key = `${r.vmId}\u0000${r.service}`;
    const seen = newest.get(key);
    if (!seen || r.lastEventAt > seen.lastEventAt) newest.set(key, r);
  }
  for (const r of newest.values()) {
    out.get(r.vmId ?? 0)?.push({
      service: r.kind === 'host' || r.service === '' ? null : r.service,
      state: r.state as MonitoringState,
      stateType: r.stateType,
      attempt: r.attempt,
      maxAttempts: r.maxAttempts,
      output: r.output,
      since: r.since,
      lastCheckAt: r.lastCheckAt,
    });
  }
  return out;
}

/** The service names ('' for the host) the VM has a current state for, history or not (e.g. perfdata checks). */
export async function currentServiceNames(db: Database, vm: OwnedVm): Promise<string[]> {
  return (await db.selectDistinct({ service: serviceStates.service }).from(serviceStates).where(eq(serviceStates.vmId, vm.id))).map((r) => r.service);
}
