'use server';

import { headers } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { clientIp } from '@/lib/auth/client-ip';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { env } from '@/lib/env';
import { REASON_MAX, cancelOrder, resendOrder } from '@/lib/db/queries/staff-orders';

export type OrderActionState = { ok?: string; error?: string };

const idSchema = z.coerce.number().int().positive().max(2_147_483_647);
const cancelSchema = z.object({
  orderId: idSchema,
  reason: z.string().trim().min(1, 'Give a reason for cancelling (the customer sees it).').max(REASON_MAX, `Keep the reason to ${REASON_MAX} characters.`),
});
const resendSchema = z.object({ orderId: idSchema });

async function staffActor() {
  const user = await requireStaff();
  return { id: user.id, username: user.username, ip: clientIp(await headers(), env().TRUSTED_PROXY_IPS) };
}

export async function cancelOrderAction(_previous: OrderActionState, formData: FormData): Promise<OrderActionState> {
  const staff = await staffActor();
  const parsed = cancelSchema.safeParse({ orderId: formData.get('orderId'), reason: formData.get('reason') ?? '' });
  if (!parsed.success) return { error: parsed.error.issues.find((i) => i.path[0] === 'reason')?.message ?? 'Choose an order.' };
  const result = await cancelOrder(getDb(), staff, parsed.data.orderId, parsed.data.reason);
  if (!result.ok) return { error: result.error };
  revalidatePath('/admin/orders');
  return { ok: `Order #${result.value.id} cancelled.` };
}

export async function resendOrderAction(_previous: OrderActionState, formData: FormData): Promise<OrderActionState> {
  const staff = await staffActor();
  const parsed = resendSchema.safeParse({ orderId: formData.get('orderId') });
  if (!parsed.success) return { error: 'Choose an order.' };
  const result = await resendOrder(getDb(), staff, parsed.data.orderId);
  if (!result.ok) return { error: result.error };
  revalidatePath('/admin/orders');
  return { ok: `Order #${result.value.id}: its message goes out again now.` };
}
