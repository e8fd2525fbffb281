import { NextResponse } from 'next/server';
import { customerApiRoute, jsonError, notFound, vmReadRoute } from '@/lib/api/handler';
import { orderToJson } from '@/lib/api/plans-json';
import { apiCaller, readJson } from '@/lib/api/request';
import { getDb } from '@/lib/db';
import { ordersForVm, vmPlan } from '@/lib/db/queries/orders';
import { ownedVm } from '@/lib/db/queries/vms';
import { placeOrder } from '@/lib/plans/orders';
import { vmForecast } from '@/lib/plans/vm-forecast';
import { parseId } from '@/lib/vms/params';

// GET the VM's orders, newest first; POST {"planId", "idempotencyKey", "expectedAmountMinor"?} orders a
// plan change. The same key again answers the same order (200); a new order is 201.

export const GET = vmReadRoute<{ id: string }>(async (_request, _user, vm) => {
  const db = getDb();
  return NextResponse.json({ orders: (await ordersForVm(db, vm, 50)).map(orderToJson) });
});

const STATUS = { 'bad-request': 400, 'unknown-plan': 400, 'same-plan': 409, 'does-not-fit': 422, 'price-changed': 409, 'open-order': 409, 'key-reused': 409 } as const;

export const POST = customerApiRoute<{ id: string }>(async (request, user, { id }) => {
  const vmId = parseId(id);
  const db = getDb();
  const vm = vmId === null ? null : await ownedVm(db, user.accountId, vmId);
  if (!vm) return notFound();
  const body = await readJson(request);
  if (!body.ok) return jsonError(400, body.error);
  const input = body.value as { planId?: unknown; idempotencyKey?: unknown; expectedAmountMinor?: unknown } | null;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return jsonError(400, 'The body must be a JSON object: {"planId": …, "idempotencyKey": "…"}.');
  if (typeof input.planId !== 'number' || typeof input.idempotencyKey !== 'string') return jsonError(400, 'planId (a number) and idempotencyKey (a string) are required.');
  if (input.expectedAmountMinor !== undefined && !Number.isSafeInteger(input.expectedAmountMinor)) return jsonError(400, 'expectedAmountMinor must be a whole number of cents.');
  const now = new Date();
  const forecast = await vmForecast(db, vm, await vmPlan(db, vm), now);
  const placed = await placeOrder(
    db,
    apiCaller(request, user),
    vm,
    { planId: input.planId, idempotencyKey: input.idempotencyKey, ...(input.expectedAmountMinor !== undefined ? { expectedAmountMinor: input.expectedAmountMinor as number } : {}) },
    forecast.needs,
    now,
  );
  if (!placed.ok) {
    const e = placed.error;
    return NextResponse.json(
      {
        error: e.message,
        code: e.code,
        ...('problems' in e ? { problems: e.problems } : {}),
        ...('order' in e ? { order: orderToJson(e.order) } : {}),
        ...('proration' in e ? { amountMinor: e.proration.amountMinor, explanation: e.proration.explanation } : {}),
      },
      { status: STATUS[e.code] },
    );
  }
  return NextResponse.json({ order: orderToJson(placed.value.order) }, { status: placed.value.created ? 201 : 200 });
});
