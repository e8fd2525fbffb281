import 'server-only';
import { and, asc, desc, eq } from 'drizzle-orm';
import { type MxCheck, type MxCheckResult, parseMailDomain } from '../../guides/mx-backup';
import { GuideInputError } from '../../guides/net-schemas';
import type { Database } from '../connection';
import { type Result, fail, ok } from '../../result';
import { driverError } from '../errors';
import { accounts, mailDomains, mxChecks } from '../schema';

// A customer's mail domains for the MX backup service, and the stored results of live DNS checks.
// Every function takes the account explicitly: a domain id from a form is only used within it.

export interface StoredCheck {
  id: number;
  checkedAt: Date;
  ok: boolean;
  checks: MxCheck[];
}

export interface MailDomainView {
  id: number;
  domain: string;
  createdAt: Date;
  latestCheck: StoredCheck | null;
}

const isDuplicate = (err: unknown): boolean => driverError(err).code === 'ER_DUP_ENTRY';

export async function addMailDomain(db: Database, accountId: number, raw: string): Promise<Result<{ id: number; domain: string }>> {
  let domain: string;
  try {
    domain = parseMailDomain(raw);
  } catch (err) {
    if (err instanceof GuideInputError) return fail(err.message.replace(/^Invalid mail domain: /, ''));
    throw err;
  }
  const duplicate = `${domain} is already in your list.`;
  const [existing] = await db
    .select({ id: mailDomains.id })
    .from(mailDomains)
    .where(and(eq(mailDomains.accountId, accountId), eq(mailDomains.domain, domain)));
  if (existing) return fail(duplicate);
  try {
    const [row] = await db.insert(mailDomains).values({ accountId, domain }).$returningId();
    return ok({ id: row!.id, domain });
  } catch (err) {
    // Two submissions at once: the unique key decides.
    if (isDuplicate(err)) return fail(duplicate);
    throw err;
  }
}

async function ownDomain(db: Database, accountId: number, id: number) {
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const [row] = await db
    .select({ id: mailDomains.id, domain: mailDomains.domain })
    .from(mailDomains)
    .where(and(eq(mailDomains.accountId, accountId), eq(mailDomains.id, id)));
  return row ?? null;
}

/** Removes the domain and (by cascade) its checks; another account's id is "not found". */
export async function removeMailDomain(db: Database, accountId: number, id: number): Promise<Result<{ domain: string }>> {
  const row = await ownDomain(db, accountId, id);
  if (!row) return fail('That mail domain is not in your list.');
  await db.delete(mailDomains).where(and(eq(mailDomains.accountId, accountId), eq(mailDomains.id, id)));
  return ok({ domain: row.domain });
}

/**
 * Checks one of the account's domains with `check` (the live DNS lookup, lib/net/mx-check.ts
 * `mxCheckerFor`), stores the result with its time, and returns it. The lookup is passed in so
 * that this room stays SQL: only a domain the account owns is ever looked up.
 */
export async function runMxCheck(
  db: Database,
  accountId: number,
  id: number,
  check: (domain: string) => Promise<MxCheckResult>,
): Promise<Result<{ domain: string; result: MxCheckResult }>> {
  const row = await ownDomain(db, accountId, id);
  if (!row) return fail('That mail domain is not in your list.');
  const result = await check(row.domain);
  await db.insert(mxChecks).values({ mailDomainId: row.id, checkedAt: new Date(result.checkedAt), ok: result.ok, result });
  return ok({ domain: row.domain, result });
}

function toStoredCheck(row: { id: number; checkedAt: Date; ok: boolean; result: unknown }): StoredCheck {
  const result = row.result as Partial<MxCheckResult> | null;
  return { id: row.id, checkedAt: row.checkedAt, ok: row.ok, checks: Array.isArray(result?.checks) ? result.checks : [] };
}

async function latestCheck(db: Database, mailDomainId: number): Promise<StoredCheck | null> {
  const [row] = await db
    .select({ id: mxChecks.id, checkedAt: mxChecks.checkedAt, ok: mxChecks.ok, result: mxChecks.result })
    .from(mxChecks)
    .where(eq(mxChecks.mailDomainId, mailDomainId))
    .orderBy(desc(mxChecks.checkedAt), desc(mxChecks.id))
    .limit(1);
  return row ? toStoredCheck(row) : null;
}

export async function listMailDomains(db: Database, accountId: number): Promise<MailDomainView[]> {
  const rows = await db
    .select({ id: mailDomains.id, domain: mailDomains.domain, createdAt: mailDomains.createdAt })
    .from(mailDomains)
    .where(eq(mailDomains.accountId, accountId))
    .orderBy(asc(mailDomains.domain));
  return Promise.all(rows.map(async (r) => ({ ...r, latestCheck: await latestCheck(db, r.id) })));
}

/** For staff: every customer's domain with its account and latest check. */
export async function listAllMailDomains(db: Database): Promise<Array<MailDomainView & { accountName: string }>> {
  const rows = await db
    .select({ id: mailDomains.id, domain: mailDomains.domain, createdAt: mailDomains.createdAt, accountName: accounts.name })
    .from(mailDomains)
    .innerJoin(accounts, eq(accounts.id, mailDomains.accountId))
    .orderBy(asc(mailDomains.domain), asc(accounts.name));
  return Promise.all(rows.map(async (r) => ({ ...r, latestCheck: await latestCheck(db, r.id) })));
}
