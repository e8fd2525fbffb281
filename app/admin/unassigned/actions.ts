'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { type Assigned, assignToVm, createVmFromHost } from '@/lib/admin/unassigned';
import { staffActor } from '@/lib/auth/action-caller';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import type { StaffFormState } from '@/app/_components/staff-form';

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : '';
};

/**
 * The host leaves the list once its events move, and its form with it: the result is shown by the page
 * (from the query), which also works for a plain POST without JavaScript.
 */
function shown(hostName: string, done: Assigned): never {
  revalidatePath('/admin/unassigned');
  revalidatePath('/admin/vms');
  const query = new URLSearchParams({
    host: hostName,
    vm: String(done.vmId),
    events: String(done.events),
    samples: String(done.samples),
    states: String(done.states),
    ...(done.futureEventsMatch ? {} : { unmatched: '1' }),
  });
  redirect(`/admin/unassigned?${query}`);
}

/** A VM created from an unassigned host (its Nagios host name and address), which then gets the host's earlier events. */
export async function createVmFromHostAction(_previous: StaffFormState, form: FormData): Promise<StaffFormState> {
  const staff = await requireStaff();
  const hostName = text(form, 'hostName');
  const saved = await createVmFromHost(getDb(), await staffActor(staff), hostName, {
    accountKey: text(form, 'accountKey'),
    planSlug: text(form, 'planSlug'),
    ubuntuRelease: text(form, 'ubuntuRelease'),
    hostname: text(form, 'hostname'),
    address: text(form, 'address'),
  });
  if (!saved.ok) return { problems: saved.error };
  shown(hostName, saved.value);
}

/** An unassigned host's events (with their samples and current states) given to an existing VM. */
export async function assignToVmAction(_previous: StaffFormState, form: FormData): Promise<StaffFormState> {
  const staff = await requireStaff();
  const hostName = text(form, 'hostName');
  const vmId = Number(text(form, 'vmId'));
  if (!Number.isSafeInteger(vmId) || vmId <= 0) return { problems: ['vmId: choose a VM.'] };
  const saved = await assignToVm(getDb(), await staffActor(staff), hostName, vmId);
  if (!saved.ok) return { problems: saved.error };
  if (saved.value.events + saved.value.samples + saved.value.states === 0) return { ok: 'Nothing left to assign: the events of this host are on a VM already.' };
  shown(hostName, saved.value);
}
