import { createHash, randomUUID } from 'node:crypto';
import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/connection';
import { claimMailCheckSchedule } from '../db/queries/mail-checks';
import { defaultRule, type Rule } from '../alerts/rule';
import { accounts, alertContacts, alertDeliveries, alertRules, mailDomains, mxChecks } from '../db/schema';
import type { MxCheckResult } from '../guides/mx-backup';
import { claimedMailCheckRound } from './mail-checks';

// The scheduled mail-domain checks against the real database: one of two notifiers claims a round, every
// domain's result is stored, and a domain that was OK and now has problems (or the other way round) is
// news: the account's rules that ask for mail checks tell their contacts, once per (rule, contact).
// The DNS lookup is a stand-in (lib/db/queries/mail-domains.int.test.ts checks the real one with dnsmasq);
// rounds are limited to this file's account so other tests' domains are not touched.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 4 });
const run = randomUUID().slice(0, 8);
let account = 0;
let okDomain = 0;
let breakingDomain = 0;
let mailRule = 0;
let stateRule = 0;

const result = (domain: string, ok: boolean): MxCheckResult => ({
  domain,
  checkedAt: new Date().toISOString(),
  records: [],
  primaryAddresses: {},
  checks: [{ id: 'backup-listed', ok, message: ok ? 'listed' : 'not listed', fix: ok ? null : 'Add the MX record.' }],
  ok,
});

beforeAll(async () => {
  const [a] = await db.insert(accounts).values({ slug: `mail-sched-${run}`, name: `Mail schedule ${run}` }).$returningId();
  account = a!.id;
  const [d1] = await db.insert(mailDomains).values({ accountId: account, domain: `ok-${run}.test` }).$returningId();
  const [d2] = await db.insert(mailDomains).values({ accountId: account, domain: `breaking-${run}.test` }).$returningId();
  okDomain = d1!.id;
  breakingDomain = d2!.id;
  const address = `mail-sched-${run}@example.com`;
  const [contact] = await db
    .insert(alertContacts)
    .values({ accountId: account, kind: 'email', label: address, target: address, targetKey: createHash('sha256').update(address).digest('hex'), verifiedAt: new Date() })
    .$returningId();
  const now = new Date();
  const rule = (name: string, over: Partial<Rule>): Rule => ({ ...defaultRule(contact!.id), name, ...over });
  const [r1] = await db.insert(alertRules).values({ accountId: account, name: 'mail', enabled: true, definition: rule('mail', { triggers: [], mailChecks: true }), createdAt: now, updatedAt: now }).$returningId();
  // A rule about VM states only hears nothing of mail domains.
  const [r2] = await db.insert(alertRules).values({ accountId: account, name: 'states', enabled: true, definition: rule('states', {}), createdAt: now, updatedAt: now }).$returningId();
  mailRule = r1!.id;
  stateRule = r2!.id;
  // The customer pressed "Check now" once: the second domain was OK then.
  await db.insert(mxChecks).values({ mailDomainId: breakingDomain, checkedAt: new Date(Date.now() - 60_000), ok: true, result: result(`breaking-${run}.test`, true) });
});

afterAll(async () => {
  if (account > 0) {
    await db.delete(alertDeliveries).where(eq(alertDeliveries.accountId, account));
    await db.delete(alertRules).where(eq(alertRules.accountId, account));
    await db.delete(alertContacts).where(eq(alertContacts.accountId, account));
    await db.delete(mailDomains).where(eq(mailDomains.accountId, account));
    await db.delete(accounts).where(eq(accounts.id, account));
  }
  await pool.end();
});

describe('scheduled mail-domain checks', () => {
  it('lets one of several callers claim each interval', async () => {
    const interval = 60_000;
    const now = new Date(Date.now() + 365 * 86_400_000 + 1_000); // later than any claim another run made
    const claims = await Promise.all(['n1', 'n2', 'n3', 'n4'].map((owner) => claimMailCheckSchedule(db, owner, interval, now)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimMailCheckSchedule(db, 'n1', interval, new Date(now.getTime() + interval / 2))).toBe(false);
    expect(await claimMailCheckSchedule(db, 'n2', interval, new Date(now.getTime() + interval + 1))).toBe(true);
  });

  it('runs a round once across two notifiers and stores every result', async () => {
    const looked: string[] = [];
    const check = async (domain: string) => {
      looked.push(domain);
      return result(domain, domain.startsWith('ok-'));
    };
    const interval = 60_000;
    const now = new Date(Date.now() + 366 * 86_400_000);
    const rounds = await Promise.all(
      ['notifier-a', 'notifier-b'].map((owner) =>
        claimedMailCheckRound(db, { owner, intervalMs: interval, now, check, accountIds: [account], portalUrl: 'https://portal.example/' }),
      ),
    );
    const ran = rounds.filter((r) => r !== null);
    expect(ran).toHaveLength(1);
    expect(looked.sort()).toEqual([`breaking-${run}.test`, `ok-${run}.test`]);
    expect(ran[0]).toMatchObject({
      checked: 2,
      stored: 2,
      failed: 0,
      changes: [{ domainId: breakingDomain, accountId: account, domain: `breaking-${run}.test`, change: 'failing', problems: [{ message: 'not listed', fix: 'Add the MX record.' }] }],
      messages: 1,
    });
    const sent = await db.select().from(alertDeliveries).where(eq(alertDeliveries.accountId, account));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ ruleId: mailRule, eventId: 0, vmId: 0, state: 'NOTICE', reason: 'notice', status: 'pending', service: `mail: breaking-${run}.test` });
    const body = JSON.parse(sent[0]!.body!) as { subject: string; text: string; url: string };
    expect(body.subject).toBe(`breaking-${run}.test: the mail set-up has a problem`);
    expect(body.text).toContain('- not listed What to do: Add the MX record.');
    expect(body.url).toBe('https://portal.example/mail');
    expect(sent.some((d) => d.ruleId === stateRule)).toBe(false);

    const stored = await db
      .select({ mailDomainId: mxChecks.mailDomainId, ok: mxChecks.ok, result: mxChecks.result })
      .from(mxChecks)
      .where(inArray(mxChecks.mailDomainId, [okDomain, breakingDomain]))
      .orderBy(asc(mxChecks.id));
    expect(stored.filter((r) => r.mailDomainId === okDomain).map((r) => r.ok)).toEqual([true]);
    expect(stored.filter((r) => r.mailDomainId === breakingDomain).map((r) => r.ok)).toEqual([true, false]);
    const latest = stored.at(-1)!.result as MxCheckResult;
    expect(latest.checks[0]).toMatchObject({ id: 'backup-listed', ok: false });

    // The next round (a later interval): still failing is no longer news; a lookup that throws is skipped.
    const next = await claimedMailCheckRound(db, {
      owner: 'notifier-b',
      intervalMs: interval,
      now: new Date(now.getTime() + interval + 1),
      accountIds: [account],
      portalUrl: 'https://portal.example',
      check: async (domain) => {
        if (domain.startsWith('ok-')) throw new Error('DNS timed out');
        return result(domain, false);
      },
    });
    expect(next).toMatchObject({ checked: 1, stored: 1, failed: 1, changes: [], messages: 0 });
    expect(next!.lines.join('\n')).toContain('the check could not run: DNS timed out');

    // Fixed: one more message, saying so.
    const fixed = await claimedMailCheckRound(db, {
      owner: 'notifier-a',
      intervalMs: interval,
      now: new Date(now.getTime() + 2 * interval + 2),
      accountIds: [account],
      portalUrl: 'https://portal.example',
      check: async (domain) => result(domain, true),
    });
    expect(fixed).toMatchObject({ checked: 2, changes: [{ domainId: breakingDomain, change: 'recovered', problems: [] }], messages: 1 });
    const all = await db.select().from(alertDeliveries).where(eq(alertDeliveries.accountId, account)).orderBy(asc(alertDeliveries.id));
    expect(all.map((d) => (JSON.parse(d.body!) as { subject: string }).subject)).toEqual([
      `breaking-${run}.test: the mail set-up has a problem`,
      `breaking-${run}.test: the mail set-up is fine again`,
    ]);
  });
});
