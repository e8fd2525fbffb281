'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { actionCaller } from '@/lib/auth/action-caller';
import { requireCustomer } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { allowedNetworks, sharedChannels } from '@/lib/notify/channels';
import { removeContact, savePushSubscription, sendCode, sendTest, startContact, verifyCode } from '@/lib/notify/contacts';

export type ContactFormState = { ok?: string; error?: string; secret?: string };

const addSchema = z.object({
  kind: z.enum(['email', 'sms', 'webhook'], { message: 'Choose email, text message or webhook.' }),
  target: z.string().trim().min(1, 'Enter where the alerts should go.').max(2048, 'That is too long.'),
  label: z.string().trim().max(128, 'The name is too long (at most 128 characters).').optional(),
  preset: z.enum(['generic', 'slack', 'ntfy']).optional(),
});
const idSchema = z.object({ id: z.coerce.number().int().positive() });

export async function addContactAction(_previous: ContactFormState, formData: FormData): Promise<ContactFormState> {
  const user = await requireCustomer();
  const parsed = addSchema.safeParse({
    kind: formData.get('kind'),
    target: formData.get('target') ?? '',
    label: formData.get('label') || undefined,
    preset: formData.get('preset') || undefined,
  });
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? 'Check the form.' };
  const result = await startContact(getDb(), await actionCaller(user), parsed.data, sharedChannels(), allowedNetworks());
  revalidatePath('/alerts/contacts');
  if (!result.ok) return { error: result.error };
  return { ok: result.value.message, secret: result.value.secret };
}

export async function verifyContactAction(_previous: ContactFormState, formData: FormData): Promise<ContactFormState> {
  const user = await requireCustomer();
  const id = idSchema.safeParse({ id: formData.get('id') });
  const code = String(formData.get('code') ?? '');
  if (!id.success || !/^\s*\d{6}\s*$/.test(code)) return { error: 'Enter the six-digit code.' };
  const result = await verifyCode(getDb(), await actionCaller(user), id.data.id, code);
  revalidatePath('/alerts/contacts');
  return result.ok ? { ok: result.value } : { error: result.error };
}

export async function resendCodeAction(_previous: ContactFormState, formData: FormData): Promise<ContactFormState> {
  const user = await requireCustomer();
  const id = idSchema.safeParse({ id: formData.get('id') });
  if (!id.success) return { error: 'Choose a contact.' };
  const result = await sendCode(getDb(), await actionCaller(user), id.data.id, sharedChannels());
  return result.ok ? { ok: result.value } : { error: result.error };
}

export async function sendTestAction(_previous: ContactFormState, formData: FormData): Promise<ContactFormState> {
  const user = await requireCustomer();
  const id = idSchema.safeParse({ id: formData.get('id') });
  if (!id.success) return { error: 'Choose a contact.' };
  const result = await sendTest(getDb(), await actionCaller(user), id.data.id, sharedChannels());
  revalidatePath('/alerts/contacts');
  return result.ok ? { ok: result.value } : { error: result.error };
}

export async function removeContactAction(_previous: ContactFormState, formData: FormData): Promise<ContactFormState> {
  const user = await requireCustomer();
  const id = idSchema.safeParse({ id: formData.get('id') });
  if (!id.success) return { error: 'Choose a contact.' };
  const removed = await removeContact(getDb(), await actionCaller(user), id.data.id);
  revalidatePath('/alerts/contacts');
  return removed ? { ok: 'Contact removed.' } : { error: 'No contact of yours has that id (the alarm cannot be removed).' };
}

/** Called by the push button with the browser's PushSubscription.toJSON(). */
export async function savePushAction(subscription: unknown, label: string): Promise<ContactFormState> {
  const user = await requireCustomer();
  const result = await savePushSubscription(getDb(), await actionCaller(user), subscription, allowedNetworks(), label || 'This browser');
  revalidatePath('/alerts/contacts');
  return result.ok ? { ok: 'This browser will now get push notifications.' } : { error: result.error };
}
