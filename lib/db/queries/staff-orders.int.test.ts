import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../connection';
import { orderById } from './orders';
import { ownedVm } from './vms';
import { accounts, auditLog, planOrders, plans, provisioningOutbox, vms } from '../schema';
import { parseBrokerUrl } from '../../stomp/broker-url';
import { placeOrder } from '../../plans/orders';
import { ProvisioningWorker } from '../../plans/provisioning';
import { GIB, type UsageNeeds } from '../../plans/recommend';
import { cancelOrder, ordersForStaff, resendOrder } from './staff-orders';

// Staff cancelling and re-sending orders against the real MariaDB: the unsent message goes with the
// cancel, the VM is free again, ended orders are left alone, a re-send is due now (or built again), and
// a row the provisioning worker is sending right now never makes either wait.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 6 });
const run = randomUUID().slice(0, 8);
afterAll(() => pool.end());

const NEEDS: UsageNeeds = { diskUsedBytes: 10 * GIB, diskNeededBytes: 12 * GIB, transferUsedBytes: null, transferProjectedBytes: null };
const carol = { id: null, username: `carol-${run}`, ip: '192.0.2.77' };

async function fixture(name: string) {
  const slug = `s-${run}-${name}`;
  await db.insert(accounts).values({ slug, name: slug });
  const [account] = await db.select().from(accounts).where(eq(accounts.slug, slug));
  const all = await db.select().from(plans);
  const [small, medium] = [all.find((p) => p.slug === 'small')!, all.find((p) => p.slug === 'medium')!];
  const host = `${slug}.example`;
  await db.insert(vms).values({ accountId: account!.id, nagiosHostName: host, hostname: host, address: '10.99.1.1', ubuntuRelease: '24.04', planId: small.id });
  const [row] = await db.select().from(vms).where(eq(vms.nagiosHostName, host));
  const vm = (await ownedVm(db, account!.id, row!.id))!;
  const caller = { id: null, username: `${name}-${run}`, accountId: account!.id, ip: '192.0.2.9' };
  const place = async (key: string) => {
    const placed = await placeOrder(db, caller, vm, { planId: medium.id, idempotencyKey: `k-${run}-${key}` }, NEEDS);
    if (!placed.ok) throw new Error(`placeOrder: ${placed.error.message}`);
    return placed.value.order;
  };
  return { vm, caller, small, medium, place };
}

const outboxOf = (orderId: number) => db.select().from(provisioningOutbox).where(eq(provisioningOutbox.orderId, orderId));
const auditsOf = async (orderId: number) =>
  (await db.select().from(auditLog).where(and(eq(auditLog.targetType, 'plan_order'), eq(auditLog.targetId, String(orderId))))).filter((a) => a.action.startsWith('plans.order.'));

/** What publishDue() does once the broker has the message (lib/plans/provisioning.ts). */
async function published(orderId: number, at: Date) {
  await db.delete(provisioningOutbox).where(eq(provisioningOutbox.orderId, orderId));
  await db.update(planOrders).set({ status: 'sent', sentAt: at, updatedAt: at }).where(and(eq(planOrders.id, orderId), eq(planOrders.status, 'requested')));
}

describe('cancelOrder', () => {
  it('withdraws the unsent message, frees the VM for a new order, and is audited', async () => {
    const { vm, caller, place } = await fixture('cancel');
    const order = await place('cancel');
    expect(await outboxOf(order.id)).toHaveLength(1);
    const now = new Date(Date.now() + 1000);

    const cancelled = await cancelOrder(db, carol, order.id, ' Customer\nasked\u0007 by phone \u2028 ', now);
    expect(cancelled).toMatchObject({ ok: true, value: { id: order.id, status: 'cancelled', reason: 'Cancelled by staff: Customer asked by phone', cancelledAt: now, updatedAt: now } });
    expect(await outboxOf(order.id)).toHaveLength(0);
    const [row] = await db.select({ openVmId: planOrders.openVmId }).from(planOrders).where(eq(planOrders.id, order.id));
    expect(row!.openVmId).toBeNull();

    const audits = await auditsOf(order.id);
    expect(audits.map((a) => a.action).sort()).toEqual(['plans.order.cancel']);
    expect(audits[0]).toMatchObject({ accountId: caller.accountId, actorUsername: carol.username, ip: carol.ip, details: { vmId: vm.id, from: 'requested', reason: 'Customer asked by phone', message: 'withdrawn' } });

    // The VM takes a new order; the cancelled one cannot be cancelled or sent again.
    const next = await place('cancel-next');
    expect(next).toMatchObject({ status: 'requested', vmId: vm.id });
    expect(await cancelOrder(db, carol, order.id, 'again')).toMatchObject({ ok: false, error: expect.stringContaining('cancelled already') });
    expect(await resendOrder(db, carol, order.id)).toMatchObject({ ok: false, error: expect.stringContaining('cancelled already') });
    expect(await auditsOf(order.id)).toHaveLength(1);

    const listed = (await ordersForStaff(db, { status: 'cancelled', limit: 500 })).find((o) => o.id === order.id);
    expect(listed).toMatchObject({ accountName: `s-${run}-cancel`, fromPlanName: 'Small', toPlanName: 'Medium', hostname: vm.hostname, outboxAttempts: null });
  });

  it('needs a reason of 1 to 500 characters and an order that exists', async () => {
    const { place } = await fixture('reason');
    const order = await place('reason');
    for (const bad of ['', '  \n\t ', 'x'.repeat(501)]) expect((await cancelOrder(db, carol, order.id, bad)).ok, JSON.stringify(bad.slice(0, 10))).toBe(false);
    expect(await cancelOrder(db, carol, 2_000_000_000, 'no such order')).toEqual({ ok: false, error: 'No such order.' });
    expect(await cancelOrder(db, carol, -1, 'no such order')).toEqual({ ok: false, error: 'No such order.' });
    expect((await orderById(db, order.id))!.status).toBe('requested');
    expect(await outboxOf(order.id)).toHaveLength(1);
    expect((await cancelOrder(db, carol, order.id, 'x'.repeat(500))).ok).toBe(true);
  });

  it('refuses a completed order and leaves it as it was', async () => {
    const { vm, medium, place } = await fixture('done');
    const order = await place('done');
    await published(order.id, new Date());
    // The real reply path: no broker connection is needed to apply a reply.
    const worker = new ProvisioningWorker(db, { endpoints: parseBrokerUrl(process.env.STOMP_URL!), requestQueue: '/queue/unused', replyQueue: '/queue/unused', log: () => undefined });
    expect(await worker.applyReply(JSON.stringify({ orderId: order.id, status: 'completed' }), null)).toBe('applied');
    const before = (await orderById(db, order.id))!;
    expect(before.status).toBe('completed');

    expect(await cancelOrder(db, carol, order.id, 'too late')).toMatchObject({ ok: false, error: expect.stringContaining('completed already') });
    expect(await resendOrder(db, carol, order.id)).toMatchObject({ ok: false, error: expect.stringContaining('completed already') });
    expect(await orderById(db, order.id)).toEqual(before);
    expect(await outboxOf(order.id)).toHaveLength(0);
    expect((await auditsOf(order.id)).map((a) => a.action)).toEqual(['plans.order.completed']);
    const [after] = await db.select().from(vms).where(eq(vms.id, vm.id));
    expect(after!.planId).toBe(medium.id);
  });

  it('cancels a sent order (the message cannot be withdrawn) and says so in the audit', async () => {
    const { place } = await fixture('sent');
    const order = await place('sent');
    await published(order.id, new Date());
    expect(await cancelOrder(db, carol, order.id, 'sent already')).toMatchObject({ ok: true, value: { status: 'cancelled' } });
    expect((await auditsOf(order.id))[0]).toMatchObject({ action: 'plans.order.cancel', details: { from: 'sent', message: 'already-sent' } });
  });
});

describe('resendOrder', () => {
  it('makes a waiting message due now, keeping its body', async () => {
    const { caller, place } = await fixture('due');
    const order = await place('due');
    const later = new Date(Date.now() + 60_000);
    await db.update(provisioningOutbox).set({ attempts: 3, lastError: 'connection refused', dueAt: later }).where(eq(provisioningOutbox.orderId, order.id));
    const [waiting] = await outboxOf(order.id);
    const now = new Date(Date.now() + 1000);

    expect(await resendOrder(db, carol, order.id, now)).toMatchObject({ ok: true, value: { id: order.id, status: 'requested' } });
    const rows = await outboxOf(order.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: waiting!.id, body: waiting!.body, dueAt: now, lastError: null, attempts: 3 });
    const audits = await auditsOf(order.id);
    expect(audits.find((a) => a.action === 'plans.order.resend')).toMatchObject({ accountId: caller.accountId, actorUsername: carol.username, details: { status: 'requested', message: 'due-now' } });
  });

  it('builds the same message again once the first was sent', async () => {
    const { place } = await fixture('rebuild');
    const order = await place('rebuild');
    const [original] = await outboxOf(order.id);
    await published(order.id, new Date());
    const now = new Date(Date.now() + 1000);

    expect(await resendOrder(db, carol, order.id, now)).toMatchObject({ ok: true, value: { status: 'sent' } });
    const rows = await outboxOf(order.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.body).toBe(original!.body);
    expect(rows[0]).toMatchObject({ dueAt: now, attempts: 0, lastError: null });
    expect((await auditsOf(order.id)).find((a) => a.action === 'plans.order.resend')).toMatchObject({ details: { status: 'sent', message: 'rebuilt' } });
  });

  it('never waits for a message the worker is sending right now', async () => {
    const { place } = await fixture('flight');
    const order = await place('flight');
    const [row] = await outboxOf(order.id);
    // The worker's publishDue() holds the row from its SELECT … FOR UPDATE until its commit.
    const worker = await pool.getConnection();
    try {
      await worker.beginTransaction();
      await worker.query('SELECT id FROM provisioning_outbox WHERE id = ? FOR UPDATE', [row!.id]);
      const started = Date.now();
      expect(await resendOrder(db, carol, order.id)).toEqual({ ok: false, error: expect.stringContaining('being sent right now') });
      expect(await cancelOrder(db, carol, order.id, 'while sending')).toMatchObject({ ok: true, value: { status: 'cancelled' } });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await worker.rollback();
      worker.release();
    }
    expect((await auditsOf(order.id)).map((a) => [a.action, (a.details as { message?: string }).message])).toEqual([['plans.order.cancel', 'in-flight']]);
  });
});
