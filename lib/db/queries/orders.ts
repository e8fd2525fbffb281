import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Database } from '../connection';
import { driverError } from '../errors';
import { type OrderKind, type OrderPricing, type OrderStatus, planOrders, plans, provisioningOutbox, vms } from '../schema';

export { ORDER_KINDS, ORDER_STATUSES, type OrderKind, type OrderStatus } from '../schema';
import type { OwnedVm } from './vms';
import type { PlanLimits } from '../../plans/recommend';

// Plans, plan-change orders and their outgoing provisioning messages. Customer reads are scoped by the
// account id; staff's are named as such.

/** A plan's limits and price, as recommendations and orders use them. */
export const planLimitColumns = {
  id: plans.id,
  slug: plans.slug,
  name: plans.name,
  vcpus: plans.vcpus,
  memoryMb: plans.memoryMb,
  diskGb: plans.diskGb,
  transferGb: plans.transferGb,
  priceCents: plans.priceCents,
  currency: plans.currency,
  sortOrder: plans.sortOrder,
};

export async function listPlans(db: Database): Promise<PlanLimits[]> {
  return db
    .select(planLimitColumns)
    .from(plans)
    .where(eq(plans.active, true))
    .orderBy(asc(plans.sortOrder), asc(plans.priceCents));
}

/** The VM's plan as stored now (also an inactive one, which a VM may still be on). */
export async function vmPlan(db: Database, vm: OwnedVm): Promise<PlanLimits> {
  const [row] = await db
    .select(planLimitColumns)
    .from(vms)
    .innerJoin(plans, eq(plans.id, vms.planId))
    .where(eq(vms.id, vm.id));
  return row!;
}

/** The plans of several checked VMs in one query (the dashboard), by VM id. */
export async function vmPlans(db: Database, checked: readonly OwnedVm[]): Promise<Map<number, PlanLimits>> {
  if (checked.length === 0) return new Map();
  const rows = await db
    .select({ vmId: vms.id, ...planLimitColumns })
    .from(vms)
    .innerJoin(plans, eq(plans.id, vms.planId))
    .where(inArray(vms.id, checked.map((vm) => vm.id)));
  return new Map(rows.map(({ vmId, ...plan }) => [vmId, plan]));
}

export interface OrderRecord {
  id: number;
  accountId: number;
  vmId: number;
  /** A plan change ('upgrade', also a move down) or a rebuild on a fresh image of `targetRelease`. */
  kind: OrderKind;
  fromPlanId: number;
  toPlanId: number;
  /** A rebuild's release ("24.04"); null for a plan change. */
  targetRelease: string | null;
  idempotencyKey: string;
  status: OrderStatus;
  amountMinor: number;
  currency: string;
  pricing: OrderPricing;
  requestedBy: string;
  reason: string | null;
  createdAt: Date;
  sentAt: Date | null;
  acceptedAt: Date | null;
  completedAt: Date | null;
  failedAt: Date | null;
  cancelledAt: Date | null;
  updatedAt: Date;
}

const orderColumns = {
  id: planOrders.id,
  accountId: planOrders.accountId,
  vmId: planOrders.vmId,
  kind: planOrders.kind,
  fromPlanId: planOrders.fromPlanId,
  toPlanId: planOrders.toPlanId,
  targetRelease: planOrders.targetRelease,
  idempotencyKey: planOrders.idempotencyKey,
  status: planOrders.status,
  amountMinor: planOrders.amountMinor,
  currency: planOrders.currency,
  pricing: planOrders.pricing,
  requestedBy: planOrders.requestedBy,
  reason: planOrders.reason,
  createdAt: planOrders.createdAt,
  sentAt: planOrders.sentAt,
  acceptedAt: planOrders.acceptedAt,
  completedAt: planOrders.completedAt,
  failedAt: planOrders.failedAt,
  cancelledAt: planOrders.cancelledAt,
  updatedAt: planOrders.updatedAt,
};

const asOrder = (r: OrderRecord): OrderRecord => ({ ...r, pricing: typeof r.pricing === 'string' ? (JSON.parse(r.pricing) as OrderPricing) : r.pricing });

export async function ownedOrder(db: Database, accountId: number, orderId: number): Promise<OrderRecord | null> {
  if (!Number.isSafeInteger(orderId) || orderId <= 0 || orderId > 2_147_483_647) return null;
  const [row] = await db.select(orderColumns).from(planOrders).where(and(eq(planOrders.accountId, accountId), eq(planOrders.id, orderId)));
  return row ? asOrder(row) : null;
}

export async function orderByKey(db: Database, accountId: number, idempotencyKey: string): Promise<OrderRecord | null> {
  const [row] = await db.select(orderColumns).from(planOrders).where(and(eq(planOrders.accountId, accountId), eq(planOrders.idempotencyKey, idempotencyKey)));
  return row ? asOrder(row) : null;
}

/** The VM's order that has not ended (requested, sent or accepted), if any. */
export async function openOrderForVm(db: Database, vm: OwnedVm): Promise<OrderRecord | null> {
  const [row] = await db.select(orderColumns).from(planOrders).where(eq(planOrders.openVmId, vm.id));
  return row ? asOrder(row) : null;
}

export async function ordersForVm(db: Database, vm: OwnedVm, limit = 10): Promise<OrderRecord[]> {
  const rows = await db
    .select(orderColumns)
    .from(planOrders)
    .where(and(eq(planOrders.accountId, vm.accountId), eq(planOrders.vmId, vm.id)))
    .orderBy(desc(planOrders.id))
    .limit(limit);
  return rows.map(asOrder);
}

export async function accountOpenOrders(db: Database, accountId: number): Promise<OrderRecord[]> {
  const rows = await db
    .select(orderColumns)
    .from(planOrders)
    .where(and(eq(planOrders.accountId, accountId), isNotNull(planOrders.openVmId)));
  return rows.map(asOrder);
}

export interface NewOrder {
  accountId: number;
  vmId: number;
  /** 'upgrade' when left out. */
  kind?: OrderKind;
  /** A rebuild's release. */
  targetRelease?: string | null;
  fromPlanId: number;
  toPlanId: number;
  idempotencyKey: string;
  amountMinor: number;
  currency: string;
  pricing: OrderPricing;
  requestedBy: string;
  requestedByUserId: number | null;
}

/**
 * The order and its provisioning message, in one transaction: either both exist or neither. Throws the
 * driver's duplicate-key error when the key was used already or the VM has an open order.
 */
export async function insertOrderWithMessage(db: Database, order: NewOrder, message: (orderId: number) => string, now: Date): Promise<number> {
  // A deadlock or lock wait with the publisher's claim is the database's to resolve: try again, twice.
  for (let attempt = 1; ; attempt++) {
    try {
      return await insertOnce(db, order, message, now);
    } catch (error) {
      const errno = driverError(error).errno;
      if (attempt >= 3 || (errno !== 1213 && errno !== 1205)) throw error;
    }
  }
}

async function insertOnce(db: Database, order: NewOrder, message: (orderId: number) => string, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(planOrders)
      .values({ ...order, openVmId: order.vmId, status: 'requested', createdAt: now, updatedAt: now })
      .$returningId();
    await tx.insert(provisioningOutbox).values({ orderId: row!.id, body: message(row!.id), dueAt: now, createdAt: now });
    return row!.id;
  });
}

// ---------------------------------------------------------------------------------------------
// Staff

export async function listOrders(db: Database, { status, limit = 100 }: { status?: OrderStatus; limit?: number } = {}) {
  const rows = await db
    .select({ ...orderColumns, hostname: vms.hostname, outboxAttempts: provisioningOutbox.attempts, outboxError: provisioningOutbox.lastError })
    .from(planOrders)
    .innerJoin(vms, eq(vms.id, planOrders.vmId))
    .leftJoin(provisioningOutbox, eq(provisioningOutbox.orderId, planOrders.id))
    .where(status ? eq(planOrders.status, status) : undefined)
    .orderBy(desc(planOrders.id))
    .limit(limit);
  return rows.map((r) => ({ ...asOrder(r), hostname: r.hostname, outboxAttempts: r.outboxAttempts, outboxError: r.outboxError }));
}

export async function orderById(db: Database, orderId: number): Promise<OrderRecord | null> {
  const [row] = await db.select(orderColumns).from(planOrders).where(eq(planOrders.id, orderId));
  return row ? asOrder(row) : null;
}

/** Staff: send a failed or stuck order's message again now (a new outbox row when the old one is gone). */
export async function requeueOrderMessage(db: Database, orderId: number, body: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const [existing] = await tx.select({ id: provisioningOutbox.id }).from(provisioningOutbox).where(eq(provisioningOutbox.orderId, orderId));
    if (existing) await tx.update(provisioningOutbox).set({ dueAt: now, lastError: null }).where(eq(provisioningOutbox.id, existing.id));
    else await tx.insert(provisioningOutbox).values({ orderId, body, dueAt: now, createdAt: now });
  });
}

export async function outboxBacklog(db: Database, now: Date) {
  const [row] = await db
    .select({ waiting: sql<number>`COUNT(*)`, overdue: sql<number>`SUM(${provisioningOutbox.dueAt} <= ${now} AND ${provisioningOutbox.attempts} > 0)` })
    .from(provisioningOutbox);
  return { waiting: Number(row?.waiting ?? 0), retrying: Number(row?.overdue ?? 0) };
}

