import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/connection';
import { ownedContact } from '../db/queries/alerts';
import { accounts } from '../db/schema';
import { waitForSms } from '../testing/fake-smsc';
import { waitForMail } from '../testing/maildir';
import { createChannels } from './channels';
import { CODES_PER_HOUR, CODE_TRIES, TESTS_PER_HOUR, sendCode, sendTest, startContact, verifyCode } from './contacts';
import type { Caller } from './rules';

// Contacts against the real SMTP server and Kannel: a code reaches the address, only the right code
// verifies, codes and tests are rate-limited per account, another account's contact is out of reach.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 4 });
const channels = createChannels({ ...process.env, SMTP_URL: `smtp://127.0.0.1:${process.env.SMTP_PORT || 24025}` });
const run = randomUUID().slice(0, 8);
afterAll(async () => {
  await Promise.all(Object.values(channels).map((c) => c?.close()));
  await pool.end();
});

async function account(name: string): Promise<Caller> {
  const slug = `c-${run}-${name}`;
  await db.insert(accounts).values({ slug, name: slug });
  const [row] = await db.select().from(accounts).where(eq(accounts.slug, slug));
  return { id: null, username: `${name}-${run}`, accountId: row!.id, ip: '192.0.2.1' };
}

const codeIn = (text: string) => /code is (\d{6})/.exec(text)?.[1];

describe('contacts', () => {
  it('email: the code arrives by SMTP; a wrong code costs a try, the right one verifies; then a test can be sent', async () => {
    const caller = await account('mail');
    const address = `verify-${run}@example.com`;
    const started = await startContact(db, caller, { kind: 'email', target: `  ${address} ` }, channels, []);
    expect(started.ok).toBe(true);
    const id = started.ok ? started.value.id : 0;
    const [mail] = await waitForMail((m) => m.headers.to === address);
    const code = codeIn(mail!.body)!;
    expect(code).toMatch(/^\d{6}$/);

    expect((await sendTest(db, caller, id, channels)).ok).toBe(false); // not verified yet: no test
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await verifyCode(db, caller, id, wrong)).toEqual({ ok: false, error: `That code is not right. ${CODE_TRIES - 1} tries left.` });
    const other = await account('other');
    expect((await verifyCode(db, other, id, code)).ok).toBe(false); // another account's contact
    expect((await ownedContact(db, caller.accountId, id))!.verified).toBe(false);
    expect(await verifyCode(db, caller, id, ` ${code} `)).toMatchObject({ ok: true });
    expect((await ownedContact(db, caller.accountId, id))!.verified).toBe(true);

    const tested = await sendTest(db, caller, id, channels);
    expect(tested).toMatchObject({ ok: true, value: expect.stringContaining('250') });
    await waitForMail((m) => m.headers.to === address && m.headers.subject === 'Porthole test alert');
    expect((await sendTest(db, other, id, channels)).ok).toBe(false);
  });

  it('a code tried too often stops working; codes per hour are capped per account', async () => {
    const caller = await account('cap');
    const started = await startContact(db, caller, { kind: 'email', target: `cap-${run}@example.com` }, channels, []);
    const id = started.ok ? started.value.id : 0;
    const [mail] = await waitForMail((m) => m.headers.to === `cap-${run}@example.com`);
    const code = codeIn(mail!.body)!;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < CODE_TRIES; i++) await verifyCode(db, caller, id, wrong);
    expect(await verifyCode(db, caller, id, code)).toEqual({ ok: false, error: 'That code has expired or was tried too often. Ask for a new one.' });
    for (let i = 1; i < CODES_PER_HOUR; i++) expect((await sendCode(db, caller, id, channels)).ok).toBe(true);
    expect(await sendCode(db, caller, id, channels)).toEqual({ ok: false, error: `At most ${CODES_PER_HOUR} codes an hour can be sent. Please try again later.` });
  });

  it('phone: the number is normalised and the code reaches Kannel; tests are capped per hour', async () => {
    const caller = await account('sms');
    const number = `+4915${String(Date.now()).slice(-8)}`;
    const started = await startContact(db, caller, { kind: 'sms', target: `${number.slice(0, 3)} (${number.slice(3, 6)}) ${number.slice(6, 9)}-${number.slice(9)}` }, channels, []);
    expect(started).toMatchObject({ ok: true });
    const id = started.ok ? started.value.id : 0;
    const sms = await waitForSms((s) => s.number.endsWith(number.slice(1)) && s.text.includes('verification code'), 15_000);
    expect(await verifyCode(db, caller, id, codeIn(sms.text)!)).toMatchObject({ ok: true });
    for (let i = 0; i < TESTS_PER_HOUR; i++) expect((await sendTest(db, caller, id, channels)).ok, `test ${i}`).toBe(true);
    expect(await sendTest(db, caller, id, channels)).toEqual({ ok: false, error: `At most ${TESTS_PER_HOUR} tests an hour can be sent. Please try again later.` });
  });

  it('refuses what is not an address, and webhooks into the host network', async () => {
    const caller = await account('bad');
    for (const target of ['not-an-address', 'a@b', 'ops@example.com\r\nBcc: x@evil.example', `${'x'.repeat(250)}@example.com`]) {
      expect((await startContact(db, caller, { kind: 'email', target }, channels, [])).ok, target).toBe(false);
    }
    for (const target of ['12', 'call me', '+1 (555) 0100 ext 4', '0049 151 12345678']) expect((await startContact(db, caller, { kind: 'sms', target }, channels, [])).ok, target).toBe(false);
    for (const target of ['http://127.0.0.1:9/hook', 'http://localhost/hook', 'http://10.0.0.1/', 'http://[::1]/', 'http://169.254.169.254/latest', 'file:///etc/passwd', 'http://0x7f000001/']) {
      expect((await startContact(db, caller, { kind: 'webhook', target }, channels, [])).ok, target).toBe(false);
    }
  });
});
