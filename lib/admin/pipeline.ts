import { and, count, desc, eq, gt, max } from 'drizzle-orm';
import type { Database } from '../db/connection';
import { deadLetters, ingesterStatus, monitoringEvents } from '../db/schema';
import { DEFAULT_MAX_CLOCK_SKEW_SECONDS, classifyMessage } from '../ingest/classify';
import { storeBatch } from '../ingest/store';

/** An ingester that has not reported for this long is shown as stale. */
const STALE_MS = 30_000;

export async function pipelineStatus(db: Database, now = new Date()) {
  const [ingesters, [last], [recent], [dead]] = await Promise.all([
    db.select().from(ingesterStatus).orderBy(desc(ingesterStatus.updatedAt)),
    db.select({ at: max(monitoringEvents.receivedAt) }).from(monitoringEvents),
    db.select({ n: count() }).from(monitoringEvents).where(gt(monitoringEvents.receivedAt, new Date(now.getTime() - 60_000))),
    db.select({ n: count() }).from(deadLetters).where(eq(deadLetters.status, 'new')),
  ]);
  return {
    lastEventAt: last?.at ?? null,
    eventsLastMinute: recent?.n ?? 0,
    deadLetters: dead?.n ?? 0,
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

export async function listDeadLetters(db: Database, limit = 100) {
  return db.select().from(deadLetters).where(eq(deadLetters.status, 'new')).orderBy(desc(deadLetters.receivedAt)).limit(limit);
}

export type ReplayResult = { ok: true } | { ok: false; reason: string };

/**
 * Re-runs a dead letter through today's validation (after a fix): stored like any event and
 * marked replayed, or left as it is with the reason it still fails.
 */
export async function replayDeadLetter(db: Database, id: number): Promise<ReplayResult> {
  const [letter] = await db.select().from(deadLetters).where(and(eq(deadLetters.id, id), eq(deadLetters.status, 'new')));
  if (!letter) return { ok: false, reason: 'No such dead letter waiting.' };
  // Judged against now, not the original receipt: an event that was ahead of the clock can be
  // re-played once its time has come.
  const result = classifyMessage({ body: letter.body, headers: letter.headers ?? {} }, { receivedAtMs: Date.now(), maxClockSkewSec: DEFAULT_MAX_CLOCK_SKEW_SECONDS });
  if (!result.ok) return { ok: false, reason: `Still invalid: ${result.reason}` };
  await storeBatch(db, { events: [result.event] });
  await db.update(deadLetters).set({ status: 'replayed', resolvedAt: new Date() }).where(eq(deadLetters.id, id));
  return { ok: true };
}

export async function discardDeadLetter(db: Database, id: number): Promise<boolean> {
  const [result] = await db
    .update(deadLetters)
    .set({ status: 'discarded', resolvedAt: new Date() })
    .where(and(eq(deadLetters.id, id), eq(deadLetters.status, 'new')));
  return (result as unknown as { affectedRows: number }).affectedRows === 1;
}
