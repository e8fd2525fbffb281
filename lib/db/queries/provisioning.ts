import { eq, getTableName, inArray } from 'drizzle-orm';
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { Database } from '../connection';
import { auditLog, deadLetters, type OrderKind, type OrderStatus, planOrders, plans, provisioningOutbox, vms } from '../schema';

// The provisioning worker's statements (lib/plans/provisioning.ts): the outbox it publishes, the orders
// replies move on. Written as text on one connection, inside the worker's transactions.

export type ProvisioningConnection = PoolConnection;

const T = {
  outbox: getTableName(provisioningOutbox),
  orders: getTableName(planOrders),
  vms: getTableName(vms),
  deadLetters: getTableName(deadLetters),
  audit: getTableName(auditLog),
};

/** Due outbox rows, locked for this transaction; rows another worker holds are skipped. */
export async function claimDueMessages(c: ProvisioningConnection, now: Date, limit: number): Promise<Array<{ id: number; orderId: number; body: string }>> {
  const [rows] = await c.query<RowDataPacket[]>(`SELECT id, order_id AS orderId, body FROM ${T.outbox} WHERE due_at <= ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`, [now, limit]);
  return rows.map((r) => ({ id: Number(r.id), orderId: r.orderId as number, body: r.body as string }));
}

/** Not sent: try again later, 1 s doubling per attempt, at most a minute. */
export async function deferMessages(c: ProvisioningConnection, ids: number[], reason: string, now: Date): Promise<void> {
  await c.query(`UPDATE ${T.outbox} SET attempts = attempts + 1, last_error = ?, due_at = ? + INTERVAL LEAST(60, POW(2, attempts)) SECOND WHERE id IN (?)`, [reason.slice(0, 1024), now, ids]);
}

/** The broker has them: the rows go, their orders are sent. */
export async function finishMessages(c: ProvisioningConnection, ids: number[], orderIds: number[], now: Date): Promise<void> {
  await c.query(`DELETE FROM ${T.outbox} WHERE id IN (?)`, [ids]);
  await c.query(`UPDATE ${T.orders} SET status = 'sent', sent_at = ?, updated_at = ? WHERE id IN (?) AND status = 'requested'`, [now, now, orderIds]);
}

export async function insertReplyDeadLetter(db: Database, letter: { receivedAt: Date; destination: string; messageId: string | null; body: string; reason: string }): Promise<void> {
  await db.$client.query(`INSERT IGNORE INTO ${T.deadLetters} (received_at, destination, message_id, headers, body, reason, status) VALUES (?, ?, ?, NULL, ?, ?, 'new')`, [
    letter.receivedAt,
    letter.destination,
    letter.messageId,
    letter.body.slice(0, 1_000_000),
    letter.reason.slice(0, 1024),
  ]);
}

export interface LockedOrder {
  id: number;
  accountId: number;
  vmId: number;
  kind: OrderKind;
  toPlanId: number;
  /** A rebuild's release; null for a plan change. */
  targetRelease: string | null;
  status: OrderStatus;
  idempotencyKey: string;
}

export async function lockOrder(c: ProvisioningConnection, orderId: number): Promise<LockedOrder | null> {
  const [rows] = await c.query<RowDataPacket[]>(
    `SELECT id, account_id AS accountId, vm_id AS vmId, kind, to_plan_id AS toPlanId, target_release AS targetRelease, status, idempotency_key AS idempotencyKey FROM ${T.orders} WHERE id = ? FOR UPDATE`,
    [orderId],
  );
  return (rows[0] as LockedOrder | undefined) ?? null;
}

/**
 * The order's next state, stamped and audited; a completed plan change puts its VM on the new plan, a
 * completed rebuild on its new release (the plan stays: staff may have changed it since). An ended order
 * is no longer open.
 */
export async function advanceOrder(c: ProvisioningConnection, order: LockedOrder, next: { status: 'accepted' | 'completed' | 'failed'; reason: string | null; at: Date }, now: Date): Promise<void> {
  const stamp = { accepted: 'accepted_at', completed: 'completed_at', failed: 'failed_at' }[next.status];
  const ends = next.status !== 'accepted';
  await c.query(`UPDATE ${T.orders} SET status = ?, ${stamp} = ?, reason = ?, updated_at = ?${ends ? ', open_vm_id = NULL' : ''} WHERE id = ?`, [next.status, next.at, next.reason, now, order.id]);
  let fromRelease: string | null = null;
  if (next.status === 'completed' && order.kind === 'rebuild' && order.targetRelease) {
    const [rows] = await c.query<RowDataPacket[]>(`SELECT ubuntu_release AS ubuntuRelease FROM ${T.vms} WHERE id = ? FOR UPDATE`, [order.vmId]);
    fromRelease = (rows[0]?.ubuntuRelease as string | undefined) ?? null;
    await c.query(`UPDATE ${T.vms} SET ubuntu_release = ? WHERE id = ?`, [order.targetRelease, order.vmId]);
  } else if (next.status === 'completed') {
    await c.query(`UPDATE ${T.vms} SET plan_id = ? WHERE id = ?`, [order.toPlanId, order.vmId]);
  }
  const rebuild = order.kind === 'rebuild' ? { kind: 'rebuild', release: order.targetRelease, ...(fromRelease ? { fromRelease } : {}) } : {};
  await c.query(`INSERT INTO ${T.audit} (at, action, actor_username, account_id, target_type, target_id, details) VALUES (?, ?, 'provisioning', ?, 'plan_order', ?, ?)`, [
    now,
    `plans.order.${next.status}`,
    order.accountId,
    String(order.id),
    JSON.stringify({ vmId: order.vmId, reason: next.reason, ...rebuild }),
  ]);
}

/** What the message telling a customer that an order ended needs. */
export async function endedOrder(db: Database, orderId: number) {
  const [row] = await db
    .select({
      id: planOrders.id,
      accountId: planOrders.accountId,
      vmId: planOrders.vmId,
      kind: planOrders.kind,
      targetRelease: planOrders.targetRelease,
      status: planOrders.status,
      reason: planOrders.reason,
      hostname: vms.hostname,
      fromPlanId: planOrders.fromPlanId,
      toPlanId: planOrders.toPlanId,
    })
    .from(planOrders)
    .innerJoin(vms, eq(vms.id, planOrders.vmId))
    .where(eq(planOrders.id, orderId));
  if (!row || (row.status !== 'completed' && row.status !== 'failed')) return null;
  const names = new Map((await db.select({ id: plans.id, name: plans.name }).from(plans).where(inArray(plans.id, [row.fromPlanId, row.toPlanId]))).map((p) => [p.id, p.name]));
  return { ...row, status: row.status, fromPlanName: names.get(row.fromPlanId) ?? 'the old plan', toPlanName: names.get(row.toPlanId) ?? 'the new plan' };
}
