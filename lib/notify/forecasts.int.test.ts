import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Rule } from '../alerts/rule';
import { defaultRule } from '../alerts/rule';
import { createDb } from '../db/connection';
import { accounts, alertContacts, alertDeliveries, alertRules, maintenanceWindows, perfSamples, plans, vms } from '../db/schema';
import { waitForMail } from '../testing/maildir';
import { createEmailChannel } from './channels/email';
import { checkForecasts } from './forecasts';
import type { OutgoingMessage } from './channels/types';

// Forecast triggers against the real database and SMTP server: a filling disk and a transfer quota on
// course to run out become one message each per (rule, contact), however often the check runs.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 6 });
const run = randomUUID().slice(0, 8);
afterAll(() => pool.end());

const HOUR = 3_600_000;
// Mid-month of the month before, so that "now" is always in the past and a month's projection has data.
const today = new Date();
const NOW = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 15, 12));
const GB = 1e9;

async function fixture(name: string, forecast: Rule['forecast'], { maintenance = false } = {}) {
  const slug = `f-${run}-${name}`;
  await db.insert(accounts).values({ slug, name: slug });
  const [account] = await db.select().from(accounts).where(eq(accounts.slug, slug));
  const [small] = await db.select().from(plans).where(eq(plans.slug, 'small'));
  const host = `${slug}.example`;
  await db.insert(vms).values({ accountId: account!.id, nagiosHostName: host, hostname: host, address: '10.98.0.1', ubuntuRelease: '24.04', planId: small!.id });
  const [vm] = await db.select().from(vms).where(eq(vms.nagiosHostName, host));
  const address = `forecast-${run}-${name}@example.com`;
  const [contact] = await db
    .insert(alertContacts)
    .values({ accountId: account!.id, kind: 'email', label: address, target: address, targetKey: createHash('sha256').update(address).digest('hex'), verifiedAt: new Date() })
    .$returningId();
  const rule: Rule = { ...defaultRule(contact!.id), name: `forecasts ${name}`, triggers: [], forecast };
  const [r] = await db.insert(alertRules).values({ accountId: account!.id, name: rule.name, enabled: true, definition: rule, createdAt: NOW, updatedAt: NOW }).$returningId();
  // Ten days of hourly measurements up to NOW: the disk grows from 18 to 22 GiB of 25; 60 GB a day of traffic (1,000 GB quota).
  const samples: Array<typeof perfSamples.$inferInsert> = [];
  for (let i = 240; i >= 0; i--) {
    const at = new Date(NOW.getTime() - i * HOUR);
    const key = (label: string) => createHash('sha256').update(`${run}${name}${label}${i}`).digest('hex');
    const usedMb = Math.round((18 + (4 * (240 - i)) / 240) * 1024);
    samples.push({ eventKey: key('disk'), vmId: vm!.id, hostname: host, service: 'Disk /', label: '/', value: usedMb, unit: 'MB', max: 25_600, sampledAt: at });
    const counter = Math.round(((240 - i) * 60 * GB) / 24);
    samples.push({ eventKey: key('traffic'), vmId: vm!.id, hostname: host, service: 'Traffic eth0', label: 'in', value: counter, unit: 'c', sampledAt: at });
  }
  for (let i = 0; i < samples.length; i += 200) await db.insert(perfSamples).values(samples.slice(i, i + 200));
  if (maintenance) await db.insert(maintenanceWindows).values({ accountId: account!.id, vmId: vm!.id, startsAt: new Date(NOW.getTime() - HOUR), endsAt: new Date(NOW.getTime() + HOUR) });
  return { ruleId: r!.id, address, vmId: vm!.id };
}

const mine = (ruleId: number) => db.select().from(alertDeliveries).where(eq(alertDeliveries.ruleId, ruleId));

describe('forecast triggers', () => {
  it('a disk filling within the rule’s days and a quota running out: one message each, however often checked, delivered by SMTP', async () => {
    const f = await fixture('both', { diskFullDays: 30, quotaOut: true });
    const tight = await fixture('tight', { diskFullDays: 2, quotaOut: false });
    for (let i = 0; i < 3; i++) await checkForecasts(db, 'http://portal.test', NOW);
    const rows = await mine(f.ruleId);
    expect(rows.map((d) => [d.service, d.state]).sort()).toEqual([
      ['forecast: Disk /', 'FORECAST'],
      ['forecast: transfer', 'FORECAST'],
    ]);
    // The disk fills in about 3 weeks at 0.4 GiB a day: not within 2 days, and this rule asked for nothing else.
    expect(await mine(tight.ruleId)).toEqual([]);

    // Sent as the notifier sends them, without running a notifier here: one would also send other test
    // files' due messages (integration files run side by side on one database).
    const email = createEmailChannel({ url: `smtp://127.0.0.1:${process.env.SMTP_PORT || 24025}`, from: 'alerts@porthole.test' });
    for (const d of rows) await email.send({ kind: 'email', address: f.address }, JSON.parse(d.body!) as OutgoingMessage);
    await email.close();
    const mail = await waitForMail((m) => m.headers.to === f.address, { count: 2 });
    const disk = mail.find((m) => /disk/.test(m.headers.subject ?? ''))!;
    expect(disk.headers.subject).toMatch(/the disk is \d+ % full and filling/);
    const body = disk.body.replace(/=\r?\n/g, '').replace(/=3D/g, '='); // quoted-printable, as sent
    expect(body).toMatch(/At the current rate this disk is full in \d+/);
    expect(body).toContain('/plan/confirm?planId=');
    expect(mail.some((m) => /transfer quota will run out/.test(m.headers.subject ?? ''))).toBe(true);
  });

  it('a VM in maintenance: logged as not sent', async () => {
    const f = await fixture('maint', { diskFullDays: 30, quotaOut: false }, { maintenance: true });
    await checkForecasts(db, 'http://portal.test', NOW);
    expect((await mine(f.ruleId)).map((d) => [d.status, d.reason])).toEqual([['suppressed', 'maintenance']]);
  });
});
