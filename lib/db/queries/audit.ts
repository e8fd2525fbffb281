import 'server-only';
import { and, count, desc, eq, gt, gte, inArray, like, lt, lte, or } from 'drizzle-orm';
import type { Database } from '../connection';
import { accounts, auditLog, plans, users, vms } from '../schema';

export interface AuditInput {
  action: string;
  actor?: { id?: number | null; username?: string | null } | null;
  accountId?: number | null;
  target?: { type: string; id: string | number } | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** Every mutation and every login decision leaves a row here. */
export async function recordAudit(db: Database, input: AuditInput): Promise<void> {
  await db.insert(auditLog).values({
    at: new Date(),
    action: input.action,
    actorUserId: input.actor?.id ?? null,
    actorUsername: input.actor?.username?.slice(0, 255) ?? null,
    accountId: input.accountId ?? null,
    targetType: input.target?.type ?? null,
    targetId: input.target ? String(input.target.id) : null,
    ip: input.ip?.slice(0, 45) ?? null,
    details: input.details ?? null,
  });
}

/** Staff only: the newest entries first. */
export async function recentAudit(db: Database, limit = 50) {
  return db.select().from(auditLog).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(limit);
}

/** How often an account's users did `action` since `since` (rate limits on what costs someone else). */
export async function countAudit(db: Database, accountId: number, action: string, since: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(auditLog)
    .where(and(eq(auditLog.accountId, accountId), eq(auditLog.action, action), gt(auditLog.at, since)));
  return row?.n ?? 0;
}

export interface AuditSearch {
  /** The actor's username, exactly. */
  actor?: string;
  /** The start of the action: "alerts.", "login.", or a whole action. */
  action?: string;
  targetType?: string;
  targetId?: string;
  accountId?: number;
  /** Entries at or after this instant. */
  from?: Date;
  /** Entries at or before this instant. */
  to?: Date;
  /** The cursor: the id of the previous page's last entry; the page goes on with the entries after it in the order (time, then id, newest first). */
  before?: number;
  limit: number;
}

export interface AuditRow {
  id: number;
  at: Date;
  action: string;
  actorUserId: number | null;
  actorUsername: string | null;
  accountId: number | null;
  accountName: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
  /** The target's name: a VM's hostname, a user's username, a plan's name (null for other kinds, or when it is gone). */
  targetName: string | null;
  /** For an order: its VM's hostname. */
  vmName: string | null;
  /** The plans named by slug in the entry's details (plan changes, new VMs). */
  plans: Record<string, { name: string; currency: string }>;
}

/** `LIKE` text that matches `prefix` literally at the start (an action has `_` in it). */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const numericIds = (values: Array<unknown>) => [...new Set(values.map((v) => (typeof v === 'number' ? v : typeof v === 'string' && /^[1-9][0-9]{0,9}$/.test(v) ? Number(v) : NaN)).filter((n) => Number.isSafeInteger(n) && n > 0 && n <= 2_147_483_647))];

/** The entries after the cursor entry in the order `at` desc, `id` desc; an unknown id pages by id alone. */
async function afterCursor(db: Database, before: number | undefined) {
  if (before === undefined) return undefined;
  const [cursor] = await db.select({ at: auditLog.at }).from(auditLog).where(eq(auditLog.id, before));
  if (!cursor) return lt(auditLog.id, before);
  return or(lt(auditLog.at, cursor.at), and(eq(auditLog.at, cursor.at), lt(auditLog.id, before)));
}

/**
 * Staff: the log filtered, newest first (by time, then id), with the account's name and what the
 * sentences need (VM, user and plan names) looked up for the page's rows only. The cursor is an id.
 * Indexes: the order is audit_log_at_idx read backwards (InnoDB keeps the id in it), or
 * audit_log_account_at_idx for one account; a time range narrows either. Actor, action and target are
 * checked on the rows that walk reads: fine while the log is modest, and see the note on indexes.
 */
export async function searchAudit(db: Database, search: AuditSearch): Promise<AuditRow[]> {
  const limit = Math.min(Math.max(Math.trunc(search.limit) || 1, 1), 500);
  const where = and(
    search.actor !== undefined ? eq(auditLog.actorUsername, search.actor) : undefined,
    search.action ? like(auditLog.action, likePrefix(search.action)) : undefined,
    search.targetType !== undefined ? eq(auditLog.targetType, search.targetType) : undefined,
    search.targetId !== undefined ? eq(auditLog.targetId, search.targetId) : undefined,
    search.accountId !== undefined ? eq(auditLog.accountId, search.accountId) : undefined,
    search.from ? gte(auditLog.at, search.from) : undefined,
    search.to ? lte(auditLog.at, search.to) : undefined,
    await afterCursor(db, search.before),
  );
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      actorUserId: auditLog.actorUserId,
      actorUsername: auditLog.actorUsername,
      accountId: auditLog.accountId,
      accountName: accounts.name,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      ip: auditLog.ip,
      details: auditLog.details,
    })
    .from(auditLog)
    .leftJoin(accounts, eq(accounts.id, auditLog.accountId))
    .where(where)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit);
  if (rows.length === 0) return [];

  // Names for the sentences, by primary key or unique slug: a handful of lookups per page, not a join per row.
  const detailsOf = (r: (typeof rows)[number]) => (r.details && typeof r.details === 'object' && !Array.isArray(r.details) ? r.details : {});
  const vmIds = numericIds(rows.flatMap((r) => [r.targetType === 'vm' ? r.targetId : null, r.targetType === 'plan_order' ? detailsOf(r).vmId : null]));
  const userIds = numericIds(rows.map((r) => (r.targetType === 'user' ? r.targetId : null)));
  const planIds = numericIds(rows.map((r) => (r.targetType === 'plan' ? r.targetId : null)));
  const slugs = [
    ...new Set(
      rows
        .flatMap((r) => [detailsOf(r).from, detailsOf(r).to, detailsOf(r).planSlug])
        .filter((s): s is string => typeof s === 'string' && s.length > 0 && s.length <= 32),
    ),
  ];
  const [vmRows, userRows, planRows, slugRows] = await Promise.all([
    vmIds.length ? db.select({ id: vms.id, name: vms.hostname }).from(vms).where(inArray(vms.id, vmIds)) : [],
    userIds.length ? db.select({ id: users.id, name: users.username }).from(users).where(inArray(users.id, userIds)) : [],
    planIds.length ? db.select({ id: plans.id, name: plans.name }).from(plans).where(inArray(plans.id, planIds)) : [],
    slugs.length ? db.select({ slug: plans.slug, name: plans.name, currency: plans.currency }).from(plans).where(inArray(plans.slug, slugs)) : [],
  ]);
  const names: Record<string, Map<number, string>> = {
    vm: new Map(vmRows.map((v) => [v.id, v.name])),
    user: new Map(userRows.map((u) => [u.id, u.name])),
    plan: new Map(planRows.map((p) => [p.id, p.name])),
  };
  const bySlug = new Map(slugRows.map((p) => [p.slug, { name: p.name, currency: p.currency }]));
  return rows.map((r) => {
    const d = detailsOf(r);
    const kind = r.targetType ? names[r.targetType] : undefined;
    const plansNamed: AuditRow['plans'] = {};
    for (const s of [d.from, d.to, d.planSlug]) {
      const plan = typeof s === 'string' ? bySlug.get(s) : undefined;
      if (plan) plansNamed[s as string] = plan;
    }
    return {
      ...r,
      details: r.details ?? null,
      targetName: kind && r.targetId ? (kind.get(Number(r.targetId)) ?? null) : null,
      vmName: r.targetType === 'plan_order' ? (names.vm!.get(Number(d.vmId)) ?? null) : null,
      plans: plansNamed,
    };
  });
}
