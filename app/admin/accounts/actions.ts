'use server';

import { revalidatePath } from 'next/cache';
import { createAccount, updateAccount } from '@/lib/admin/onboarding';
import { accountFromForm } from '@/lib/admin/onboarding-form';
import { staffActor } from '@/lib/auth/action-caller';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import type { StaffFormState } from '@/app/_components/staff-form';

export async function createAccountAction(_previous: StaffFormState, form: FormData): Promise<StaffFormState> {
  const staff = await requireStaff();
  const saved = await createAccount(getDb(), await staffActor(staff), accountFromForm(form));
  if (!saved.ok) return { problems: saved.error };
  revalidatePath('/admin/accounts');
  return { ok: 'Account created. Its users log in once the directory gives them its key (or once you assign them under Users).' };
}

export async function updateAccountAction(_previous: StaffFormState, form: FormData): Promise<StaffFormState> {
  const staff = await requireStaff();
  const id = Number(form.get('id'));
  const saved = Number.isSafeInteger(id) && id > 0 ? await updateAccount(getDb(), await staffActor(staff), id, accountFromForm(form)) : null;
  if (saved === null) return { problems: ['No such account.'] };
  if (!saved.ok) return { problems: saved.error };
  revalidatePath('/admin/accounts');
  return { ok: 'Saved.' };
}
