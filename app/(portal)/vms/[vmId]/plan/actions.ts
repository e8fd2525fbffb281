'use server';

import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { actionCaller } from '@/lib/auth/action-caller';
import { requireCustomer } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { vmPlan } from '@/lib/db/queries/orders';
import { ownedVm } from '@/lib/db/queries/vms';
import { placeOrder } from '@/lib/plans/orders';
import { vmForecast } from '@/lib/plans/vm-forecast';

const schema = z.object({
  vmId: z.coerce.number().int().positive(),
  planId: z.coerce.number().int().positive(),
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  expectedAmountMinor: z.coerce.number().int(),
});

/**
 * The confirmation screen's one button, a plain POST that works without JavaScript. It always answers
 * with a redirect (post/redirect/get): the same key again, from a double click or a reload, lands on
 * the same order; a changed price goes back to the screen with the new one.
 */
export async function confirmOrderAction(formData: FormData): Promise<void> {
  const user = await requireCustomer();
  const parsed = schema.safeParse({
    vmId: formData.get('vmId'),
    planId: formData.get('planId'),
    idempotencyKey: formData.get('idempotencyKey'),
    expectedAmountMinor: formData.get('expectedAmountMinor'),
  });
  if (!parsed.success) redirect('/');
  const { vmId, planId, idempotencyKey, expectedAmountMinor } = parsed.data;
  const db = getDb();
  const vm = await ownedVm(db, user.accountId, vmId);
  if (!vm) redirect('/');
  const now = new Date();
  const forecast = await vmForecast(db, vm, await vmPlan(db, vm), now);
  const placed = await placeOrder(db, await actionCaller(user), vm, { planId, idempotencyKey, expectedAmountMinor }, forecast.needs, now);
  revalidatePath(`/vms/${vm.id}/plan`);
  if (placed.ok) redirect(`/vms/${vm.id}/plan?order=${placed.value.order.id}`);
  const refusal = placed.error;
  if (refusal.code === 'open-order') redirect(`/vms/${vm.id}/plan?notice=open-order`);
  redirect(`/vms/${vm.id}/plan/confirm?planId=${planId}&refused=${refusal.code}`);
}
