'use server';

import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { actionCaller } from '@/lib/auth/action-caller';
import { requireCustomer } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { loadReleaseTable } from '@/lib/db/queries/releases';
import { ownedVm } from '@/lib/db/queries/vms';
import { IDEMPOTENCY_KEY, placeRebuild } from '@/lib/plans/orders';

const schema = z.object({
  vmId: z.coerce.number().int().positive(),
  ubuntuRelease: z.string().trim().min(1).max(40),
  confirmHostname: z.string().max(255),
  idempotencyKey: z.string().regex(IDEMPOTENCY_KEY),
});

/**
 * The rebuild confirmation's one button, a plain POST that works without JavaScript, answered with a
 * redirect (post/redirect/get). Customers only, on their own VM: staff reading the VM never reach an
 * order. A wrong host name goes back to the screen with nothing ordered; the same key again (a double
 * click, a reload) lands on the same order.
 */
export async function confirmRebuildAction(formData: FormData): Promise<void> {
  const user = await requireCustomer();
  const parsed = schema.safeParse({
    vmId: formData.get('vmId'),
    ubuntuRelease: formData.get('ubuntuRelease'),
    confirmHostname: formData.get('confirmHostname') ?? '',
    idempotencyKey: formData.get('idempotencyKey'),
  });
  if (!parsed.success) redirect('/');
  const { vmId, ubuntuRelease, confirmHostname, idempotencyKey } = parsed.data;
  const db = getDb();
  const vm = await ownedVm(db, user.accountId, vmId);
  if (!vm) redirect('/');
  const { releases } = await loadReleaseTable(db);
  const placed = await placeRebuild(db, await actionCaller(user), vm, { ubuntuRelease, confirmHostname, idempotencyKey }, releases, new Date());
  revalidatePath(`/vms/${vm.id}/rebuild`);
  revalidatePath(`/vms/${vm.id}/packages`);
  if (placed.ok) redirect(`/vms/${vm.id}/rebuild?order=${placed.value.order.id}`);
  const refusal = placed.error;
  if (refusal.code === 'open-order') redirect(`/vms/${vm.id}/rebuild?notice=open-order`);
  redirect(`/vms/${vm.id}/rebuild/confirm?release=${encodeURIComponent(ubuntuRelease)}&refused=${refusal.code}`);
}
