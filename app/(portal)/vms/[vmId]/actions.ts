'use server';

import { cookies } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { recordAudit } from '@/lib/db/queries/audit';
import { requireCustomer } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { setUserDetailLevel } from '@/lib/db/queries/users';
import { ownedVm } from '@/lib/db/queries/vms';
import { actionCaller } from '@/lib/auth/action-caller';
import { endMaintenance, planMaintenance } from '@/lib/notify/maintenance';
import { TIME_ZONE_COOKIE, resolveTimeZone } from '@/lib/vms/time-zone';

const schema = z.object({ level: z.enum(['summary', 'technical']) });

export type DetailLevelState = { ok?: string; error?: string };

/** How much of each event the caller wants to see; changes only the caller's own row. */
export async function setDetailLevel(_previous: DetailLevelState, formData: FormData): Promise<DetailLevelState> {
  const user = await requireCustomer();
  const parsed = schema.safeParse({ level: formData.get('level') });
  if (!parsed.success) return { error: 'Choose “Summary” or “Technical”.' };
  const { level } = parsed.data;
  if (level !== user.detailLevel) {
    const db = getDb();
    await setUserDetailLevel(db, user.id, level);
    await recordAudit(db, {
      action: 'user.detail_level_changed',
      actor: user,
      accountId: user.accountId,
      target: { type: 'user', id: user.id },
      details: { from: user.detailLevel, to: level },
    });
  }
  revalidatePath('/vms/[vmId]', 'page');
  return { ok: level === 'technical' ? 'Showing technical details.' : 'Showing plain summaries.' };
}

export type MaintenanceState = { ok?: string; problems?: string[] };

const vmIdSchema = z.coerce.number().int().positive();

/** The form's VM, but only if it is one of the caller's: the id in the form is never trusted alone. */
async function formVm(formData: FormData) {
  const user = await requireCustomer();
  const vmId = vmIdSchema.safeParse(formData.get('vmId'));
  const vm = vmId.success ? await ownedVm(getDb(), user.accountId, vmId.data) : null;
  return { user, vm };
}

/** Pauses the VM's alerts for a while: now or later, for a chosen time or until a chosen end. */
export async function planMaintenanceAction(_previous: MaintenanceState, formData: FormData): Promise<MaintenanceState> {
  const { user, vm } = await formVm(formData);
  if (!vm) return { problems: ['That VM is not one of yours.'] };
  const timeZone = resolveTimeZone((await cookies()).get(TIME_ZONE_COOKIE)?.value);
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const saved = await planMaintenance(
    getDb(),
    await actionCaller(user),
    vm,
    { startsAt: text('startsAt'), endsAt: text('minutes') ? undefined : text('endsAt'), minutes: text('minutes'), reason: text('reason') },
    timeZone,
  );
  if (!saved.ok) return { problems: saved.error };
  revalidatePath('/vms/[vmId]', 'page');
  return { ok: 'Maintenance window saved: alerts about this VM are paused while it lasts.' };
}

export async function endMaintenanceAction(_previous: MaintenanceState, formData: FormData): Promise<MaintenanceState> {
  const { user, vm } = await formVm(formData);
  const windowId = vmIdSchema.safeParse(formData.get('windowId'));
  if (!vm || !windowId.success) return { problems: ['That maintenance window is not one of yours.'] };
  const outcome = await endMaintenance(getDb(), await actionCaller(user), vm, windowId.data);
  if (outcome === null) return { problems: ['That maintenance window is not one of yours.'] };
  revalidatePath('/vms/[vmId]', 'page');
  return { ok: outcome === 'removed' ? 'Planned window removed.' : outcome === 'ended' ? 'Maintenance ended: alerts are on again.' : 'That window was already over.' };
}
