'use server';

import { revalidatePath } from 'next/cache';
import { createPlan, updatePlan } from '@/lib/admin/onboarding';
import { planFromForm } from '@/lib/admin/onboarding-form';
import { staffActor } from '@/lib/auth/action-caller';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import type { StaffFormState } from '@/app/_components/staff-form';

export async function createPlanAction(_previous: StaffFormState, form: FormData): Promise<StaffFormState> {
  const staff = await requireStaff();
  const saved = await createPlan(getDb(), await staffActor(staff), planFromForm(form));
  if (!saved.ok) return { problems: saved.error };
  revalidatePath('/admin/plans');
  return { ok: 'Plan created: customers can move to it from their plan pages.' };
}

/** Edits a plan; unticking "Offered" retires it (kept for the VMs on it, offered to nobody). */
export async function updatePlanAction(_previous: StaffFormState, form: FormData): Promise<StaffFormState> {
  const staff = await requireStaff();
  const id = Number(form.get('id'));
  const saved = Number.isSafeInteger(id) && id > 0 ? await updatePlan(getDb(), await staffActor(staff), id, planFromForm(form)) : null;
  if (saved === null) return { problems: ['No such plan.'] };
  if (!saved.ok) return { problems: saved.error };
  revalidatePath('/admin/plans');
  return { ok: 'Saved.' };
}
