import 'server-only';
import type { Database } from '../db/connection';
import { recordAudit } from '../db/queries/audit';
import { matchVm } from '../db/queries/event-store';
import { vmForStaff } from '../db/queries/onboarding';
import { type AssignCounts, type UnassignedHost, assignHostEvents, unassignedHost } from '../db/queries/unassigned';
import { fail, ok, type Result } from '../result';
import { createVm, type Staff } from './onboarding';

// Staff give the events of a host no VM matched to a VM: an existing one, or one created from the host.
// Either way its earlier events, samples and current states move along (lib/db/queries/unassigned.ts),
// audited as admin.unassigned.assign with what moved.

export interface Assigned extends AssignCounts {
  vmId: number;
  /** Whether the ingester will put the host's next events on this VM by itself (its name or address matches). */
  futureEventsMatch: boolean;
}

export interface CreateFromHost {
  accountKey: string;
  planSlug: string;
  ubuntuRelease: string;
  /** The name customers see; the host's name when not given. */
  hostname?: string | null;
  /** The VM's address; the host's first IP address when not given. */
  address?: string | null;
}

async function audited(db: Database, staff: Staff, host: UnassignedHost, vm: { id: number; accountId: number }, counts: AssignCounts, created: boolean): Promise<void> {
  await recordAudit(db, {
    action: 'admin.unassigned.assign',
    actor: { id: staff.id, username: staff.username },
    accountId: vm.accountId,
    target: { type: 'vm', id: vm.id },
    ip: staff.ip ?? null,
    details: { hostName: host.hostName, hostnames: counts.hostnames, created, events: counts.events, samples: counts.samples, states: counts.states },
  });
}

const noSuchHost = (hostName: string) => [`No unassigned events come from "${hostName}" (any more): reload the list.`];

/** Whether the ingester matches the host's events (any of its hostnames) to `vm` now. */
const ingesterMatches = (host: UnassignedHost, vm: { id: number; nagiosHostName: string; address: string; hostname: string }) =>
  host.hostnames.some((h) => matchVm({ hostName: host.hostName === h ? null : host.hostName, hostname: h, address: null }, [vm]) === vm.id);

/** The host's unassigned events (and their samples and current states) now belong to VM `vmId`. */
export async function assignToVm(db: Database, staff: Staff, hostName: string, vmId: number): Promise<Result<Assigned, string[]>> {
  const name = hostName.trim();
  const [host, vm] = await Promise.all([name ? unassignedHost(db, name) : null, vmForStaff(db, vmId)]);
  if (!vm) return fail(['vmId: no such VM.']);
  if (!host) return fail(noSuchHost(name));
  const counts = await assignHostEvents(db, { hostName: host.hostName, vmId: vm.id });
  if (!counts) return fail(['vmId: no such VM.']);
  if (counts.events + counts.samples + counts.states > 0) await audited(db, staff, host, vm, counts, false);
  return ok({ ...counts, vmId: vm.id, futureEventsMatch: ingesterMatches(host, vm) });
}

/**
 * A VM for the host, created through the same checks and audit as /admin/vms (Nagios host name: the
 * host's; address: its first IP unless given), then given the host's earlier events.
 */
export async function createVmFromHost(db: Database, staff: Staff, hostName: string, input: CreateFromHost): Promise<Result<Assigned, string[]>> {
  const name = hostName.trim();
  const host = name ? await unassignedHost(db, name) : null;
  if (!host) return fail(noSuchHost(name));
  const address = input.address?.trim() || host.address;
  if (!address) return fail([`address: the events of "${host.hostName}" carry no IP address (${host.hostnames.join(', ')}): enter the VM's.`]);
  const created = await createVm(db, staff, {
    accountKey: input.accountKey,
    nagiosHostName: host.hostName,
    hostname: input.hostname?.trim() || host.hostName,
    address,
    ubuntuRelease: input.ubuntuRelease,
    planSlug: input.planSlug,
  });
  if (!created.ok) return created;
  const vm = await vmForStaff(db, created.value);
  const counts = await assignHostEvents(db, { hostName: host.hostName, address, vmId: created.value });
  if (!vm || !counts) throw new Error(`VM ${created.value} vanished while its events were assigned`);
  await audited(db, staff, host, vm, counts, true);
  return ok({ ...counts, vmId: vm.id, futureEventsMatch: ingesterMatches(host, vm) });
}
