import { NextResponse } from 'next/server';
import { customerApiRoute, notFound } from '@/lib/api/handler';
import { orderToJson } from '@/lib/api/plans-json';
import { getDb } from '@/lib/db';
import { ownedOrder } from '@/lib/db/queries/orders';
import { parseId } from '@/lib/vms/params';

// GET /api/v1/orders/:id — one of the caller's orders with its status and times; another account's is 404.
export const GET = customerApiRoute<{ id: string }>(async (_request, user, { id }) => {
  const orderId = parseId(id);
  const order = orderId === null ? null : await ownedOrder(getDb(), user.accountId, orderId);
  return order ? NextResponse.json({ order: orderToJson(order) }) : notFound();
});
