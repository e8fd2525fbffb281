import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/connection';
import { pipelineStatus, resolveDeadLetter } from '../db/queries/pipeline';
import { accounts, deadLetters, monitoringEvents, planOrders, plans, vms } from '../db/schema';
import { replayWaitingDeadLetter } from './pipeline';

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
    expect(await replayWaitingDeadLetter(db, id)).toEqual({ ok: true, value: undefined });
    expect(await db.select().from(monitoringEvents).where(eq(monitoringEvents.hostname, host))).toHaveLength(1);
    expect((await db.select().from(deadLetters).where(eq(deadLetters.id, id)))[0]).toMatchObject({ status: 'replayed' });
    expect(await replayWaitingDeadLetter(db, id)).toEqual({ ok: false, error: 'No such dead letter waiting.' });
  });

  it('leaves a body that still fails as it is, with the reason', async () => {
    const id = await deadLetter('{"still": "broken"');
    const result = await replayWaitingDeadLetter(db, id);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(/^Still invalid: /);
    expect((await db.select().from(deadLetters).where(eq(deadLetters.id, id)))[0]).toMatchObject({ status: 'new' });
  });

  it('judges a body against the time of the replay: an event from the future waits for its time', async () => {
    const host = `replay-${randomUUID().slice(0, 8)}.example.com`;
    const at = Math.floor(Date.now() / 1000) + 3600;
    const id = await deadLetter(JSON.stringify({ time_t: at, state: 'OK', state_type: 'HARD', state_time: 0, attempt: 1, hostname: host, max_attempts: 3, service: 'HTTP' }));
    const early = await replayWaitingDeadLetter(db, id);
    expect(!early.ok && early.error).toMatch(/^Still invalid: time_t .* the sender's clock is ahead$/);
    expect(await replayWaitingDeadLetter(db, id, () => at * 1000)).toEqual({ ok: true, value: undefined });
    expect(await db.select().from(monitoringEvents).where(eq(monitoringEvents.hostname, host))).toHaveLength(1);
  });

  it('discards once', async () => {
    const id = await deadLetter('nope');
    expect(await resolveDeadLetter(db, id, 'discarded')).toBe(true);
    expect(await resolveDeadLetter(db, id, 'discarded')).toBe(false);
  });

  it('reports the pipeline: last event, rate and waiting dead letters', async () => {
    const status = await pipelineStatus(db);
    expect(status.deadLetters).toBeGreaterThanOrEqual(1);
    expect(status.lastEventAt).toBeInstanceOf(Date);
    expect(typeof status.eventsLastMinute).toBe('number');
  });
});

describe('a provisioning reply kept as a dead letter', () => {
  it('is replayed through the reply handling: applied once the order allows it, refused with the reason while not', async () => {
    const run = randomUUID().slice(0, 8);
    await db.insert(accounts).values({ slug: `replay-${run}`, name: `replay ${run}` });
    const [account] = await db.select().from(accounts).where(eq(accounts.slug, `replay-${run}`));
    const [small] = await db.select().from(plans).where(eq(plans.slug, 'small'));
    const [medium] = await db.select().from(plans).where(eq(plans.slug, 'medium'));
    const host = `replay-${run}.example`;
    await db.insert(vms).values({ accountId: account!.id, nagiosHostName: host, hostname: host, address: '10.97.0.1', ubuntuRelease: '24.04', planId: small!.id });
    const [vm] = await db.select().from(vms).where(eq(vms.nagiosHostName, host));
    const pricing = { fromPriceMinor: 0, toPriceMinor: 0, daysLeft: 1, daysInPeriod: 30, periodStart: '', periodEnd: '', explanation: '' };
    const [order] = await db
      .insert(planOrders)
      .values({ accountId: account!.id, vmId: vm!.id, openVmId: vm!.id, fromPlanId: small!.id, toPlanId: medium!.id, idempotencyKey: `replay-${run}`, status: 'sent', amountMinor: 0, currency: 'EUR', pricing, requestedBy: 'test', createdAt: new Date(), updatedAt: new Date() })
      .$returningId();
    const letter = async (body: unknown) =>
      (
        await db
          .insert(deadLetters)
          .values({ receivedAt: new Date(), destination: '/queue/portal.provisioning.replies', messageId: randomUUID(), headers: {}, body: JSON.stringify(body), reason: 'was refused' })
          .$returningId()
      )[0]!.id;
    const wrongKey = await letter({ orderId: order!.id, status: 'completed', idempotencyKey: 'not-this-order' });
    expect(await replayWaitingDeadLetter(db, wrongKey)).toEqual({ ok: false, error: `Still refused: The reply's idempotencyKey does not match order ${order!.id}.` });
    const good = await letter({ orderId: order!.id, status: 'completed' });
    expect(await replayWaitingDeadLetter(db, good)).toEqual({ ok: true, value: undefined });
    expect((await db.select().from(planOrders).where(eq(planOrders.id, order!.id)))[0]).toMatchObject({ status: 'completed', openVmId: null });
    expect((await db.select().from(vms).where(eq(vms.id, vm!.id)))[0]!.planId).toBe(medium!.id);
  });
});
