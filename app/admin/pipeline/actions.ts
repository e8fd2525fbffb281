'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { replayWaitingDeadLetter } from '@/lib/admin/pipeline';
import { recordAudit } from '@/lib/db/queries/audit';
import { requireStaff } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { resolveDeadLetter as markDeadLetter } from '@/lib/db/queries/pipeline';

const schema = z.object({ id: z.coerce.number().int().positive(), intent: z.enum(['replay', 'discard']) });

export type DeadLetterState = { ok?: string; error?: string };

export async function resolveDeadLetter(_previous: DeadLetterState, formData: FormData): Promise<DeadLetterState> {
  const staff = await requireStaff();
  const parsed = schema.safeParse({ id: formData.get('id'), intent: formData.get('intent') });
  if (!parsed.success) return { error: 'Choose a dead letter and an action.' };
  const db = getDb();
  const { id, intent } = parsed.data;
  if (intent === 'replay') {
    const result = await replayWaitingDeadLetter(db, id);
    if (!result.ok) return { error: result.error };
  } else if (!(await markDeadLetter(db, id, 'discarded'))) {
    return { error: 'No such dead letter waiting.' };
  }
  await recordAudit(db, { action: `dead_letter.${intent}`, actor: staff, target: { type: 'dead_letter', id } });
  revalidatePath('/admin/pipeline');
  return { ok: intent === 'replay' ? 'Replayed and stored.' : 'Discarded.' };
}
