'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { recordAudit } from '@/lib/db/queries/audit';
import { requireCustomer } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { addMailDomain, removeMailDomain, runMxCheck } from '@/lib/db/queries/mail-domains';
import { loadGuideSettings } from '@/lib/db/queries/settings';
import { GuideInputError } from '@/lib/guides/net-schemas';
import { mxCheckerFor } from '@/lib/net/mx-check';

export type MailFormState = { ok?: string; error?: string };

const addSchema = z.object({ domain: z.string().max(300, 'That is too long for a domain name.') });
const idSchema = z.object({ id: z.coerce.number().int().positive() });

export async function addDomain(_previous: MailFormState, formData: FormData): Promise<MailFormState> {
  const user = await requireCustomer();
  const parsed = addSchema.safeParse({ domain: formData.get('domain') ?? '' });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? 'Enter a domain name.' };
  const db = getDb();
  const result = await addMailDomain(db, user.accountId, parsed.data.domain);
  if (!result.ok) return { error: result.error };
  await recordAudit(db, {
    action: 'mail_domain.added',
    actor: user,
    accountId: user.accountId,
    target: { type: 'mail_domain', id: result.value.id },
    details: { domain: result.value.domain },
  });
  revalidatePath('/mail');
  return { ok: `${result.value.domain} added. Publish the MX records below, then check it.` };
}

export async function removeDomain(_previous: MailFormState, formData: FormData): Promise<MailFormState> {
  const user = await requireCustomer();
  const parsed = idSchema.safeParse({ id: formData.get('id') });
  if (!parsed.success) return { error: 'Choose a mail domain.' };
  const db = getDb();
  const result = await removeMailDomain(db, user.accountId, parsed.data.id);
  if (!result.ok) return { error: result.error };
  await recordAudit(db, {
    action: 'mail_domain.removed',
    actor: user,
    accountId: user.accountId,
    target: { type: 'mail_domain', id: parsed.data.id },
    details: { domain: result.value.domain },
  });
  revalidatePath('/mail');
  return { ok: `${result.value.domain} removed.` };
}

export async function checkDomain(_previous: MailFormState, formData: FormData): Promise<MailFormState> {
  const user = await requireCustomer();
  const parsed = idSchema.safeParse({ id: formData.get('id') });
  if (!parsed.success) return { error: 'Choose a mail domain.' };
  const db = getDb();
  const { values } = await loadGuideSettings(db);
  let result;
  try {
    result = await runMxCheck(db, user.accountId, parsed.data.id, mxCheckerFor(values));
  } catch (err) {
    if (err instanceof GuideInputError) return { error: `The check could not run: ${err.message}. Please tell support.` };
    throw err;
  }
  if (!result.ok) return { error: result.error };
  await recordAudit(db, {
    action: 'mail_domain.checked',
    actor: user,
    accountId: user.accountId,
    target: { type: 'mail_domain', id: parsed.data.id },
    details: { domain: result.value.domain, ok: result.value.result.ok, failed: result.value.result.checks.filter((c) => !c.ok).map((c) => c.id) },
  });
  revalidatePath('/mail');
  return result.value.result.ok ? { ok: `${result.value.domain}: all checks passed.` } : { error: `${result.value.domain}: some checks failed; see the fixes below.` };
}
