import type { Database } from '../db/connection';
import { driverError } from '../db/errors';
import { recordAudit } from '../db/queries/audit';
import { insertOrderWithMessage, listPlans, openOrderForVm, orderByKey, type OrderRecord, vmPlan } from '../db/queries/orders';
import type { OwnedVm } from '../db/queries/vms';
import type { Caller } from '../notify/rules';
import { fail, ok, type Result } from '../result';
import { billingPeriodOf, prorate, type Proration } from './proration';
import type { Release } from '../guides/releases';
import { REBUILD_REQUEST_TYPE, REQUEST_TYPE, REQUEST_VERSION, type PlanSpec, type ProvisioningRequest } from './provisioning-message';
import { checkConfirmation, rebuildPricing, rebuildTarget, type RebuildRefusal } from './rebuild';
import { changeProblems, type PlanLimits, type UsageNeeds } from './recommend';

// Ordering a plan change or a rebuild: check it, price it, and write the order with its provisioning
// message in one transaction. The publisher (lib/plans/provisioning.ts) sends the message; replies move
// the order on. A VM has one open order at a time, whichever its kind.

export const CURRENCY = 'EUR';
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,64}$/;

export interface OrderRequest {
  planId: number;
  idempotencyKey: string;
  /** The prorated amount the customer was shown; when given and no longer right, the order is refused. */
  expectedAmountMinor?: number;
}

export type OrderRefusal =
  | { code: 'bad-request'; message: string }
  | { code: 'unknown-plan'; message: string }
  | { code: 'same-plan'; message: string }
  | { code: 'does-not-fit'; message: string; problems: string[] }
  | { code: 'price-changed'; message: string; proration: Proration }
  | { code: 'open-order'; message: string; order: OrderRecord }
  | { code: 'key-reused'; message: string; order: OrderRecord };

/** Said when a VM already has an order under way (plan changes and rebuilds share the one slot). */
export const OPEN_ORDER_MESSAGE = 'An order for this VM (a plan change or a rebuild) is already under way; a new one can be placed once it has ended.';

export interface PlacedOrder {
  order: OrderRecord;
  /** False when the key had made this order before: the same answer again, nothing new. */
  created: boolean;
}

const spec = (p: PlanLimits): PlanSpec => ({ id: p.id, slug: p.slug, name: p.name, vcpus: p.vcpus, memoryMb: p.memoryMb, diskGb: p.diskGb, transferGb: p.transferGb, priceMinor: p.priceCents });

export interface RequestBodyInput {
  orderId: number;
  idempotencyKey: string;
  vm: { id: number; nagiosHostName: string; hostname: string; address: string };
  fromPlan: PlanLimits;
  toPlan: PlanLimits;
  amountMinor: number;
  currency: string;
  requestedBy: string;
  /** ISO 8601: the order's creation time, so every send of one order carries the same body. */
  requestedAt: string;
  /** For a rebuild: the release to install and the VM's release when it was ordered. */
  rebuild?: { ubuntuRelease: string; fromRelease: string };
}

/** The provisioning message for an order, as JSON (placeOrder's, and staff's "send again" when the outbox row is gone). */
export function requestBody(o: RequestBodyInput): string {
  const common = {
    version: REQUEST_VERSION,
    orderId: o.orderId,
    idempotencyKey: o.idempotencyKey,
    vm: { id: o.vm.id, nagiosHostName: o.vm.nagiosHostName, hostname: o.vm.hostname, address: o.vm.address },
    fromPlan: spec(o.fromPlan),
    toPlan: spec(o.toPlan),
    amountMinor: o.amountMinor,
    currency: o.currency,
    requestedBy: o.requestedBy,
    requestedAt: o.requestedAt,
  } satisfies Omit<ProvisioningRequest, 'type' | 'kind'>;
  const message: ProvisioningRequest = o.rebuild
    ? { type: REBUILD_REQUEST_TYPE, kind: 'rebuild', ...common, ubuntuRelease: o.rebuild.ubuntuRelease, fromRelease: o.rebuild.fromRelease }
    : { type: REQUEST_TYPE, kind: 'upgrade', ...common };
  return JSON.stringify(message);
}

/** What a change to `planId` would cost now, or why it cannot be ordered. */
export async function quoteChange(db: Database, vm: OwnedVm, planId: number, needs: UsageNeeds, now: Date) {
  const [current, plans] = await Promise.all([vmPlan(db, vm), listPlans(db)]);
  const target = plans.find((p) => p.id === planId);
  if (!target) return fail<OrderRefusal>({ code: 'unknown-plan', message: 'There is no such plan to move to.' });
  if (target.id === current.id) return fail<OrderRefusal>({ code: 'same-plan', message: `This VM is already on ${current.name}.` });
  if ((target.currency ?? CURRENCY) !== (current.currency ?? CURRENCY)) {
    return fail<OrderRefusal>({ code: 'does-not-fit', message: `${target.name} is priced in ${target.currency}, this VM's plan in ${current.currency}.`, problems: ['A plan change stays within one currency: please contact support.'] });
  }
  const problems = changeProblems(target, needs);
  if (problems.length > 0) return fail<OrderRefusal>({ code: 'does-not-fit', message: `This VM does not fit in ${target.name}.`, problems });
  return ok({ current, target, proration: prorate(current.priceCents, target.priceCents, now, billingPeriodOf(now, vm.billingDay)) });
}

export async function placeOrder(db: Database, caller: Caller, vm: OwnedVm, request: OrderRequest, needs: UsageNeeds, now = new Date()): Promise<Result<PlacedOrder, OrderRefusal>> {
  if (!IDEMPOTENCY_KEY.test(request.idempotencyKey)) return fail({ code: 'bad-request', message: 'idempotencyKey: 8 to 64 letters, digits, - or _.' });
  if (!Number.isSafeInteger(request.planId) || request.planId <= 0) return fail({ code: 'bad-request', message: 'planId: a plan id from /api/v1/plans.' });
  const again = await orderByKey(db, caller.accountId, request.idempotencyKey);
  if (again) return sameKey(again, vm, request);

  const quote = await quoteChange(db, vm, request.planId, needs, now);
  if (!quote.ok) return quote;
  const { current, target, proration } = quote.value;
  if (request.expectedAmountMinor !== undefined && request.expectedAmountMinor !== proration.amountMinor) {
    return fail({ code: 'price-changed', message: 'The price has changed since it was shown. Please check the new price and confirm again.', proration });
  }
  const open = await openOrderForVm(db, vm);
  if (open) return fail({ code: 'open-order', message: OPEN_ORDER_MESSAGE, order: open });

  const requestedAt = now.toISOString();
  let orderId: number;
  try {
    orderId = await insertOrderWithMessage(
      db,
      {
        accountId: caller.accountId,
        vmId: vm.id,
        fromPlanId: current.id,
        toPlanId: target.id,
        idempotencyKey: request.idempotencyKey,
        amountMinor: proration.amountMinor,
        currency: current.currency ?? CURRENCY,
        pricing: {
          fromPriceMinor: proration.fromPriceMinor,
          toPriceMinor: proration.toPriceMinor,
          daysLeft: proration.daysLeft,
          daysInPeriod: proration.daysInPeriod,
          periodStart: proration.period.start.toISOString(),
          periodEnd: proration.period.end.toISOString(),
          explanation: proration.explanation,
        },
        requestedBy: caller.username,
        requestedByUserId: caller.id,
      },
      (id) =>
        requestBody({
          orderId: id,
          idempotencyKey: request.idempotencyKey,
          vm,
          fromPlan: current,
          toPlan: target,
          amountMinor: proration.amountMinor,
          currency: current.currency ?? CURRENCY,
          requestedBy: caller.username,
          requestedAt,
        }),
      now,
    );
  } catch (error) {
    return answerLostRace(db, caller, vm, request.idempotencyKey, error, (winner) => sameKey(winner, vm, request));
  }
  await recordAudit(db, {
    action: 'plans.order.create',
    actor: { id: caller.id, username: caller.username },
    accountId: caller.accountId,
    target: { type: 'vm', id: vm.id },
    ip: caller.ip ?? null,
    details: { orderId, from: current.slug, to: target.slug, amountMinor: proration.amountMinor },
  });
  return ok({ order: (await orderByKey(db, caller.accountId, request.idempotencyKey))!, created: true });
}

/**
 * Two submits at the same moment: the unique keys let exactly one in; the other answers with it (the
 * same key's order, checked by `sameKeyAnswer`, else the VM's open order). Any other error is rethrown.
 */
async function answerLostRace<R>(
  db: Database,
  caller: Caller,
  vm: OwnedVm,
  idempotencyKey: string,
  error: unknown,
  sameKeyAnswer: (winner: OrderRecord) => R,
): Promise<R | Result<never, { code: 'open-order'; message: string; order: OrderRecord }>> {
  if (driverError(error).errno !== 1062) throw error;
  const winner = (await orderByKey(db, caller.accountId, idempotencyKey)) ?? (await openOrderForVm(db, vm));
  if (!winner) throw error;
  return winner.idempotencyKey === idempotencyKey ? sameKeyAnswer(winner) : fail({ code: 'open-order', message: OPEN_ORDER_MESSAGE, order: winner });
}

function sameKey(order: OrderRecord, vm: OwnedVm, request: OrderRequest): Result<PlacedOrder, OrderRefusal> {
  if (order.vmId !== vm.id || order.kind !== 'upgrade' || order.toPlanId !== request.planId) {
    return fail({ code: 'key-reused', message: 'That idempotency key was used for a different order.', order });
  }
  return ok({ order, created: false });
}

// ---------------------------------------------------------------------------------------------
// Rebuilds

export interface RebuildOrderRequest {
  /** "24.04" (also "24.04 LTS" or "noble"): a release the table says is still supported. */
  ubuntuRelease: string;
  /** What the customer typed: the VM's host name, the one proof they mean to destroy this VM's data. */
  confirmHostname: string;
  idempotencyKey: string;
}

export type RebuildOrderRefusal = RebuildRefusal | Extract<OrderRefusal, { code: 'bad-request' | 'open-order' | 'key-reused' }>;

/**
 * Orders a rebuild of the VM on a fresh image of a supported release: free, on the VM's own plan, one
 * order per screen (the key) and per VM (the open slot). Nothing is written unless the host name was
 * typed right and the release may be built; `releases` is the release table in effect.
 */
export async function placeRebuild(
  db: Database,
  caller: Caller,
  vm: OwnedVm,
  request: RebuildOrderRequest,
  releases: readonly Release[],
  now = new Date(),
): Promise<Result<PlacedOrder, RebuildOrderRefusal>> {
  if (!IDEMPOTENCY_KEY.test(request.idempotencyKey)) return fail({ code: 'bad-request', message: 'idempotencyKey: 8 to 64 letters, digits, - or _.' });
  const confirmed = checkConfirmation(request.confirmHostname, vm.hostname);
  if (!confirmed.ok) return confirmed;
  const target = rebuildTarget(releases, vm.ubuntuRelease, request.ubuntuRelease, now);
  if (!target.ok) return target;
  const ubuntuRelease = target.value.release.version;
  const again = await orderByKey(db, caller.accountId, request.idempotencyKey);
  if (again) return sameRebuildKey(again, vm, ubuntuRelease);
  const open = await openOrderForVm(db, vm);
  if (open) return fail({ code: 'open-order', message: OPEN_ORDER_MESSAGE, order: open });

  const current = await vmPlan(db, vm);
  const currency = current.currency ?? CURRENCY;
  const requestedAt = now.toISOString();
  let orderId: number;
  try {
    orderId = await insertOrderWithMessage(
      db,
      {
        accountId: caller.accountId,
        vmId: vm.id,
        kind: 'rebuild',
        targetRelease: ubuntuRelease,
        fromPlanId: current.id,
        toPlanId: current.id,
        idempotencyKey: request.idempotencyKey,
        amountMinor: 0,
        currency,
        pricing: rebuildPricing(current.priceCents, now),
        requestedBy: caller.username,
        requestedByUserId: caller.id,
      },
      (id) =>
        requestBody({
          orderId: id,
          idempotencyKey: request.idempotencyKey,
          vm,
          fromPlan: current,
          toPlan: current,
          amountMinor: 0,
          currency,
          requestedBy: caller.username,
          requestedAt,
          rebuild: { ubuntuRelease, fromRelease: vm.ubuntuRelease },
        }),
      now,
    );
  } catch (error) {
    return answerLostRace(db, caller, vm, request.idempotencyKey, error, (winner) => sameRebuildKey(winner, vm, ubuntuRelease));
  }
  await recordAudit(db, {
    action: 'plans.order.rebuild',
    actor: { id: caller.id, username: caller.username },
    accountId: caller.accountId,
    target: { type: 'vm', id: vm.id },
    ip: caller.ip ?? null,
    details: { orderId, fromRelease: vm.ubuntuRelease, release: ubuntuRelease, plan: current.slug },
  });
  return ok({ order: (await orderByKey(db, caller.accountId, request.idempotencyKey))!, created: true });
}

function sameRebuildKey(order: OrderRecord, vm: OwnedVm, ubuntuRelease: string): Result<PlacedOrder, RebuildOrderRefusal> {
  if (order.vmId !== vm.id || order.kind !== 'rebuild' || order.targetRelease !== ubuntuRelease) {
    return fail({ code: 'key-reused', message: 'That idempotency key was used for a different order.', order });
  }
  return ok({ order, created: false });
}
