import { eq, inArray } from 'drizzle-orm';
import type { Database } from '../connection';
import { listOrders, orderById, type OrderRecord, planLimitColumns } from './orders';
import { accounts, auditLog, type OrderStatus, planOrders, plans, provisioningOutbox, vms } from '../schema';
import { fail, ok, type Result } from '../../result';
import { requestBody } from '../../plans/orders';
import { isOpen } from '../../plans/provisioning-message';
import type { PlanLimits } from '../../plans/recommend';

// Staff's hand on plan-change orders (app/admin/orders): cancel one that has not ended, or send its
// provisioning message again. Callers must have passed requireStaff(); nothing here is scoped by account.
//
// Locking, against the provisioning worker's publishDue() (lib/plans/provisioning.ts): it locks due
// outbox rows FOR UPDATE SKIP LOCKED, sends them, deletes them and then updates the order row. Here the
// order row is locked first and the outbox row only with SKIP LOCKED, so neither side ever waits for a
// lock the other holds while holding one it needs (no deadlock); a row the worker holds is in flight.

export interface StaffActor {
  id: number | null;
  username: string;
  ip?: string | null;
}

export const REASON_MAX = 500;

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Control characters and line/paragraph separators become spaces; at most REASON_MAX characters after that. */
export function cleanReason(reason: string): Result<string> {
  const cleaned = reason
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  if (cleaned === '') return fail('Give a reason for cancelling (the customer sees it).');
  if (cleaned.length > REASON_MAX) return fail(`Keep the reason to ${REASON_MAX} characters.`);
  return ok(cleaned);
}

const validId = (id: number) => Number.isSafeInteger(id) && id > 0 && id <= 2_147_483_647;

async function lockOrder(tx: Tx, orderId: number) {
  const [row] = await tx
    .select({ id: planOrders.id, accountId: planOrders.accountId, vmId: planOrders.vmId, status: planOrders.status })
    .from(planOrders)
    .where(eq(planOrders.id, orderId))
    .for('update');
  return row ?? null;
}

/**
 * The order's waiting outbox row, locked, or why not: none (already sent), or held by the worker that
 * is sending it right now. Read plainly first, then locked by primary key: a locking read on order_id
 * (not indexed) would lock every outbox row it scans.
 */
async function lockOutboxRow(tx: Tx, orderId: number): Promise<{ id: number } | 'none' | 'in-flight'> {
  const [seen] = await tx.select({ id: provisioningOutbox.id }).from(provisioningOutbox).where(eq(provisioningOutbox.orderId, orderId));
  if (!seen) return 'none';
  const [locked] = await tx.select({ id: provisioningOutbox.id }).from(provisioningOutbox).where(eq(provisioningOutbox.id, seen.id)).for('update', { skipLocked: true });
  return locked ?? 'in-flight';
}

async function audit(tx: Tx, staff: StaffActor, action: string, order: { id: number; accountId: number }, now: Date, details: Record<string, unknown>) {
  await tx.insert(auditLog).values({
    at: now,
    action,
    actorUserId: staff.id,
    actorUsername: staff.username.slice(0, 255),
    accountId: order.accountId,
    targetType: 'plan_order',
    targetId: String(order.id),
    ip: staff.ip?.slice(0, 45) ?? null,
    details,
  });
}

const ended = (status: OrderStatus) => `This order is ${status} already; only a requested, sent or accepted order can be changed.`;

/**
 * Cancels an order that has not ended and frees its VM for a new order; its message is withdrawn if it
 * has not been sent yet. A cancel after the message was sent does not reach the provisioning system:
 * there is no cancel message in the contract, so the host may still carry the change out, and its
 * "completed" reply then becomes a dead letter for staff (transition() in provisioning-message.ts calls
 * any reply to a cancelled order a conflict) while the VM keeps its old plan here. The audit entry says
 * which case it was (`message`: withdrawn, already-sent, in-flight).
 */
export async function cancelOrder(db: Database, staff: StaffActor, orderId: number, reason: string, now = new Date()): Promise<Result<OrderRecord>> {
  if (!validId(orderId)) return fail('No such order.');
  const why = cleanReason(reason);
  if (!why.ok) return why;
  const outcome = await db.transaction(async (tx): Promise<Result<null>> => {
    const order = await lockOrder(tx, orderId);
    if (!order) return fail('No such order.');
    if (!isOpen(order.status)) return fail(ended(order.status));
    const outbox = await lockOutboxRow(tx, order.id);
    if (typeof outbox === 'object') await tx.delete(provisioningOutbox).where(eq(provisioningOutbox.id, outbox.id));
    await tx
      .update(planOrders)
      .set({ status: 'cancelled', cancelledAt: now, reason: `Cancelled by staff: ${why.value}`, openVmId: null, updatedAt: now })
      .where(eq(planOrders.id, order.id));
    await audit(tx, staff, 'plans.order.cancel', order, now, {
      vmId: order.vmId,
      from: order.status,
      reason: why.value,
      message: typeof outbox === 'object' ? 'withdrawn' : outbox === 'none' ? 'already-sent' : 'in-flight',
    });
    return ok(null);
  });
  if (!outcome.ok) return outcome;
  return ok((await orderById(db, orderId))!);
}

/**
 * Sends an open order's provisioning message again now. A waiting outbox row (the broker was away) is
 * made due now, as requeueOrderMessage() does, but under the order's lock so a cancel in between cannot
 * leave a message for a cancelled order. Once sent, the row is gone: the same body is built again from
 * the order, its VM and its plans (the VM's and plans' values as they are now; the amount, key and time
 * are the order's). The receiver drops a copy it has by the idempotencyKey.
 */
export async function resendOrder(db: Database, staff: StaffActor, orderId: number, now = new Date()): Promise<Result<OrderRecord>> {
  if (!validId(orderId)) return fail('No such order.');
  const outcome = await db.transaction(async (tx): Promise<Result<null>> => {
    const order = await lockOrder(tx, orderId);
    if (!order) return fail('No such order.');
    if (!isOpen(order.status)) return fail(ended(order.status));
    const outbox = await lockOutboxRow(tx, order.id);
    if (outbox === 'in-flight') return fail('The message is being sent right now. Look again in a moment.');
    if (outbox === 'none') {
      const body = await rebuildBody(tx, order.id);
      if (!body) return fail('The order’s VM or plans no longer exist; the message cannot be built again.');
      await tx.insert(provisioningOutbox).values({ orderId: order.id, body, dueAt: now, createdAt: now });
    } else {
      await tx.update(provisioningOutbox).set({ dueAt: now, lastError: null }).where(eq(provisioningOutbox.id, outbox.id));
    }
    await audit(tx, staff, 'plans.order.resend', order, now, { vmId: order.vmId, status: order.status, message: outbox === 'none' ? 'rebuilt' : 'due-now' });
    return ok(null);
  });
  if (!outcome.ok) return outcome;
  return ok((await orderById(db, orderId))!);
}


async function rebuildBody(tx: Tx, orderId: number): Promise<string | null> {
  const [order] = await tx
    .select({
      id: planOrders.id,
      idempotencyKey: planOrders.idempotencyKey,
      kind: planOrders.kind,
      targetRelease: planOrders.targetRelease,
      fromPlanId: planOrders.fromPlanId,
      toPlanId: planOrders.toPlanId,
      amountMinor: planOrders.amountMinor,
      currency: planOrders.currency,
      requestedBy: planOrders.requestedBy,
      createdAt: planOrders.createdAt,
      vm: { id: vms.id, nagiosHostName: vms.nagiosHostName, hostname: vms.hostname, address: vms.address },
      vmRelease: vms.ubuntuRelease,
    })
    .from(planOrders)
    .innerJoin(vms, eq(vms.id, planOrders.vmId))
    .where(eq(planOrders.id, orderId));
  if (!order) return null;
  const found: PlanLimits[] = await tx.select(planLimitColumns).from(plans).where(inArray(plans.id, [order.fromPlanId, order.toPlanId]));
  const fromPlan = found.find((p) => p.id === order.fromPlanId);
  const toPlan = found.find((p) => p.id === order.toPlanId);
  if (!fromPlan || !toPlan) return null;
  return requestBody({
    orderId: order.id,
    idempotencyKey: order.idempotencyKey,
    vm: order.vm,
    fromPlan,
    toPlan,
    amountMinor: order.amountMinor,
    currency: order.currency,
    requestedBy: order.requestedBy,
    // placeOrder's requestedAt is its `now`, stored as created_at (milliseconds kept): the same string.
    requestedAt: order.createdAt.toISOString(),
    // An open rebuild has not changed the VM's release yet: it is still the one it was ordered from.
    ...(order.kind === 'rebuild' && order.targetRelease ? { rebuild: { ubuntuRelease: order.targetRelease, fromRelease: order.vmRelease } } : {}),
  });
}

export type StaffOrderRow = Awaited<ReturnType<typeof listOrders>>[number] & { accountName: string | null; fromPlanName: string | null; toPlanName: string | null };

/** The staff list: listOrders() with the account's and both plans' names (inactive plans included). */
export async function ordersForStaff(db: Database, filter: { status?: OrderStatus; limit?: number } = {}): Promise<StaffOrderRow[]> {
  const rows = await listOrders(db, filter);
  if (rows.length === 0) return [];
  const accountIds = [...new Set(rows.map((r) => r.accountId))];
  const planIds = [...new Set(rows.flatMap((r) => [r.fromPlanId, r.toPlanId]))];
  const [accountRows, planRows] = await Promise.all([
    db.select({ id: accounts.id, name: accounts.name }).from(accounts).where(inArray(accounts.id, accountIds)),
    db.select({ id: plans.id, name: plans.name }).from(plans).where(inArray(plans.id, planIds)),
  ]);
  const accountName = new Map(accountRows.map((a) => [a.id, a.name]));
  const planName = new Map(planRows.map((p) => [p.id, p.name]));
  return rows.map((r) => ({ ...r, accountName: accountName.get(r.accountId) ?? null, fromPlanName: planName.get(r.fromPlanId) ?? null, toPlanName: planName.get(r.toPlanId) ?? null }));
}
