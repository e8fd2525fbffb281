import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Database } from '../db/connection';
import { recordAudit } from '../db/queries/audit';
import { addContact, deleteContact, ownedContact, setVerification } from '../db/queries/alerts';
import { countAudit } from '../db/queries/audit';
import { checkTargetUrl } from '../net/safe-target';
import { fail, ok, type Result } from '../result';
import { normalisePhoneNumber } from './channels/sms';
import type { Channel, Channels } from './channels/types';
import { contactTarget } from './notifier';
import type { Caller } from './rules';

// Adding and verifying a customer's contacts. Email and phone get a six-digit code (15 minutes, five
// tries, at most CODES_PER_HOUR codes per account an hour); a webhook is verified by a signed test
// delivery its receiver accepts; a push subscription by the browser that made it. Nothing unverified
// ever receives an alert (the notifier records "not verified").

export const CODE_MINUTES = 15;
export const CODE_TRIES = 5;
export const CODES_PER_HOUR = 5;
const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

const codeHash = (contactId: number, code: string) => createHash('sha256').update(`${contactId}:${code}`).digest('hex');

function audit(db: Database, caller: Caller, action: string, contactId: number, details?: Record<string, unknown>) {
  return recordAudit(db, {
    action,
    actor: { id: caller.id, username: caller.username },
    accountId: caller.accountId,
    target: { type: 'alert_contact', id: contactId },
    ip: caller.ip ?? null,
    details,
  });
}

export type NewContactInput =
  | { kind: 'email'; target: string; label?: string }
  | { kind: 'sms'; target: string; label?: string }
  | { kind: 'webhook'; target: string; label?: string; preset?: 'generic' | 'slack' | 'ntfy' };

/** Checks and stores a new contact, then starts its verification. Returns the id and, for a webhook, its signing secret. */
export async function startContact(
  db: Database,
  caller: Caller,
  input: NewContactInput,
  channels: Channels,
  allowNetworks: string[],
): Promise<Result<{ id: number; secret?: string; message: string }>> {
  const raw = input.target.trim();
  if (input.kind === 'email') {
    if (raw.length > 254 || !EMAIL.test(raw)) return fail('That is not an email address (like ops@example.com).');
    const id = await addContact(db, caller.accountId, { kind: 'email', label: input.label?.trim() || raw, target: raw });
    await audit(db, caller, 'alerts.contact.add', id, { kind: 'email' });
    const sent = await sendCode(db, caller, id, channels);
    return sent.ok ? ok({ id, message: `We sent a code to ${raw}. Enter it below to start receiving alerts there.` }) : fail(sent.error);
  }
  if (input.kind === 'sms') {
    const number = normalisePhoneNumber(raw);
    if (!number.ok) return number;
    const id = await addContact(db, caller.accountId, { kind: 'sms', label: input.label?.trim() || number.value, target: number.value });
    await audit(db, caller, 'alerts.contact.add', id, { kind: 'sms' });
    const sent = await sendCode(db, caller, id, channels);
    return sent.ok ? ok({ id, message: `We sent a code by text message to ${number.value}. Enter it below.` }) : fail(sent.error);
  }
  const checked = await checkTargetUrl(raw, { allowNetworks });
  if (!checked.ok) return checked;
  const secret = randomBytes(24).toString('base64url');
  const preset = input.preset ?? 'generic';
  const id = await addContact(db, caller.accountId, { kind: 'webhook', label: input.label?.trim() || checked.value.url.host, target: checked.value.url.toString(), options: { secret, preset } });
  await audit(db, caller, 'alerts.contact.add', id, { kind: 'webhook', preset });
  const tested = await testWebhook(db, caller, id, channels);
  return ok({ id, secret, message: tested.ok ? tested.value : `Saved, but not verified yet: ${tested.error}` });
}

/** A new code for an email or phone contact (the old one stops working). */
export async function sendCode(db: Database, caller: Caller, contactId: number, channels: Channels): Promise<Result<string>> {
  const contact = await ownedContact(db, caller.accountId, contactId);
  if (!contact || (contact.kind !== 'email' && contact.kind !== 'sms')) return fail('No email or phone contact of yours has that id.');
  if (contact.verified) return ok('That contact is already verified.');
  if ((await countAudit(db, caller.accountId, 'alerts.contact.code_sent', new Date(Date.now() - 3_600_000))) >= CODES_PER_HOUR) return fail(`At most ${CODES_PER_HOUR} codes an hour can be sent. Please try again later.`);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const text = `Your Porthole verification code is ${code}. It is valid for ${CODE_MINUTES} minutes.`;
  const message = { idempotencyKey: `porthole-verify-${contactId}-${Date.now()}`, subject: 'Your Porthole verification code', text, short: text, data: {}, urgent: false };
  const channel = contact.kind === 'email' ? channels.email : channels.sms;
  if (!channel) return fail(`Sending ${contact.kind === 'email' ? 'email' : 'text messages'} is not set up on this portal. Please tell support.`);
  const sent = contact.kind === 'email' ? await channels.email!.send({ kind: 'email', address: contact.target }, message) : await channels.sms!.send({ kind: 'sms', number: contact.target }, message);
  await audit(db, caller, 'alerts.contact.code_sent', contactId, { ok: sent.ok });
  if (!sent.ok) return fail(`The code could not be sent: ${sent.error.error}`);
  await setVerification(db, caller.accountId, contactId, { codeHash: codeHash(contactId, code), expiresAt: new Date(Date.now() + CODE_MINUTES * 60_000), attempts: CODE_TRIES });
  return ok('Code sent.');
}

export async function verifyCode(db: Database, caller: Caller, contactId: number, code: string): Promise<Result<string>> {
  const contact = await ownedContact(db, caller.accountId, contactId);
  if (!contact) return fail('No contact of yours has that id.');
  if (contact.verified) return ok('That contact is already verified.');
  if (!contact.verifyCodeHash || !contact.verifyExpiresAt || contact.verifyExpiresAt.getTime() < Date.now() || contact.verifyAttempts <= 0) {
    return fail('That code has expired or was tried too often. Ask for a new one.');
  }
  const given = Buffer.from(codeHash(contactId, code.trim()), 'hex');
  if (!timingSafeEqual(given, Buffer.from(contact.verifyCodeHash, 'hex'))) {
    await setVerification(db, caller.accountId, contactId, { attempts: contact.verifyAttempts - 1 });
    await audit(db, caller, 'alerts.contact.code_wrong', contactId);
    return fail(`That code is not right. ${contact.verifyAttempts - 1} tries left.`);
  }
  await setVerification(db, caller.accountId, contactId, { verifiedAt: new Date(), codeHash: null, expiresAt: null, attempts: 0 });
  await audit(db, caller, 'alerts.contact.verified', contactId);
  return ok(`${contact.label} is verified: it can now receive alerts.`);
}

/** A signed test delivery; the webhook counts as verified when its receiver accepts it. */
export async function testWebhook(db: Database, caller: Caller, contactId: number, channels: Channels): Promise<Result<string>> {
  const contact = await ownedContact(db, caller.accountId, contactId);
  if (!contact || contact.kind !== 'webhook') return fail('No webhook of yours has that id.');
  if (!channels.webhook) return fail('Webhooks are not set up on this portal. Please tell support.');
  const text = 'This is a test delivery from Porthole. Answer 2xx to confirm this webhook.';
  const sent = await channels.webhook.send(
    { kind: 'webhook', url: contact.target, secret: contact.options?.secret ?? '', preset: (contact.options?.preset as 'generic' | 'slack' | 'ntfy') ?? 'generic' },
    { idempotencyKey: `porthole-test-${contactId}-${Date.now()}`, subject: 'Porthole test delivery', text, short: text, data: { test: true }, urgent: false },
  );
  await audit(db, caller, 'alerts.contact.webhook_test', contactId, { ok: sent.ok });
  if (!sent.ok) return fail(`The test delivery failed: ${sent.error.error}`);
  if (!contact.verified) await setVerification(db, caller.accountId, contactId, { verifiedAt: new Date() });
  return ok(`The receiver accepted the test delivery (${sent.value.response}): the webhook is verified.`);
}

export const TESTS_PER_HOUR = 10;

/**
 * "Send a test" for any contact: a webhook's test also verifies it; an email address, phone or push
 * subscription gets a test only once verified (a test is never a way to message an unproven address),
 * at most TESTS_PER_HOUR an hour per account (text messages cost the host money).
 */
export async function sendTest(db: Database, caller: Caller, contactId: number, channels: Channels): Promise<Result<string>> {
  const contact = await ownedContact(db, caller.accountId, contactId);
  if (!contact) return fail('No contact of yours has that id.');
  if (contact.kind === 'webhook') return testWebhook(db, caller, contactId, channels);
  if (contact.kind === 'alarm') return fail('The alarm sounds in your open dashboards; it has no test message.');
  if (!contact.verified) return fail('Verify this contact first: enter the code we sent.');
  if ((await countAudit(db, caller.accountId, 'alerts.contact.test_sent', new Date(Date.now() - 3_600_000))) >= TESTS_PER_HOUR) {
    return fail(`At most ${TESTS_PER_HOUR} tests an hour can be sent. Please try again later.`);
  }
  // The kinds' channels differ in their target type; contactTarget builds the one this kind takes.
  const channel = channels[contact.kind] as Channel | undefined;
  if (!channel) return fail('This kind of alert is not set up on this portal. Please tell support.');
  const text = 'This is a test alert from Porthole. Your real alerts will arrive here in the same way.';
  const sent = await channel.send(contactTarget(contact), {
    idempotencyKey: `porthole-test-${contactId}-${Date.now()}`,
    subject: 'Porthole test alert',
    text,
    short: text,
    data: { test: true },
    urgent: false,
  });
  await audit(db, caller, 'alerts.contact.test_sent', contactId, { ok: sent.ok });
  return sent.ok ? ok(`Test sent to ${contact.label} (${sent.value.response}).`) : fail(`The test could not be sent: ${sent.error.error}`);
}

/** A browser's push subscription (PushSubscription.toJSON()), verified by having been made there. */
export async function savePushSubscription(db: Database, caller: Caller, input: unknown, allowNetworks: string[], label: string): Promise<Result<number>> {
  const sub = input as { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown } } | null;
  if (!sub || typeof sub.endpoint !== 'string' || typeof sub.keys?.p256dh !== 'string' || typeof sub.keys?.auth !== 'string' || sub.endpoint.length > 2048) {
    return fail('That is not a push subscription.');
  }
  if (!/^[A-Za-z0-9_-]{40,120}$/.test(sub.keys.p256dh) || !/^[A-Za-z0-9_-]{10,40}$/.test(sub.keys.auth)) return fail('That push subscription has malformed keys.');
  const checked = await checkTargetUrl(sub.endpoint, { allowNetworks });
  if (!checked.ok) return checked;
  const id = await addContact(db, caller.accountId, { kind: 'push', label: label.slice(0, 128), target: sub.endpoint, options: { p256dh: sub.keys.p256dh, auth: sub.keys.auth }, verified: true });
  await audit(db, caller, 'alerts.contact.add', id, { kind: 'push' });
  return ok(id);
}

export async function removeContact(db: Database, caller: Caller, contactId: number): Promise<boolean> {
  const removed = await deleteContact(db, caller.accountId, contactId);
  if (removed) await audit(db, caller, 'alerts.contact.remove', contactId);
  return removed;
}
