import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRule } from '../alerts/rule';
import { createDb } from '../db/connection';
import { ownedOrder } from '../db/queries/orders';
import { resendOrder } from '../db/queries/staff-orders';
import { ownedVm } from '../db/queries/vms';
import { accounts, alertContacts, alertDeliveries, alertRules, auditLog, planOrders, plans, provisioningOutbox, vms } from '../db/schema';
import { loadShippedReleases } from '../guides/releases';
import { parseBrokerUrl } from '../stomp/broker-url';
import { connectTestClient, drain, publishAll } from '../testing/stomp-test-client';
import { placeOrder, placeRebuild } from './orders';
import { ProvisioningWorker } from './provisioning';
import type { ProvisioningRequest } from './provisioning-message';
import { GIB, type UsageNeeds } from './recommend';

// Rebuild orders against the real MariaDB and ActiveMQ: refused without the host name or on a release
// past its support (nothing written), one order per key, the message on the provisioning queue, and a
// "completed" reply that puts the VM on its new release.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 6 });
const run = randomUUID().slice(0, 8);
const requestQueue = `/queue/test.rebuild.${run}`;
const replyQueue = `/queue/test.rebuild.replies.${run}`;
const releases = loadShippedReleases();
// A day on which 20.04 is past standard support and 22.04, 24.04, 26.04 and 26.10 are supported.
const NOW = new Date('2026-12-03T10:15:00.000Z');
const NEEDS: UsageNeeds = { diskUsedBytes: 1 * GIB, diskNeededBytes: 2 * GIB, transferUsedBytes: null, transferProjectedBytes: null };
afterAll(() => pool.end());

async function fixture(name: string) {
  const slug = `r-${run}-${name}`;
  await db.insert(accounts).values({ slug, name: slug });
  const [account] = await db.select().from(accounts).where(eq(accounts.slug, slug));
  const all = await db.select().from(plans).orderBy(plans.sortOrder);
  const medium = all.find((p) => p.slug === 'medium')!;
  const large = all.find((p) => p.slug === 'large')!;
  const host = `${slug}.example`;
  await db.insert(vms).values({ accountId: account!.id, nagiosHostName: host, hostname: host, address: '10.99.1.1', ubuntuRelease: '20.04', planId: medium.id });
  const [row] = await db.select().from(vms).where(eq(vms.nagiosHostName, host));
  const vm = (await ownedVm(db, account!.id, row!.id))!;
  const caller = { id: null, username: `${name}-${run}`, accountId: account!.id, ip: '192.0.2.9' };
  return { vm, caller, medium, large };
}

/** Everything an order writes for the account: its orders, their messages, its audit rows. */
async function written(accountId: number) {
  const orders = await db.select({ id: planOrders.id }).from(planOrders).where(eq(planOrders.accountId, accountId));
  const outbox = (await db.select({ orderId: provisioningOutbox.orderId }).from(provisioningOutbox)).filter((m) => orders.some((o) => o.id === m.orderId));
  const audits = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.accountId, accountId));
  return { orders: orders.length, outbox: outbox.length, audits: audits.length };
}

const until = async <T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('rebuild orders', () => {
  it('refuses a wrong or missing host name, and a release that is unknown, past its support or not out yet, writing nothing', async () => {
    const { vm, caller } = await fixture('refused');
    const before = await written(caller.accountId);
    const attempts: Array<[{ ubuntuRelease: string; confirmHostname: string }, string]> = [
      [{ ubuntuRelease: '24.04', confirmHostname: '' }, 'wrong-confirmation'],
      [{ ubuntuRelease: '24.04', confirmHostname: 'web-01.acme.example' }, 'wrong-confirmation'],
      [{ ubuntuRelease: '24.04', confirmHostname: vm.hostname.split('.')[0]! }, 'wrong-confirmation'],
      [{ ubuntuRelease: '20.04', confirmHostname: vm.hostname }, 'unsupported-release'],
      [{ ubuntuRelease: '25.10', confirmHostname: vm.hostname }, 'unsupported-release'],
      [{ ubuntuRelease: '99.04', confirmHostname: vm.hostname }, 'unknown-release'],
      [{ ubuntuRelease: 'bionic', confirmHostname: vm.hostname }, 'unsupported-release'],
    ];
    for (const [request, code] of attempts) {
      const r = await placeRebuild(db, caller, vm, { ...request, idempotencyKey: `k-${run}-refused` }, releases, NOW);
      expect(r, JSON.stringify(request)).toMatchObject({ ok: false, error: { code } });
    }
    const notOut = await placeRebuild(db, caller, vm, { ubuntuRelease: '26.04', confirmHostname: vm.hostname, idempotencyKey: `k-${run}-refused` }, releases, new Date('2026-02-01T00:00:00Z'));
    expect(notOut).toMatchObject({ ok: false, error: { code: 'unsupported-release' } });
    expect(await placeRebuild(db, caller, vm, { ubuntuRelease: '24.04', confirmHostname: vm.hostname, idempotencyKey: 'short' }, releases, NOW)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await written(caller.accountId)).toEqual(before);
    const [after] = await db.select().from(vms).where(eq(vms.id, vm.id));
    expect(after!.ubuntuRelease).toBe('20.04');
  });

  it('one key, one order (also at the same moment); a key used for another release is refused; a rebuild and a plan change are never open together', async () => {
    const { vm, caller, medium, large } = await fixture('keys');
    const request = { ubuntuRelease: 'noble', confirmHostname: ` ${vm.hostname.toUpperCase()} `, idempotencyKey: `k-${run}-keys` };
    const both = await Promise.all([1, 2].map(() => placeRebuild(db, caller, vm, request, releases, NOW)));
    const ids = both.map((r) => (r.ok ? r.value.order.id : 0));
    expect(ids[0]).toBeGreaterThan(0);
    expect(ids[1]).toBe(ids[0]);
    expect(both.map((r) => r.ok && r.value.created).sort()).toEqual([false, true]);
    const order = (await ownedOrder(db, caller.accountId, ids[0]!))!;
    expect(order).toMatchObject({ kind: 'rebuild', targetRelease: '24.04', fromPlanId: medium.id, toPlanId: medium.id, amountMinor: 0, status: 'requested' });
    expect(order.pricing.explanation).toMatch(/free/);
    expect(await placeRebuild(db, caller, vm, { ...request, ubuntuRelease: '22.04' }, releases, NOW)).toMatchObject({ ok: false, error: { code: 'key-reused' } });
    expect(await placeRebuild(db, caller, vm, { ...request, idempotencyKey: `k-${run}-tab2` }, releases, NOW)).toMatchObject({ ok: false, error: { code: 'open-order', order: { id: ids[0] } } });
    // The same key for a plan change is another order: refused, and so is any plan change while the rebuild is open.
    expect(await placeOrder(db, caller, vm, { planId: large.id, idempotencyKey: request.idempotencyKey }, NEEDS, NOW)).toMatchObject({ ok: false, error: { code: 'key-reused' } });
    expect(await placeOrder(db, caller, vm, { planId: large.id, idempotencyKey: `k-${run}-upgrade` }, NEEDS, NOW)).toMatchObject({ ok: false, error: { code: 'open-order' } });
    expect(await db.select().from(planOrders).where(eq(planOrders.accountId, caller.accountId))).toHaveLength(1);

    const audits = await db.select().from(auditLog).where(and(eq(auditLog.accountId, caller.accountId), eq(auditLog.action, 'plans.order.rebuild')));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ targetType: 'vm', targetId: String(vm.id), ip: '192.0.2.9', details: { orderId: ids[0], fromRelease: '20.04', release: '24.04', plan: 'medium' } });

    // And the other way round: an open plan change keeps a rebuild out.
    const other = await fixture('upgrade-first');
    expect((await placeOrder(db, other.caller, other.vm, { planId: other.large.id, idempotencyKey: `k-${run}-up-first` }, NEEDS, NOW)).ok).toBe(true);
    expect(await placeRebuild(db, other.caller, other.vm, { ubuntuRelease: '24.04', confirmHostname: other.vm.hostname, idempotencyKey: `k-${run}-rb-second` }, releases, NOW)).toMatchObject({
      ok: false,
      error: { code: 'open-order' },
    });
  });

  it('is published to the provisioning queue as a rebuild, and a completed reply puts the VM on its new release (plan kept), audited and told once', async () => {
    const { vm, caller, medium } = await fixture('flow');
    const address = `rebuild-${run}@example.com`;
    const [contact] = await db
      .insert(alertContacts)
      .values({ accountId: caller.accountId, kind: 'email', label: address, target: address, targetKey: `${run}rebuild`.padEnd(64, '0'), verifiedAt: new Date() })
      .$returningId();
    await db.insert(alertRules).values({ accountId: caller.accountId, name: 'default', enabled: true, definition: defaultRule(contact!.id), createdAt: new Date(), updatedAt: new Date() });

    const key = `k-${run}-flow`;
    const placed = await placeRebuild(db, caller, vm, { ubuntuRelease: '24.04', confirmHostname: vm.hostname, idempotencyKey: key }, releases, NOW);
    const orderId = placed.ok ? placed.value.order.id : 0;
    expect(orderId).toBeGreaterThan(0);
    const [outbox] = await db.select().from(provisioningOutbox).where(eq(provisioningOutbox.orderId, orderId));
    const expected = {
      type: 'porthole.rebuild',
      version: 1,
      kind: 'rebuild',
      orderId,
      idempotencyKey: key,
      vm: { id: vm.id, nagiosHostName: vm.nagiosHostName, hostname: vm.hostname, address: vm.address },
      fromPlan: { id: medium.id, slug: 'medium', priceMinor: medium.priceCents },
      toPlan: { id: medium.id, slug: 'medium' },
      ubuntuRelease: '24.04',
      fromRelease: '20.04',
      amountMinor: 0,
      currency: 'EUR',
      requestedBy: caller.username,
      requestedAt: NOW.toISOString(),
    };
    expect(JSON.parse(outbox!.body)).toMatchObject(expected);

    const worker = new ProvisioningWorker(db, { endpoints: parseBrokerUrl(process.env.STOMP_URL!), requestQueue, replyQueue, pollMs: 100, log: () => undefined });
    const client = await connectTestClient();
    worker.start();
    try {
      await until('sent', async () => (await ownedOrder(db, caller.accountId, orderId))!.status, (s) => s === 'sent', 30_000);
      const received = await drain(client, requestQueue, 1000);
      const mine = received.filter((m) => (JSON.parse(m.body) as ProvisioningRequest).orderId === orderId);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.headers['porthole-order-id']).toBe(String(orderId));
      expect(JSON.parse(mine[0]!.body)).toMatchObject(expected);

      const reply = (status: string) => JSON.stringify({ orderId, status, idempotencyKey: key });
      await publishAll(client, replyQueue, [reply('accepted')]);
      await until('accepted', async () => (await ownedOrder(db, caller.accountId, orderId))!.status, (s) => s === 'accepted');
      expect((await db.select().from(vms).where(eq(vms.id, vm.id)))[0]!.ubuntuRelease).toBe('20.04');
      await publishAll(client, replyQueue, [reply('completed'), reply('completed')]);
      await until('completed', async () => (await ownedOrder(db, caller.accountId, orderId))!.status, (s) => s === 'completed');
      await until('all three handled', async () => worker.stats.replies, (n) => n >= 3);

      const [after] = await db.select().from(vms).where(eq(vms.id, vm.id));
      expect(after).toMatchObject({ ubuntuRelease: '24.04', planId: medium.id });
      expect((await ownedVm(db, caller.accountId, vm.id))!.ubuntuRelease).toBe('24.04');
      const audits = await db.select().from(auditLog).where(and(eq(auditLog.targetType, 'plan_order'), eq(auditLog.targetId, String(orderId))));
      expect(audits.map((a) => a.action).sort()).toEqual(['plans.order.accepted', 'plans.order.completed']);
      expect(audits.find((a) => a.action === 'plans.order.completed')!.details).toMatchObject({ kind: 'rebuild', release: '24.04', fromRelease: '20.04' });
      const told = await db.select().from(alertDeliveries).where(and(eq(alertDeliveries.accountId, caller.accountId), eq(alertDeliveries.state, 'NOTICE')));
      expect(told.map((d) => [d.service, d.subject])).toEqual([['rebuild', `${vm.hostname} has been rebuilt on Ubuntu 24.04`]]);
      // The VM is free for a new order, and 24.04 is now its own release: a fresh install of it is allowed.
      expect((await placeRebuild(db, caller, (await ownedVm(db, caller.accountId, vm.id))!, { ubuntuRelease: '24.04', confirmHostname: vm.hostname, idempotencyKey: `k-${run}-again` }, releases, NOW)).ok).toBe(true);
    } finally {
      await worker.stop();
      await client.deactivate();
    }
  });

  it('staff sending a rebuild again after its outbox row is gone sends the same rebuild message', async () => {
    const { vm, caller } = await fixture('resend');
    const key = `k-${run}-resend`;
    const placed = await placeRebuild(db, caller, vm, { ubuntuRelease: '26.04', confirmHostname: vm.hostname, idempotencyKey: key }, releases, NOW);
    const orderId = placed.ok ? placed.value.order.id : 0;
    const [first] = await db.select().from(provisioningOutbox).where(eq(provisioningOutbox.orderId, orderId));
    await db.delete(provisioningOutbox).where(eq(provisioningOutbox.orderId, orderId));
    await db.update(planOrders).set({ status: 'sent', sentAt: NOW }).where(eq(planOrders.id, orderId));
    expect((await resendOrder(db, { id: null, username: `staff-${run}` }, orderId, NOW)).ok).toBe(true);
    const [again] = await db.select().from(provisioningOutbox).where(eq(provisioningOutbox.orderId, orderId));
    expect(JSON.parse(again!.body)).toEqual(JSON.parse(first!.body));
    await db.delete(provisioningOutbox).where(eq(provisioningOutbox.orderId, orderId));
  });
});
