'use server';

import { eq } from 'drizzle-orm';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { recordAudit } from '@/lib/audit';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { accounts, users } from '@/lib/db/schema';

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
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) return { error: 'No such user.' };
  if (accountId !== '') {
    const [account] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId));
    if (!account) return { error: 'No such account.' };
  }
  await db
    .update(users)
    .set(accountId === '' ? { accountId: null, accountSource: null } : { accountId, accountSource: 'staff' })
    .where(eq(users.id, userId));
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
