import 'server-only';
import type { PortalUser } from '../auth/current-user';
import { isCustomer } from '../auth/current-user';
import type { Database } from '../db/connection';
import { ownedVm, type OwnedVm, vmForStaffView } from '../db/queries/vms';

// Who may read a VM: its own customers, and support staff (read-only: they see what the customer calls
// about). Writes stay with customers (their actions and POST handlers check requireCustomer).

export type VmView = { vm: OwnedVm; staffView: boolean };

/** The VM if the caller may read it; 'no-account' for a login that is neither a customer nor staff. */
export async function viewableVm(db: Database, user: PortalUser, vmId: number): Promise<VmView | null | 'no-account'> {
  if (isCustomer(user)) {
    const own = await ownedVm(db, user.accountId, vmId);
    if (own) return { vm: own, staffView: false };
  }
  if (user.isStaff) {
    const any = await vmForStaffView(db, vmId);
    return any ? { vm: any, staffView: true } : null;
  }
  return isCustomer(user) ? null : 'no-account';
}
