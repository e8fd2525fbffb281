import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/connection';
import { plans, serviceStates, vms } from '../db/schema';
import type { MonitoringState } from '../monitoring/event';
import { worstState } from '../monitoring/severity';

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
  lastCheckAt: Date | null;
}

const vmColumns = {
  id: vms.id,
  hostname: vms.hostname,
  nagiosHostName: vms.nagiosHostName,
  address: vms.address,
  addressV6: vms.addressV6,
  ubuntuRelease: vms.ubuntuRelease,
  planSlug: plans.slug,
  planName: plans.name,
};

/** The account's VMs with their plans (one of them with `vmId`): every customer query names the account. */
function selectAccountVms(db: Database, accountId: number, vmId?: number) {
  return db
    .select(vmColumns)
    .from(vms)
    .innerJoin(plans, eq(plans.id, vms.planId))
    .where(and(eq(vms.accountId, accountId), vmId === undefined ? undefined : eq(vms.id, vmId)))
    .orderBy(asc(vms.hostname));
}

type VmRow = Awaited<ReturnType<typeof selectAccountVms>>[number];

async function withStates(db: Database, rows: VmRow[]): Promise<VmSummary[]> {
  if (rows.length === 0) return [];
  const states = await db
    .select({
      vmId: serviceStates.vmId,
      service: serviceStates.service,
      state: serviceStates.state,
      stateType: serviceStates.stateType,
      lastCheckAt: serviceStates.lastCheckAt,
    })
    .from(serviceStates)
    .where(inArray(serviceStates.vmId, rows.map((r) => r.id)));
  return rows.map((row) => {
    const mine = states.filter((s) => s.vmId === row.id);
    const host = mine.find((s) => s.service === '');
    const lastCheck = mine.reduce<Date | null>((latest, s) => (!latest || s.lastCheckAt > latest ? s.lastCheckAt : latest), null);
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
    };
  });
}

/** The account's VMs. */
export async function listAccountVms(db: Database, accountId: number): Promise<VmSummary[]> {
  return withStates(db, await selectAccountVms(db, accountId));
}

/** One VM, only if it belongs to the account: another account's id is indistinguishable from a missing one. */
export async function getAccountVm(db: Database, accountId: number, vmId: number): Promise<VmSummary | null> {
  if (!Number.isSafeInteger(vmId) || vmId <= 0) return null;
  const [vm] = await withStates(db, await selectAccountVms(db, accountId, vmId));
  return vm ?? null;
}

/** Route parameters arrive as text; anything but a plain positive integer is "not found". */
export function parseId(raw: string): number | null {
  return /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : null;
}

export function vmToJson(vm: VmSummary) {
  return {
    id: vm.id,
    hostname: vm.hostname,
    nagiosHostName: vm.nagiosHostName,
    address: vm.address,
    addressV6: vm.addressV6,
    ubuntuRelease: vm.ubuntuRelease,
    plan: vm.plan,
    state: {
      worst: vm.worst,
      host: vm.hostState,
      problems: vm.problems,
      lastCheckAt: vm.lastCheckAt?.toISOString() ?? null,
    },
  };
}
