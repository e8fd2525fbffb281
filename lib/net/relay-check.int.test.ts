import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/connection';
import { claimRelaySchedule, latestRelayChecks, openRelayHosts, relayCheckHistory, saveRelayChecks } from '../db/queries/mx-relay';
import { type MxBackupSettingsInput, postfixSettings } from '../guides/mx-backup';
import { type TestDns, startTestDns } from '../testing/dnsmasq';
import { type TestPostfix, startTestPostfix } from '../testing/postfix';
import { DEFAULT_RELAY_CONFIG, type RelayCheckConfig, checkRelay, resolverDns } from './relay-check';

// The relay check against a real Postfix (Debian's), configured with the main.cf Porthole generates,
// and against the same main.cf made into an open relay by a classic mistake (mynetworks for everyone).
// A real dnsmasq answers both Postfix (through its chroot's resolv.conf, port 53 on an address of its
// own) and the check. Nothing but loopback is contacted; nothing is ever sent (the check stops at RCPT).
const DNS_ADDRESS = process.env.RELAY_TEST_DNS_ADDRESS ?? '127.53.0.1';
const GOOD_PORT = Number(process.env.RELAY_TEST_SMTP_PORT ?? 24531);
const OPEN_PORT = GOOD_PORT + 2;

const HOST = 'mx1.porthole.test';
const settings: MxBackupSettingsInput = {
  mxHosts: [
    { host: HOST, preference: 20 },
    { host: 'mx2.porthole.test', preference: 30 },
  ],
  permitNetworks: ['192.0.2.0/24'],
};

const RECORDS = [
  // Postfix knows itself as an MX by address: our host is 127.0.0.1, where both instances listen.
  `host-record=${HOST},127.0.0.1`,
  'host-record=mx2.porthole.test,127.0.0.2',
  // Backed up as the seed describes: primary inside permit_mx_backup_networks.
  'mx-host=good.test,mail.good.test,10',
  `mx-host=good.test,${HOST},20`,
  'host-record=mail.good.test,192.0.2.10',
  // Lists our host, but the primary is hosted elsewhere.
  'mx-host=outside.test,mail.outside.test,10',
  `mx-host=outside.test,${HOST},20`,
  'host-record=mail.outside.test,198.51.100.7',
  // Does not list us at all.
  'mx-host=unlisted.test,mail.unlisted.test,10',
  'host-record=mail.unlisted.test,198.51.100.8',
];

const config: RelayCheckConfig = { ...DEFAULT_RELAY_CONFIG, unlistedDomain: 'unlisted.test', timeoutMs: 5000 };
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 2 });
let dns: TestDns | undefined;
let good: TestPostfix | undefined;
let open: TestPostfix | undefined;
const mainCf = postfixSettings(settings, []).hosts.find((h) => h.host === HOST)!.mainCf;

beforeAll(async () => {
  dns = await startTestDns({ port: 53, address: DNS_ADDRESS, portVariable: 'RELAY_TEST_DNS_ADDRESS', records: RECORDS, probeName: 'good.test' });
  // Each is kept as soon as it runs, so afterAll stops it even when the other fails to start.
  await Promise.all([
    startTestPostfix({ name: 'relay-good', port: GOOD_PORT, mainCf, nameserver: DNS_ADDRESS, portVariable: 'RELAY_TEST_SMTP_PORT' }).then((p) => (good = p)),
    startTestPostfix({
      name: 'relay-open',
      port: OPEN_PORT,
      mainCf,
      nameserver: DNS_ADDRESS,
      portVariable: 'RELAY_TEST_SMTP_PORT',
      // "Our own networks may relay", with the networks written far too wide.
      overrides: ['mynetworks = 0.0.0.0/0', 'smtpd_relay_restrictions = permit_mynetworks, reject', 'smtpd_recipient_restrictions = permit_mynetworks, reject'],
    }).then((p) => (open = p)),
  ]);
});

afterAll(async () => {
  await Promise.all([good?.stop(), open?.stop()]);
  await dns?.stop();
  await pool.end();
});

const input = (customerDomains: string[]) => ({ settings, customerDomains, dns: resolverDns({ servers: [dns!.server], timeoutMs: 2000, tries: 1 }) });

describe('the relay check against a real Postfix', () => {
  it('passes the main.cf Porthole generates: accepts the backed-up domain, refuses the others', async () => {
    const result = await checkRelay(HOST, { ...input(['outside.test', 'good.test', 'unlisted.test']), config: { ...config, port: GOOD_PORT } });
    expect(result.probes.map((p) => [p.kind, p.domain, p.outcome])).toEqual([
      ['accept', 'good.test', 'as-expected'],
      ['unlisted', 'unlisted.test', 'as-expected'],
      ['outside', 'outside.test', 'as-expected'],
    ]);
    expect(result).toMatchObject({ status: 'pass', ok: true, openRelay: false, address: '127.0.0.1', port: GOOD_PORT });
    const [accept, unlisted, outside] = result.probes;
    expect(accept!.rcpt).toMatchObject({ code: 250, enhanced: '2.1.5' });
    expect(unlisted!.rcpt?.code).toBe(554);
    expect(outside!.rcpt?.lines.join(' ')).toContain('Access denied');
    // Every line either side is kept, and the conversation ends with QUIT, never DATA.
    const lines = accept!.transcript.map((l) => `${l.from}: ${l.text}`);
    expect(lines[1]).toMatch(/^server: 220 mx1\.porthole\.test ESMTP Postfix/);
    expect(lines).toContain('client: RCPT TO:<postmaster@good.test>');
    expect(lines).toContain('server: 250 2.1.5 Ok');
    expect(lines.at(-2)).toBe('client: QUIT');
    expect(lines.at(-1)).toMatch(/^server: 221 /);
    expect(result.probes.flatMap((p) => p.transcript).some((l) => l.from === 'client' && /^DATA/i.test(l.text))).toBe(false);
    expect(good!.log()).toContain('reject: RCPT from localhost[127.0.0.1]: 554 5.7.1 <postmaster@unlisted.test>');
  });

  it('flags the misconfigured one as an open relay, with the reply that proves it', async () => {
    const result = await checkRelay(HOST, { ...input(['good.test', 'outside.test']), config: { ...config, port: OPEN_PORT } });
    expect(result).toMatchObject({ status: 'open-relay', ok: false, openRelay: true });
    const unlisted = result.probes.find((p) => p.kind === 'unlisted')!;
    expect(unlisted.outcome).toBe('open-relay');
    expect(unlisted.rcpt).toMatchObject({ code: 250, enhanced: '2.1.5' });
    expect(unlisted.summary).toBe('OPEN RELAY: accepted mail for unlisted.test, which it must refuse: "250 2.1.5 Ok".');
    expect(result.probes.find((p) => p.kind === 'outside')!.outcome).toBe('open-relay');
    expect(result.summary).toMatch(/OPEN RELAY.*unlisted\.test and outside\.test/);
    // The open instance queued nothing either: no DATA was ever sent.
    expect(open!.log()).not.toContain('queued');
  });

  it('calls a backup that refuses its own customer misconfigured', async () => {
    // The generated main.cf, but with the networks of the host next door: good.test's primary is outside them.
    const wrong = await startTestPostfix({
      name: 'relay-wrong',
      port: GOOD_PORT + 4,
      mainCf,
      nameserver: DNS_ADDRESS,
      portVariable: 'RELAY_TEST_SMTP_PORT',
      overrides: ['permit_mx_backup_networks = 203.0.113.0/24'],
    });
    try {
      const result = await checkRelay(HOST, { ...input(['good.test']), config: { ...config, port: GOOD_PORT + 4 } });
      expect(result.status).toBe('misconfigured');
      expect(result.probes[0]).toMatchObject({ kind: 'accept', outcome: 'wrongly-refused', rcpt: { code: 554 } });
      // outside.test was not offered: its probe is skipped and says so.
      expect(result.probes[2]).toMatchObject({ kind: 'outside', outcome: 'skipped' });
    } finally {
      await wrong.stop();
    }
  });

  it('reports a host that does not answer as a failed check, not a pass', async () => {
    const result = await checkRelay(HOST, { ...input(['good.test']), config: { ...config, port: GOOD_PORT + 1, timeoutMs: 1000 } });
    expect(result.status).toBe('error');
    expect(result.probes[0]!.summary).toMatch(/Could not get as far as RCPT TO for good\.test: could not connect: connect ECONNREFUSED/);
  });
});

describe('stored relay checks', () => {
  it('keeps every result with its replies; the newest per host comes first when it is an open relay', async () => {
    const tag = `t${Date.now()}`;
    const hostA = `a-${tag}.porthole.test`;
    const hostB = `b-${tag}.porthole.test`;
    const passing = await checkRelay(HOST, { ...input(['good.test', 'outside.test']), config: { ...config, port: GOOD_PORT } });
    const relaying = await checkRelay(HOST, { ...input(['good.test', 'outside.test']), config: { ...config, port: OPEN_PORT } });
    await saveRelayChecks(db, [{ ...relaying, mxHost: hostA }], 'carol');
    await saveRelayChecks(db, [{ ...passing, mxHost: hostA }, { ...relaying, mxHost: hostB }], 'schedule');

    const latest = (await latestRelayChecks(db)).filter((c) => c.mxHost === hostA || c.mxHost === hostB);
    expect(latest.map((c) => [c.mxHost, c.openRelay, c.triggeredBy])).toEqual([
      [hostB, true, 'schedule'],
      [hostA, false, 'schedule'],
    ]);
    expect(latest[0]!.result!.probes.find((p) => p.kind === 'unlisted')!.rcpt).toMatchObject({ code: 250 });
    expect((await openRelayHosts(db)).map((c) => c.mxHost)).toContain(hostB);
    expect((await openRelayHosts(db)).map((c) => c.mxHost)).not.toContain(hostA);

    const history = await relayCheckHistory(db, { mxHost: hostA });
    expect(history.map((c) => [c.openRelay, c.triggeredBy])).toEqual([
      [false, 'schedule'],
      [true, 'carol'],
    ]);
    expect(history[1]!.result!.probes[1]!.transcript.some((l) => l.text === '250 2.1.5 Ok')).toBe(true);
  });

  it('lets one of several schedulers claim each run', async () => {
    const interval = 60_000;
    const now = new Date(Date.now() + 365 * 86_400_000); // later than any claim another test file made
    const claims = await Promise.all(['n1', 'n2', 'n3', 'n4'].map((owner) => claimRelaySchedule(db, owner, interval, now)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimRelaySchedule(db, 'n1', interval, new Date(now.getTime() + interval / 2))).toBe(false);
    expect(await claimRelaySchedule(db, 'n2', interval, new Date(now.getTime() + interval + 1))).toBe(true);
  });
});
