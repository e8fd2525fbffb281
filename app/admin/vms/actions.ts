'use server';

import { revalidatePath } from 'next/cache';
import { createVm, updateVm } from '@/lib/admin/onboarding';
import { vmFromForm } from '@/lib/admin/onboarding-form';
import { staffActor } from '@/lib/auth/action-caller';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import type { StaffFormState } from '@/app/_components/staff-form';

export async function createVmAction(_previous: StaffFormState, form: FormData): Promise<StaffFormState> {
  const staff = await requireStaff();
  const saved = await createVm(getDb(), await staffActor(staff), vmFromForm(form));
  if (!saved.ok) return { problems: saved.error };
  revalidatePath('/admin/vms');
  return { ok: 'VM created. Events from Nagios for its host name now land on it.' };
}

/** Edits a VM, also moving it to another account or plan. */
export async function updateVmAction(_previous: StaffFormState, form: FormData): Promise<StaffFormState> {
  const staff = await requireStaff();
  const id = Number(form.get('id'));
  const saved = Number.isSafeInteger(id) && id > 0 ? await updateVm(getDb(), await staffActor(staff), id, vmFromForm(form)) : null;
  if (saved === null) return { problems: ['No such VM.'] };
  if (!saved.ok) return { problems: saved.error };
  revalidatePath('/admin/vms');
  return { ok: 'Saved.' };
}
