import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/connection';
import { ownedOrder } from '../db/queries/orders';
import { ownedVm } from '../db/queries/vms';
import { accounts, alertContacts, alertDeliveries, alertRules, auditLog, deadLetters, plans, provisioningOutbox, vms } from '../db/schema';
import { defaultRule } from '../alerts/rule';
import { parseBrokerUrl } from '../stomp/broker-url';
import { TcpProxy } from '../testing/tcp-proxy';
import { connectTestClient, drain, publishAll } from '../testing/stomp-test-client';
import { placeOrder } from './orders';
import { ProvisioningWorker } from './provisioning';
import type { ProvisioningRequest } from './provisioning-message';
import { GIB, type UsageNeeds } from './recommend';

// Orders against the real MariaDB and ActiveMQ: written with their message in one transaction, published
// once the broker is back, moved on by replies exactly once; bad replies become dead letters.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 6 });
const run = randomUUID().slice(0, 8);
const requestQueue = `/queue/test.provisioning.${run}`;
const replyQueue = `/queue/test.provisioning.replies.${run}`;
const brokerPort = parseBrokerUrl(process.env.STOMP_URL!)[0]!.port;
afterAll(() => pool.end());

const NEEDS: UsageNeeds = { diskUsedBytes: 10 * GIB, diskNeededBytes: 12 * GIB, transferUsedBytes: null, transferProjectedBytes: null };

async function fixture(name: string) {
  const slug = `p-${run}-${name}`;
  await db.insert(accounts).values({ slug, name: slug });
  const [account] = await db.select().from(accounts).where(eq(accounts.slug, slug));
  const all = await db.select().from(plans).orderBy(plans.sortOrder);
  const [small, medium] = [all.find((p) => p.slug === 'small')!, all.find((p) => p.slug === 'medium')!];
  const host = `${slug}.example`;
  await db.insert(vms).values({ accountId: account!.id, nagiosHostName: host, hostname: host, address: '10.99.0.1', ubuntuRelease: '24.04', planId: small.id });
  const [row] = await db.select().from(vms).where(eq(vms.nagiosHostName, host));
  const vm = (await ownedVm(db, account!.id, row!.id))!;
  const caller = { id: null, username: `${name}-${run}`, accountId: account!.id, ip: '192.0.2.9' };
  return { vm, caller, small, medium };
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

describe('orders', () => {
  it('one key, one order; a second key while one is open is refused; a changed price asks again; a downgrade that does not fit is refused', async () => {
    const { vm, caller, small, medium } = await fixture('keys');
    const key = `k-${run}-keys`;
    const first = await placeOrder(db, caller, vm, { planId: medium.id, idempotencyKey: key }, NEEDS);
    expect(first).toMatchObject({ ok: true, value: { created: true, order: { status: 'requested', toPlanId: medium.id } } });
    const twice = await Promise.all([1, 2].map(() => placeOrder(db, caller, vm, { planId: medium.id, idempotencyKey: key }, NEEDS)));
    for (const r of twice) expect(r).toMatchObject({ ok: true, value: { created: false, order: { id: first.ok && first.value.order.id } } });
    expect(await placeOrder(db, caller, vm, { planId: medium.id, idempotencyKey: `k-${run}-tab2` }, NEEDS)).toMatchObject({ ok: false, error: { code: 'open-order' } });
    expect(await placeOrder(db, caller, vm, { planId: small.id, idempotencyKey: key }, NEEDS)).toMatchObject({ ok: false, error: { code: 'key-reused' } });
    const outbox = await db.select().from(provisioningOutbox).where(eq(provisioningOutbox.orderId, first.ok ? first.value.order.id : 0));
    expect(outbox).toHaveLength(1);
    const message = JSON.parse(outbox[0]!.body) as ProvisioningRequest;
    expect(message).toMatchObject({ type: 'porthole.plan-change', version: 1, idempotencyKey: key, vm: { nagiosHostName: vm.nagiosHostName }, fromPlan: { slug: 'small' }, toPlan: { slug: 'medium' } });

    const other = await fixture('price');
    expect(await placeOrder(db, other.caller, other.vm, { planId: other.medium.id, idempotencyKey: `k-${run}-price`, expectedAmountMinor: -1 }, NEEDS)).toMatchObject({
      ok: false,
      error: { code: 'price-changed' },
    });
    for (const bad of [{ planId: other.small.id, idempotencyKey: `k-${run}-same` }, { planId: 999_999, idempotencyKey: `k-${run}-none` }, { planId: other.medium.id, idempotencyKey: 'short' }]) {
      expect((await placeOrder(db, other.caller, other.vm, bad, NEEDS)).ok, JSON.stringify(bad)).toBe(false);
    }
    const big = await fixture('big');
    await db.update(vms).set({ planId: big.medium.id }).where(eq(vms.id, big.vm.id));
    const full: UsageNeeds = { ...NEEDS, diskUsedBytes: 40 * GIB, diskNeededBytes: 50 * GIB };
    expect(await placeOrder(db, big.caller, big.vm, { planId: big.small.id, idempotencyKey: `k-${run}-down` }, full)).toMatchObject({ ok: false, error: { code: 'does-not-fit' } });
  });
});

describe('the provisioning worker', () => {
  it('publishes an order placed while the broker was down once it returns, and applies each reply once', async () => {
    const { vm, caller, medium } = await fixture('outage');
    // The account's alert contact, to hear that the order ended.
    const address = `orders-${run}@example.com`;
    const [contact] = await db
      .insert(alertContacts)
      .values({ accountId: caller.accountId, kind: 'email', label: address, target: address, targetKey: `${run}orders`.padEnd(64, '0'), verifiedAt: new Date() })
      .$returningId();
    await db.insert(alertRules).values({ accountId: caller.accountId, name: 'default', enabled: true, definition: defaultRule(contact!.id), createdAt: new Date(), updatedAt: new Date() });
    const proxy = await new TcpProxy(brokerPort).start();
    const worker = new ProvisioningWorker(db, { endpoints: [{ host: '127.0.0.1', port: proxy.port }], requestQueue, replyQueue, pollMs: 100, log: () => undefined });
    const client = await connectTestClient();
    await proxy.cut();
    worker.start();
    try {
      const placed = await placeOrder(db, caller, vm, { planId: medium.id, idempotencyKey: `k-${run}-outage` }, NEEDS);
      const orderId = placed.ok ? placed.value.order.id : 0;
      await until('a failed attempt', async () => (await db.select().from(provisioningOutbox).where(eq(provisioningOutbox.orderId, orderId)))[0]?.attempts ?? 0, (n) => n >= 1);
      expect((await ownedOrder(db, caller.accountId, orderId))!.status).toBe('requested');

      await proxy.start();
      await until('sent', async () => (await ownedOrder(db, caller.accountId, orderId))!.status, (s) => s === 'sent', 30_000);
      const received = await drain(client, requestQueue, 1000);
      const mine = received.map((m) => JSON.parse(m.body) as ProvisioningRequest).filter((m) => m.orderId === orderId);
      expect(mine).toHaveLength(1);
      expect(await db.select().from(provisioningOutbox).where(eq(provisioningOutbox.orderId, orderId))).toHaveLength(0);

      const reply = (status: string, extra: Record<string, unknown> = {}) => JSON.stringify({ orderId, status, idempotencyKey: `k-${run}-outage`, ...extra });
      await publishAll(client, replyQueue, [reply('accepted'), reply('completed'), reply('completed'), reply('accepted')]);
      await until('completed', async () => (await ownedOrder(db, caller.accountId, orderId))!, (o) => o.status === 'completed' && o.completedAt !== null);
      await until('all four handled', async () => worker.stats.replies, (n) => n >= 4);
      const [after] = await db.select().from(vms).where(eq(vms.id, vm.id));
      expect(after!.planId).toBe(medium.id);
      const audits = await db.select().from(auditLog).where(and(eq(auditLog.targetType, 'plan_order'), eq(auditLog.targetId, String(orderId))));
      expect(audits.map((a) => a.action).sort()).toEqual(['plans.order.accepted', 'plans.order.completed']);
      // Told once, although "completed" came twice.
      const told = await db.select().from(alertDeliveries).where(and(eq(alertDeliveries.accountId, caller.accountId), eq(alertDeliveries.state, 'NOTICE')));
      // Queued once; another test file's notifier may already be sending it.
      expect(told.map((d) => [d.service, d.subject])).toEqual([['plan change', `${vm.hostname} is now on Medium`]]);
      expect(['pending', 'sending', 'sent']).toContain(told[0]!.status);
      // The VM can be ordered for again: the completed order is no longer open.
      expect((await placeOrder(db, caller, vm, { planId: medium.id, idempotencyKey: `k-${run}-again` }, NEEDS)).ok).toBe(false); // same plan now
    } finally {
      await worker.stop();
      await client.deactivate();
      await proxy.cut();
    }
  });

  it('keeps a reply for an unknown order, a malformed one and a conflicting one as dead letters, and goes on', async () => {
    const { vm, caller, medium } = await fixture('dead');
    const worker = new ProvisioningWorker(db, { endpoints: parseBrokerUrl(process.env.STOMP_URL!), requestQueue, replyQueue, pollMs: 100, log: () => undefined });
    const client = await connectTestClient();
    worker.start();
    try {
      const placed = await placeOrder(db, caller, vm, { planId: medium.id, idempotencyKey: `k-${run}-dead` }, NEEDS);
      const orderId = placed.ok ? placed.value.order.id : 0;
      const marker = `dead-${run}`;
      await publishAll(client, replyQueue, [
        JSON.stringify({ orderId: 2_000_000_000, status: 'completed', reason: marker }),
        `{"orderId": "x", "status": "completed", "reason": "${marker}"}`,
        'not json',
        JSON.stringify({ orderId, status: 'failed', reason: `disk pool full ${marker}` }),
        JSON.stringify({ orderId, status: 'completed', reason: marker }),
      ]);
      await until('five handled', async () => worker.stats.replies + worker.stats.deadLetters, (n) => n >= 5);
      const order = (await ownedOrder(db, caller.accountId, orderId))!;
      expect(order).toMatchObject({ status: 'failed', reason: `disk pool full ${marker}` });
      const [after] = await db.select().from(vms).where(eq(vms.id, vm.id));
      expect(after!.planId).not.toBe(medium.id);
      const letters = (await db.select().from(deadLetters).where(eq(deadLetters.destination, replyQueue))).filter((l) => l.body.includes(marker) || l.body === 'not json');
      expect(letters.map((l) => l.reason)).toEqual(
        expect.arrayContaining([expect.stringContaining('No order 2000000000'), expect.stringContaining('orderId'), 'The reply is not JSON.', expect.stringContaining('is failed')]),
      );
    } finally {
      await worker.stop();
      await client.deactivate();
    }
  });
});
