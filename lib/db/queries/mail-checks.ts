// The scheduled re-run of the customers' mail-domain DNS checks (lib/mx/mail-checks.ts): which domains to
// check, the lease that lets one of several notifiers run each round, and storing a result beside the ones
// the customer's "Check now" stores (lib/db/queries/mail-domains.ts). No 'server-only': the notifier imports it.
import { and, asc, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { MxCheckResult } from '../../guides/mx-backup';
import type { Database } from '../connection';
import { driverError } from '../errors';
import { accounts, mailDomains, mxChecks, settings } from '../schema';

export const MAIL_CHECK_LEASE_KEY = 'job.mail_domain_check';

export interface ScheduledDomain {
  id: number;
  accountId: number;
  domain: string;
  /** The newest stored result's verdict; null when never checked. */
  lastOk: boolean | null;
}

/** Every domain of an account that is not suspended (or of the given accounts only), with its newest verdict. */
export async function scheduledMailDomains(db: Database, accountIds?: readonly number[]): Promise<ScheduledDomain[]> {
  if (accountIds && accountIds.length === 0) return [];
  const rows = await db
    .select({ id: mailDomains.id, accountId: mailDomains.accountId, domain: mailDomains.domain })
    .from(mailDomains)
    .innerJoin(accounts, and(eq(accounts.id, mailDomains.accountId), isNull(accounts.suspendedAt)))
    .where(accountIds ? inArray(mailDomains.accountId, [...accountIds]) : undefined)
    .orderBy(asc(mailDomains.id));
  const out: ScheduledDomain[] = [];
  for (const r of rows) {
    const [latest] = await db
      .select({ ok: mxChecks.ok })
      .from(mxChecks)
      .where(eq(mxChecks.mailDomainId, r.id))
      .orderBy(desc(mxChecks.checkedAt), desc(mxChecks.id))
      .limit(1);
    out.push({ ...r, lastOk: latest ? latest.ok : null });
  }
  return out;
}

/** Stores one result of a domain (false when the domain was removed meanwhile). */
export async function saveMailCheck(db: Database, mailDomainId: number, result: MxCheckResult): Promise<boolean> {
  const [exists] = await db.select({ id: mailDomains.id }).from(mailDomains).where(eq(mailDomains.id, mailDomainId));
  if (!exists) return false;
  try {
    await db.insert(mxChecks).values({ mailDomainId, checkedAt: new Date(result.checkedAt), ok: result.ok, result });
    return true;
  } catch (error) {
    // Removed between the look and the insert: the foreign key refuses the row.
    if (driverError(error).code === 'ER_NO_REFERENCED_ROW_2') return false;
    throw error;
  }
}

/**
 * Claims the scheduled round: true for exactly one caller per interval, across every process. The same
 * conditional UPDATE on a settings row as the relay check's (lib/db/queries/mx-relay.ts claimRelaySchedule).
 */
export async function claimMailCheckSchedule(db: Database, owner: string, intervalMs: number, now = new Date()): Promise<boolean> {
  await db
    .insert(settings)
    .values({ key: MAIL_CHECK_LEASE_KEY, value: { owner: null }, updatedAt: new Date(0), updatedBy: null })
    .onDuplicateKeyUpdate({ set: { key: sql`${settings.key}` } });
  const [result] = await db
    .update(settings)
    .set({ value: { owner: owner.slice(0, 64), claimedAt: now.toISOString() }, updatedAt: now, updatedBy: owner.slice(0, 64) })
    .where(and(eq(settings.key, MAIL_CHECK_LEASE_KEY), lt(settings.updatedAt, new Date(now.getTime() - intervalMs))));
  return result.affectedRows === 1;
}
