import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../connection';
import { accounts, alertNotices, alertRules } from '../schema';

// Notices (lib/notify/forecasts.ts): news for a customer that is not a monitoring event.

/** Enabled rules as stored, of one account or of all. */
export async function enabledRuleDefinitions(db: Database, accountId?: number): Promise<Array<{ id: number; accountId: number; definition: unknown }>> {
  const rows = await db
    .select({ id: alertRules.id, accountId: alertRules.accountId, definition: alertRules.definition })
    .from(alertRules)
    // A suspended account's alerts pause, forecasts included.
    .innerJoin(accounts, and(eq(accounts.id, alertRules.accountId), isNull(accounts.suspendedAt)))
    .where(and(eq(alertRules.enabled, true), accountId === undefined ? undefined : eq(alertRules.accountId, accountId)));
  return rows.map((r) => ({ ...r, definition: typeof r.definition === 'string' ? (JSON.parse(r.definition) as unknown) : r.definition }));
}

/** The notice's id: stored now, or found under its key (the same news found again). */
export async function storeNotice(
  db: Database,
  notice: { accountId: number; vmId: number; kind: 'disk' | 'transfer' | 'order' | 'mail'; key: string; text: string },
  now: Date,
): Promise<number | null> {
  await db.insert(alertNotices).ignore().values({ accountId: notice.accountId, vmId: notice.vmId, kind: notice.kind, noticeKey: notice.key, message: notice.text.slice(0, 1024), createdAt: now });
  const [row] = await db.select({ id: alertNotices.id }).from(alertNotices).where(and(eq(alertNotices.noticeKey, notice.key), eq(alertNotices.accountId, notice.accountId)));
  return row?.id ?? null;
}
