import type { Database } from '../db/connection';
import { recordAudit } from '../db/queries/audit';
import { deleteMaintenance, insertMaintenance, maintenanceWindow, setMaintenanceEnd, type MaintenanceWindow } from '../db/queries/maintenance';
import type { OwnedVm } from '../db/queries/vms';
import { parseMaintenance, windowPhase, type RawMaintenance } from '../alerts/maintenance';
import { ok, type Result } from '../result';
import type { Caller } from './rules';

// Planning and ending maintenance windows, shared by the API and the VM page: check, write, audit.

export async function planMaintenance(
  db: Database,
  caller: Caller,
  vm: OwnedVm,
  raw: RawMaintenance,
  timeZone: string,
  now = new Date(),
): Promise<Result<MaintenanceWindow, string[]>> {
  const parsed = parseMaintenance(raw, timeZone, now);
  if (!parsed.ok) return parsed;
  const id = await insertMaintenance(db, vm, parsed.value, now);
  await recordAudit(db, {
    action: 'alerts.maintenance.create',
    actor: { id: caller.id, username: caller.username },
    accountId: vm.accountId,
    target: { type: 'vm', id: vm.id },
    ip: caller.ip ?? null,
    details: { windowId: id, startsAt: parsed.value.startsAt.toISOString(), endsAt: parsed.value.endsAt.toISOString(), reason: parsed.value.reason },
  });
  return ok((await maintenanceWindow(db, vm, id))!);
}

/**
 * Ends a window now. One that has begun keeps its start, so the delivery log's "maintenance window"
 * entries still have their reason; one that has not begun is removed. Null when the VM has no such
 * window; a window already over is left as it is.
 */
export async function endMaintenance(db: Database, caller: Caller, vm: OwnedVm, windowId: number, now = new Date()): Promise<'ended' | 'removed' | 'over' | null> {
  const window = await maintenanceWindow(db, vm, windowId);
  if (!window) return null;
  const phase = windowPhase(window, now);
  if (phase === 'over') return 'over';
  if (phase === 'active') await setMaintenanceEnd(db, vm, windowId, now);
  else await deleteMaintenance(db, vm, windowId);
  const outcome = phase === 'active' ? 'ended' : 'removed';
  await recordAudit(db, {
    action: phase === 'active' ? 'alerts.maintenance.end' : 'alerts.maintenance.delete',
    actor: { id: caller.id, username: caller.username },
    accountId: vm.accountId,
    target: { type: 'vm', id: vm.id },
    ip: caller.ip ?? null,
    details: { windowId },
  });
  return outcome;
}

export const maintenanceToJson = (w: MaintenanceWindow, now: Date) => ({
  id: w.id,
  vmId: w.vmId,
  startsAt: w.startsAt.toISOString(),
  endsAt: w.endsAt.toISOString(),
  reason: w.reason,
  status: windowPhase(w, now),
});
