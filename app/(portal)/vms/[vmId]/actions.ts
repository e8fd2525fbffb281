'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { recordAudit } from '@/lib/db/queries/audit';
import { requireCustomer } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { setUserDetailLevel } from '@/lib/db/queries/users';

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
