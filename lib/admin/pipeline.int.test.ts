import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/connection';
import { deadLetters, monitoringEvents } from '../db/schema';
import { discardDeadLetter, pipelineStatus, replayDeadLetter } from './pipeline';

const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 2 });
afterAll(() => pool.end());

async function deadLetter(body: string) {
  const [row] = await db
    .insert(deadLetters)
    .values({ receivedAt: new Date(), destination: '/queue/test', messageId: randomUUID(), headers: {}, body, reason: 'was invalid' })
    .$returningId();
  return row!.id;
}

describe('dead letters', () => {
  it('replays a body that now validates: stored once, marked replayed', async () => {
    const host = `replay-${randomUUID().slice(0, 8)}.example.com`;
    const id = await deadLetter(JSON.stringify({ time_t: 1700000000, state: 'OK', state_type: 'HARD', state_time: 0, attempt: 1, hostname: host, max_attempts: 3, service: 'HTTP' }));
    expect(await replayDeadLetter(db, id)).toEqual({ ok: true });
    expect(await db.select().from(monitoringEvents).where(eq(monitoringEvents.hostname, host))).toHaveLength(1);
    expect((await db.select().from(deadLetters).where(eq(deadLetters.id, id)))[0]).toMatchObject({ status: 'replayed' });
    expect(await replayDeadLetter(db, id)).toEqual({ ok: false, reason: 'No such dead letter waiting.' });
  });

  it('leaves a body that still fails as it is, with the reason', async () => {
    const id = await deadLetter('{"still": "broken"');
    const result = await replayDeadLetter(db, id);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^Still invalid: /);
    expect((await db.select().from(deadLetters).where(eq(deadLetters.id, id)))[0]).toMatchObject({ status: 'new' });
  });

  it('discards once', async () => {
    const id = await deadLetter('nope');
    expect(await discardDeadLetter(db, id)).toBe(true);
    expect(await discardDeadLetter(db, id)).toBe(false);
  });

  it('reports the pipeline: last event, rate and waiting dead letters', async () => {
    const status = await pipelineStatus(db);
    expect(status.deadLetters).toBeGreaterThanOrEqual(1);
    expect(status.lastEventAt).toBeInstanceOf(Date);
    expect(typeof status.eventsLastMinute).toBe('number');
  });
});
