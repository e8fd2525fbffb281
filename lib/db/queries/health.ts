// No 'server-only': the start-up check (lib/preflight.ts) runs in scripts/demo.ts too.
import { and, count, desc, eq, inArray, lte, max, sql } from 'drizzle-orm';
import type { Database } from '../connection';
import { alertDeliveries, deadLetters, ingesterStatus, monitoringEvents } from '../schema';

/** A round trip to the database: it answers queries, not just its socket. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.execute(sql`SELECT 1`);
}

export interface PipelineHealthRow {
  ingesters: Array<{ instance: string; destination: string; connected: boolean; updatedAt: Date; lastMessageAt: Date | null }>;
  newestEventAt: Date | null;
  deadLetters: number;
  notificationBacklog: number;
}

/** The delivery states the notifier picks up once due_at passes (lib/db/queries/notifier.ts, claimDue). */
const WAITING_DELIVERIES = ['pending', 'sending', 'waiting', 'held', 'grouped', 'digested'] as const;

/**
 * What /api/health reports of the pipeline, each from an index: ingester heartbeats, the newest stored
 * event (monitoring_events_received_idx), new dead letters (dead_letters_status_idx) and alert
 * deliveries already due (alert_deliveries_due_idx).
 */
export async function pipelineHealthRow(db: Database, now = new Date()): Promise<PipelineHealthRow> {
  const [ingesters, [newest], [dead], [backlog]] = await Promise.all([
    db
      .select({
        instance: ingesterStatus.instance,
        destination: ingesterStatus.destination,
        connected: ingesterStatus.connected,
        updatedAt: ingesterStatus.updatedAt,
        lastMessageAt: ingesterStatus.lastMessageAt,
      })
      .from(ingesterStatus)
      .orderBy(desc(ingesterStatus.updatedAt))
      .limit(50),
    db.select({ at: max(monitoringEvents.receivedAt) }).from(monitoringEvents),
    db.select({ n: count() }).from(deadLetters).where(eq(deadLetters.status, 'new')),
    db
      .select({ n: count() })
      .from(alertDeliveries)
      .where(and(inArray(alertDeliveries.status, [...WAITING_DELIVERIES]), lte(alertDeliveries.dueAt, now))),
  ]);
  return {
    ingesters,
    newestEventAt: newest?.at ?? null,
    deadLetters: dead?.n ?? 0,
    notificationBacklog: backlog?.n ?? 0,
  };
}
