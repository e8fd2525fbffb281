import 'server-only';
import { asc, count, eq, isNull } from 'drizzle-orm';
import type { Database } from '../connection';
import { accounts, plans, users, vms } from '../schema';

// Staff-only reads across every account: callers must have passed requireStaff().

/**
 * Every account with its number of VMs and users. Counted by grouping each table on its own: a
 * correlated subquery written with column objects renders them unqualified, and inside
 * `(SELECT … FROM vms WHERE account_id = id)` the bare `id` is the VM's, which is how the overview once
 * said Acme had 1 VM.
 */
export async function listAccountsWithCounts(db: Database) {
  const [rows, vmCounts, userCounts] = await Promise.all([
    db.select({ id: accounts.id, slug: accounts.slug, name: accounts.name }).from(accounts).orderBy(asc(accounts.name)),
    db.select({ accountId: vms.accountId, n: count() }).from(vms).where(isNull(vms.retiredAt)).groupBy(vms.accountId),
    db.select({ accountId: users.accountId, n: count() }).from(users).groupBy(users.accountId),
  ]);
  const vmsOf = new Map(vmCounts.map((r) => [r.accountId, Number(r.n)]));
  const usersOf = new Map(userCounts.map((r) => [r.accountId, Number(r.n)]));
  return rows.map((a) => ({ ...a, vmCount: vmsOf.get(a.id) ?? 0, userCount: usersOf.get(a.id) ?? 0 }));
}

export async function listAllVms(db: Database) {
  return db
    .select({ id: vms.id, hostname: vms.hostname, address: vms.address, account: accounts.name, plan: plans.name, release: vms.ubuntuRelease })
    .from(vms)
    .innerJoin(accounts, eq(accounts.id, vms.accountId))
    .innerJoin(plans, eq(plans.id, vms.planId))
    .where(isNull(vms.retiredAt))
    .orderBy(asc(accounts.name), asc(vms.hostname));
}
