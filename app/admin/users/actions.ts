'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import type { StaffFormState } from '@/app/_components/staff-form';
import { assignBeforeLogin } from '@/lib/admin/directory-users';
import { staffActor } from '@/lib/auth/action-caller';
import { getDirectory } from '@/lib/auth/services';
import { recordAudit } from '@/lib/db/queries/audit';
import { requireStaff } from '@/lib/auth/session';
import { revokeUserSessions } from '@/lib/db/queries/sessions';
import { getDb } from '@/lib/db';
import { accountExists, findUserById, setUserAccountByStaff } from '@/lib/db/queries/users';

const assignSchema = z.object({
  userId: z.coerce.number().int().positive(),
  // '' = back to whatever the directory says
  accountId: z.union([z.literal(''), z.coerce.number().int().positive()]),
});

export type AssignState = { ok?: string; error?: string };

/** Staff link a login to an account by hand; the directory's attribute no longer overrides it. */
export async function assignAccount(_previous: AssignState, formData: FormData): Promise<AssignState> {
  const staff = await requireStaff();
  const parsed = assignSchema.safeParse({ userId: formData.get('userId'), accountId: formData.get('accountId') ?? '' });
  if (!parsed.success) return { error: 'Choose a user and an account.' };
  const db = getDb();
  const { userId, accountId } = parsed.data;
  const user = await findUserById(db, userId);
  if (!user) return { error: 'No such user.' };
  if (accountId !== '' && !(await accountExists(db, accountId))) return { error: 'No such account.' };
  await setUserAccountByStaff(db, userId, accountId === '' ? null : accountId);
  await recordAudit(db, {
    action: 'user.account_assigned',
    actor: staff,
    accountId: accountId === '' ? null : accountId,
    target: { type: 'user', id: userId },
    details: { from: user.accountId, to: accountId === '' ? null : accountId },
  });
  revalidatePath('/admin/users');
  return { ok: `${user.username} updated.` };
}

/** A directory user who may never have logged in: their row is made from the directory, then assigned. */
export async function assignBeforeLoginAction(_previous: StaffFormState, formData: FormData): Promise<StaffFormState> {
  const staff = await requireStaff();
  const username = formData.get('username');
  const accountId = Number(formData.get('accountId'));
  if (typeof username !== 'string' || !Number.isSafeInteger(accountId) || accountId <= 0) return { problems: ['Choose a user and an account.'] };
  const db = getDb();
  const saved = await assignBeforeLogin(db, getDirectory(), await staffActor(staff), username, accountId);
  if (!saved.ok) return { problems: [saved.error] };
  revalidatePath('/admin/users');
  return { ok: `${saved.value.username} is linked to that account; their first login lands there.` };
}

const revokeSchema = z.object({ userId: z.coerce.number().int().positive() });

export type RevokeState = { ok?: string; error?: string };

/** Staff end every session of a user at once (a lost laptop, a leaving employee): all instances, next request. */
export async function revokeSessions(_previous: RevokeState, formData: FormData): Promise<RevokeState> {
  const staff = await requireStaff();
  const parsed = revokeSchema.safeParse({ userId: formData.get('userId') });
  if (!parsed.success) return { error: 'Choose a user.' };
  const db = getDb();
  const user = await findUserById(db, parsed.data.userId);
  if (!user) return { error: 'No such user.' };
  const ended = await revokeUserSessions(db, user.id, 'revoked_by_staff');
  await recordAudit(db, {
    action: 'session.revoked',
    actor: staff,
    target: { type: 'user', id: user.id },
    details: { reason: 'revoked_by_staff', sessions: ended },
  });
  revalidatePath('/admin/users');
  return { ok: `${user.username}: ${ended} session${ended === 1 ? '' : 's'} ended.` };
}
