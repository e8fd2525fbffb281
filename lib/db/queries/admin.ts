import 'server-only';
import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../connection';
import { accounts, plans, users, vms } from '../schema';

// Staff-only reads across every account: callers must have passed requireStaff().

export async function listAccountsWithCounts(db: Database) {
  return db
    .select({
      id: accounts.id,
      slug: accounts.slug,
      name: accounts.name,
      vmCount: sql<number>`(SELECT COUNT(*) FROM ${vms} WHERE ${vms.accountId} = ${accounts.id})`,
      userCount: sql<number>`(SELECT COUNT(*) FROM ${users} WHERE ${users.accountId} = ${accounts.id})`,
    })
    .from(accounts)
    .orderBy(asc(accounts.name));
}

export async function listAllVms(db: Database) {
  return db
    .select({ id: vms.id, hostname: vms.hostname, address: vms.address, account: accounts.name, plan: plans.name, release: vms.ubuntuRelease })
    .from(vms)
    .innerJoin(accounts, eq(accounts.id, vms.accountId))
    .innerJoin(plans, eq(plans.id, vms.planId))
    .orderBy(asc(accounts.name), asc(vms.hostname));
}
