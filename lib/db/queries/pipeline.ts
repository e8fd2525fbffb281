import 'server-only';
import { and, count, desc, eq, gt, max } from 'drizzle-orm';
import type { Database } from '../connection';
import { deadLetters, ingesterStatus, monitoringEvents } from '../schema';

// Staff-only reads and writes of the event pipeline: callers must have passed requireStaff().

/** An ingester that has not reported for this long is shown as stale. */
const STALE_MS = 30_000;

export async function pipelineStatus(db: Database, now = new Date()) {
  const [ingesters, [last], [recent], dead] = await Promise.all([
    db.select().from(ingesterStatus).orderBy(desc(ingesterStatus.updatedAt)),
    db.select({ at: max(monitoringEvents.receivedAt) }).from(monitoringEvents),
    db.select({ n: count() }).from(monitoringEvents).where(gt(monitoringEvents.receivedAt, new Date(now.getTime() - 60_000))),
    newDeadLetterCount(db),
  ]);
  return {
    lastEventAt: last?.at ?? null,
    eventsLastMinute: recent?.n ?? 0,
    deadLetters: dead,
    ingesters: ingesters.map((i) => ({
      instance: i.instance,
      destination: i.destination,
      connected: i.connected && now.getTime() - i.updatedAt.getTime() < STALE_MS,
      stale: now.getTime() - i.updatedAt.getTime() >= STALE_MS,
      updatedAt: i.updatedAt,
      lastMessageAt: i.lastMessageAt,
      messagesTotal: i.messagesTotal,
      deadLettersTotal: i.deadLettersTotal,
      lastError: i.lastError,
    })),
  };
}

/** Dead letters waiting for staff (neither replayed nor discarded). */
export async function newDeadLetterCount(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(deadLetters).where(eq(deadLetters.status, 'new'));
  return row?.n ?? 0;
}

export async function listDeadLetters(db: Database, limit = 100) {
  return db.select().from(deadLetters).where(eq(deadLetters.status, 'new')).orderBy(desc(deadLetters.receivedAt)).limit(limit);
}

/** A dead letter still waiting, or null. */
export async function findWaitingDeadLetter(db: Database, id: number) {
  const [letter] = await db.select().from(deadLetters).where(and(eq(deadLetters.id, id), eq(deadLetters.status, 'new')));
  return letter ?? null;
}

/** Marks a waiting dead letter replayed or discarded; false when it was not waiting (any more). */
export async function resolveDeadLetter(db: Database, id: number, status: 'replayed' | 'discarded', now = new Date()): Promise<boolean> {
  const [result] = await db
    .update(deadLetters)
    .set({ status, resolvedAt: now })
    .where(and(eq(deadLetters.id, id), eq(deadLetters.status, 'new')));
  return result.affectedRows === 1;
}
