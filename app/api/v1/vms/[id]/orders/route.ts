import { NextResponse } from 'next/server';
import { z } from 'zod';
import { customerApiRoute, jsonError, notFound, vmReadRoute } from '@/lib/api/handler';
import { orderToJson } from '@/lib/api/plans-json';
import { apiCaller, readJson } from '@/lib/api/request';
import { getDb } from '@/lib/db';
import { ORDER_KINDS, ordersForVm, vmPlan } from '@/lib/db/queries/orders';
import { loadReleaseTable } from '@/lib/db/queries/releases';
import { ownedVm, type OwnedVm } from '@/lib/db/queries/vms';
import type { CustomerUser } from '@/lib/auth/current-user';
import { placeOrder, placeRebuild } from '@/lib/plans/orders';
import { vmForecast } from '@/lib/plans/vm-forecast';
import { parseId } from '@/lib/vms/params';

// GET the VM's orders, newest first; POST {"planId", "idempotencyKey", "expectedAmountMinor"?} orders a
// plan change, {"kind": "rebuild", "ubuntuRelease", "confirmHostname", "idempotencyKey"} a rebuild on a
// fresh image (its data is destroyed). The same key again answers the same order (200); a new one is 201.

export const GET = vmReadRoute<{ id: string }>(async (_request, _user, vm) => {
  const db = getDb();
  return NextResponse.json({ orders: (await ordersForVm(db, vm, 50)).map(orderToJson) });
});

const STATUS = { 'bad-request': 400, 'unknown-plan': 400, 'same-plan': 409, 'does-not-fit': 422, 'price-changed': 409, 'open-order': 409, 'key-reused': 409 } as const;

const REBUILD_STATUS = { 'bad-request': 400, 'unknown-release': 422, 'unsupported-release': 422, 'wrong-confirmation': 422, 'open-order': 409, 'key-reused': 409 } as const;

const kindSchema = z.object({ kind: z.enum(ORDER_KINDS, { message: `kind: one of ${ORDER_KINDS.join(', ')} (upgrade when left out).` }).default('upgrade') });
const rebuildSchema = z.object({
  kind: z.literal('rebuild'),
  ubuntuRelease: z.string({ message: 'ubuntuRelease: a release that is still supported, e.g. "24.04" (see /releases).' }).max(40),
  confirmHostname: z.string({ message: "confirmHostname: the VM's host name, typed to confirm that its data may be destroyed." }).max(255),
  idempotencyKey: z.string({ message: 'idempotencyKey: 8 to 64 letters, digits, - or _.' }).max(64),
});

const issues = (error: z.ZodError) => error.issues.map((i) => i.message).join(' ');

export const POST = customerApiRoute<{ id: string }>(async (request, user, { id }) => {
  const vmId = parseId(id);
  const db = getDb();
  const vm = vmId === null ? null : await ownedVm(db, user.accountId, vmId);
  if (!vm) return notFound();
  const body = await readJson(request);
  if (!body.ok) return jsonError(400, body.error);
  if (typeof body.value === 'object' && body.value !== null && !Array.isArray(body.value)) {
    const kind = kindSchema.safeParse(body.value);
    if (!kind.success) return jsonError(400, issues(kind.error));
    if (kind.data.kind === 'rebuild') return rebuild(request, user, vm, body.value);
  }
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

async function rebuild(request: Request, user: CustomerUser, vm: OwnedVm, value: unknown) {
  const parsed = rebuildSchema.safeParse(value);
  if (!parsed.success) return jsonError(400, issues(parsed.error));
  const db = getDb();
  const { releases } = await loadReleaseTable(db);
  const placed = await placeRebuild(db, apiCaller(request, user), vm, parsed.data, releases, new Date());
  if (!placed.ok) {
    const e = placed.error;
    return NextResponse.json({ error: e.message, code: e.code, ...('order' in e ? { order: orderToJson(e.order) } : {}) }, { status: REBUILD_STATUS[e.code] });
  }
  return NextResponse.json({ order: orderToJson(placed.value.order) }, { status: placed.value.created ? 201 : 200 });
}
