'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { actionCaller } from '@/lib/auth/action-caller';
import { requireCustomer } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { patchRule, removeRule, saveRule } from '@/lib/notify/rules';
import { ruleInputFromForm } from './rule-form-data';

export type RuleFormState = { ok?: string; problems?: string[] };

const idSchema = z.object({ id: z.coerce.number().int().positive() });

/** Creates (no id) or replaces (an id of the account's) a rule from the form. */
export async function saveRuleAction(_previous: RuleFormState, formData: FormData): Promise<RuleFormState> {
  const user = await requireCustomer();
  const id = formData.get('id') ? idSchema.safeParse({ id: formData.get('id') }) : null;
  if (id && !id.success) return { problems: ['That rule does not exist.'] };
  const saved = await saveRule(getDb(), await actionCaller(user), ruleInputFromForm(formData), id?.data.id);
  if (!saved.ok) return { problems: saved.error };
  revalidatePath('/alerts');
  return { ok: id ? 'Rule saved.' : 'Rule created. Its plain-words summary and preview are below.' };
}

export async function toggleRuleAction(_previous: RuleFormState, formData: FormData): Promise<RuleFormState> {
  const user = await requireCustomer();
  const id = idSchema.safeParse({ id: formData.get('id') });
  if (!id.success) return { problems: ['Choose a rule.'] };
  const saved = await patchRule(getDb(), await actionCaller(user), id.data.id, { enabled: formData.get('enabled') === 'true' });
  if (saved === null) return { problems: ['No rule of yours has that id.'] };
  if (!saved.ok) return { problems: saved.error };
  revalidatePath('/alerts');
  return { ok: formData.get('enabled') === 'true' ? 'Rule switched on.' : 'Rule switched off.' };
}

export async function deleteRuleAction(_previous: RuleFormState, formData: FormData): Promise<RuleFormState> {
  const user = await requireCustomer();
  const id = idSchema.safeParse({ id: formData.get('id') });
  if (!id.success || !(await removeRule(getDb(), await actionCaller(user), id.data.id))) return { problems: ['No rule of yours has that id.'] };
  revalidatePath('/alerts');
  return { ok: 'Rule deleted.' };
}
