import { asc, count, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/connection';
import { accounts, auditLog, deadLetters, plans, users, vms } from '../db/schema';

// Staff-only reads: callers must have passed requireStaff().

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

export async function listUsers(db: Database) {
  return db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      isStaff: users.isStaff,
      accountId: users.accountId,
      accountSource: users.accountSource,
      lastLoginAt: users.lastLoginAt,
    })
    .from(users)
    .orderBy(asc(users.username));
}

export async function recentAudit(db: Database, limit = 50) {
  return db.select().from(auditLog).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(limit);
}

export async function newDeadLetterCount(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(deadLetters).where(eq(deadLetters.status, 'new'));
  return row?.n ?? 0;
}
