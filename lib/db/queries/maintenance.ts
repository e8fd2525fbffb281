import { and, asc, eq, gt, lte } from 'drizzle-orm';
import type { Database } from '../connection';
import { maintenanceWindows } from '../schema';
import type { OwnedVm } from './vms';
import type { MaintenanceInput } from '../../alerts/maintenance';

// Maintenance windows of one checked VM. Every read and write is scoped by the VM's account as well as
// its id, so a window id from another account finds nothing.

export interface MaintenanceWindow {
  id: number;
  vmId: number;
  startsAt: Date;
  endsAt: Date;
  reason: string | null;
  createdAt: Date;
}

const columns = {
  id: maintenanceWindows.id,
  vmId: maintenanceWindows.vmId,
  startsAt: maintenanceWindows.startsAt,
  endsAt: maintenanceWindows.endsAt,
  reason: maintenanceWindows.reason,
  createdAt: maintenanceWindows.createdAt,
};

const ofVm = (vm: OwnedVm) => and(eq(maintenanceWindows.accountId, vm.accountId), eq(maintenanceWindows.vmId, vm.id));

/** The VM's windows that have not ended, soonest first, and the last few that have. */
export async function vmMaintenance(db: Database, vm: OwnedVm, now: Date, pastLimit = 5): Promise<{ current: MaintenanceWindow[]; past: MaintenanceWindow[] }> {
  const [current, past] = await Promise.all([
    db.select(columns).from(maintenanceWindows).where(and(ofVm(vm), gt(maintenanceWindows.endsAt, now))).orderBy(asc(maintenanceWindows.startsAt)),
    db
      .select(columns)
      .from(maintenanceWindows)
      .where(and(ofVm(vm), lte(maintenanceWindows.endsAt, now)))
      .orderBy(maintenanceWindows.endsAt)
      .limit(pastLimit),
  ]);
  return { current, past: past.reverse() };
}

export async function maintenanceWindow(db: Database, vm: OwnedVm, windowId: number): Promise<MaintenanceWindow | null> {
  const [row] = await db.select(columns).from(maintenanceWindows).where(and(ofVm(vm), eq(maintenanceWindows.id, windowId)));
  return row ?? null;
}

export async function insertMaintenance(db: Database, vm: OwnedVm, input: MaintenanceInput, now: Date): Promise<number> {
  const [row] = await db
    .insert(maintenanceWindows)
    .values({ accountId: vm.accountId, vmId: vm.id, startsAt: input.startsAt, endsAt: input.endsAt, reason: input.reason, createdAt: now })
    .$returningId();
  return row!.id;
}

export async function setMaintenanceEnd(db: Database, vm: OwnedVm, windowId: number, endsAt: Date): Promise<void> {
  await db.update(maintenanceWindows).set({ endsAt }).where(and(ofVm(vm), eq(maintenanceWindows.id, windowId)));
}

export async function deleteMaintenance(db: Database, vm: OwnedVm, windowId: number): Promise<void> {
  await db.delete(maintenanceWindows).where(and(ofVm(vm), eq(maintenanceWindows.id, windowId)));
}
