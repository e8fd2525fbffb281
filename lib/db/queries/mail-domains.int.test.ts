import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { guideSettingsFromEnv, type GuideSettings } from '../../guides/settings';
import { mxCheckerFor } from '../../net/mx-check';
import { type TestDns, startTestDns } from '../../testing/dnsmasq';
import { createDb } from '../connection';
import { accounts, mailDomains, mxChecks } from '../schema';
import { addMailDomain, listAllMailDomains, listMailDomains, removeMailDomain, runMxCheck } from './mail-domains';

// The customer's mail-domain flow against the real database and a real dnsmasq (as in lib/net/mx-check.int.test.ts,
// on a port of its own so both files can run on one machine).
const PORT = Number(process.env.DNS_TEST_PORT_MAIL ?? 15373);
const SERVER = `127.0.0.1:${PORT}`;

const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 2 });
const run = randomUUID().slice(0, 8);
const settings: GuideSettings = {
  ...guideSettingsFromEnv({}),
  mxHosts: [
    { host: 'mx1.porthole.test', preference: 20 },
    { host: 'mx2.porthole.test', preference: 30 },
  ],
  mxPermitNetworks: ['192.0.2.0/24'],
  dnsServers: [SERVER],
};

let dns: TestDns | undefined;
let mine = 0;
let theirs = 0;

beforeAll(async () => {
  dns = await startTestDns({
    port: PORT,
    portVariable: 'DNS_TEST_PORT_MAIL',
    probeName: 'good.test',
    records: [
      'mx-host=good.test,mail.good.test,10',
      'mx-host=good.test,mx1.porthole.test,20',
      'mx-host=good.test,mx2.porthole.test,30',
      'host-record=mail.good.test,192.0.2.10',
      'mx-host=half.test,mail.half.test,10',
      'mx-host=half.test,mx1.porthole.test,20',
      'host-record=mail.half.test,192.0.2.11',
    ],
  });

  const [a] = await db.insert(accounts).values({ slug: `mail-a-${run}`, name: `Mail A ${run}` }).$returningId();
  const [b] = await db.insert(accounts).values({ slug: `mail-b-${run}`, name: `Mail B ${run}` }).$returningId();
  mine = a!.id;
  theirs = b!.id;
});

afterAll(async () => {
  const ids = [mine, theirs].filter((id) => id > 0);
  if (ids.length > 0) {
    await db.delete(mailDomains).where(inArray(mailDomains.accountId, ids));
    await db.delete(accounts).where(inArray(accounts.id, ids));
  }
  await pool.end();
  await dns?.stop();
});

describe('mail domains', () => {
  it('adds a normalised domain and refuses a duplicate or a bad one, changing nothing', async () => {
    const added = await addMailDomain(db, mine, '  Good.TEST. ');
    expect(added).toMatchObject({ ok: true, value: { domain: 'good.test' } });
    expect(await addMailDomain(db, mine, 'good.test')).toEqual({ ok: false, error: 'good.test is already in your list.' });
    expect(await addMailDomain(db, mine, 'https://good.test')).toEqual({
      ok: false,
      error: '"https://good.test" is not a valid domain name: enter just the domain name (like example.com), not a URL',
    });
    expect((await listMailDomains(db, mine)).map((d) => d.domain)).toEqual(['good.test']);
    // Another account may back up the same domain name on its own.
    expect(await addMailDomain(db, theirs, 'good.test')).toMatchObject({ ok: true });
  });

  it('checks a domain live, stores the result with its time, and shows the latest', async () => {
    const [good] = await listMailDomains(db, mine);
    const before = Date.now();
    const checked = await runMxCheck(db, mine, good!.id, mxCheckerFor(settings, { timeoutMs: 2000, tries: 1 }));
    expect(checked).toMatchObject({ ok: true, value: { domain: 'good.test', result: { ok: true } } });
    const [view] = await listMailDomains(db, mine);
    expect(view?.latestCheck?.ok).toBe(true);
    expect(view?.latestCheck?.checkedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(view?.latestCheck?.checks.map((c) => c.id)).toEqual(['mx-records', 'backup-listed', 'backup-preference', 'primary-in-network']);

    const half = await addMailDomain(db, mine, 'half.test');
    if (!half.ok) throw new Error(half.error);
    await runMxCheck(db, mine, half.value.id, mxCheckerFor(settings, { timeoutMs: 2000, tries: 1 }));
    const stored = (await listMailDomains(db, mine)).find((d) => d.domain === 'half.test')?.latestCheck;
    expect(stored?.ok).toBe(false);
    const failed = stored?.checks.find((c) => !c.ok);
    expect(failed?.message).toBe('mx2.porthole.test is missing from the MX records of half.test.');
    expect(failed?.fix).toContain('half.test.  3600  IN  MX  30 mx2.porthole.test.');
  });

  it('does not check or remove another account’s domain', async () => {
    const [good] = await listMailDomains(db, mine);
    const check = vi.fn(mxCheckerFor(settings));
    expect(await runMxCheck(db, theirs, good!.id, check)).toEqual({ ok: false, error: 'That mail domain is not in your list.' });
    expect(check).not.toHaveBeenCalled();
    expect(await removeMailDomain(db, theirs, good!.id)).toEqual({ ok: false, error: 'That mail domain is not in your list.' });
    expect((await listMailDomains(db, mine)).length).toBe(2);
  });

  it('lists every account’s domains for staff', async () => {
    const all = (await listAllMailDomains(db)).filter((d) => d.accountName.endsWith(run));
    expect(all.map((d) => [d.domain, d.accountName])).toEqual([
      ['good.test', `Mail A ${run}`],
      ['good.test', `Mail B ${run}`],
      ['half.test', `Mail A ${run}`],
    ]);
  });

  it('removes a domain with its checks', async () => {
    const [good] = await listMailDomains(db, mine);
    expect(await removeMailDomain(db, mine, good!.id)).toEqual({ ok: true, value: { domain: 'good.test' } });
    expect(await db.select().from(mxChecks).where(eq(mxChecks.mailDomainId, good!.id))).toEqual([]);
    expect((await listMailDomains(db, mine)).map((d) => d.domain)).toEqual(['half.test']);
  });
});
