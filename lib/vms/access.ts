import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/connection';
import { plans, vms } from '../db/schema';

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
  planName: string;
}

/**
 * The VM if it belongs to the account, else null: every query in lib/vms starts here, so another
 * account's VM id reads exactly like a missing one.
 */
export async function ownedVm(db: Database, accountId: number, vmId: number): Promise<OwnedVm | null> {
  if (!Number.isSafeInteger(vmId) || vmId <= 0 || vmId > 2_147_483_647) return null;
  const [row] = await db
    .select({
      id: vms.id,
      accountId: vms.accountId,
      hostname: vms.hostname,
      nagiosHostName: vms.nagiosHostName,
      address: vms.address,
      addressV6: vms.addressV6,
      ubuntuRelease: vms.ubuntuRelease,
      planName: plans.name,
    })
    .from(vms)
    .innerJoin(plans, eq(plans.id, vms.planId))
    .where(and(eq(vms.id, vmId), eq(vms.accountId, accountId)));
  return row ? (row as OwnedVm) : null;
}
