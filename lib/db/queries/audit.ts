import 'server-only';
import { and, count, desc, eq, gt } from 'drizzle-orm';
import type { Database } from '../connection';
import { auditLog } from '../schema';

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
