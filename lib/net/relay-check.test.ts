import { describe, expect, it } from 'vitest';
import { type DnsResult, type MxRecord, parseMxBackupSettings } from '../guides/mx-backup';
import { DEFAULT_RELAY_CONFIG, type RelayDns, chooseProbeDomains, domainRole, judgeProbe, relayCheckConfigFromEnv, relayVerdict } from './relay-check';

const reply = (code: number) => ({ rcpt: { code, enhanced: null, lines: ['x'] }, stoppedAt: null, stopReply: null, error: null });
const none = { rcpt: null, stoppedAt: 'greeting' as const, stopReply: { code: 554, enhanced: null, lines: ['no'] }, error: null };

describe('judgeProbe', () => {
  it.each([
    ['accept', 250, 'as-expected'],
    ['accept', 554, 'wrongly-refused'],
    ['accept', 450, 'wrongly-refused'],
    ['refuse', 554, 'as-expected'],
    ['refuse', 450, 'as-expected'],
    ['refuse', 250, 'open-relay'],
    ['refuse', 251, 'open-relay'],
    ['refuse', 354, 'inconclusive'],
  ] as const)('expecting %s, RCPT %i is %s', (expect_, code, outcome) => {
    expect(judgeProbe(expect_, reply(code))).toBe(outcome);
  });

  it('never calls a conversation that stopped before RCPT a pass', () => {
    expect(judgeProbe('refuse', none)).toBe('inconclusive');
    expect(judgeProbe('accept', none)).toBe('inconclusive');
  });
});

describe('relayVerdict', () => {
  const v = (...outcomes: Array<'as-expected' | 'open-relay' | 'wrongly-refused' | 'inconclusive' | 'skipped'>) => relayVerdict(outcomes.map((outcome) => ({ outcome }))).status;
  it('ranks an open relay above everything, then a refused backup, then errors, then gaps', () => {
    expect(v('as-expected', 'as-expected', 'as-expected')).toBe('pass');
    expect(v('wrongly-refused', 'open-relay', 'inconclusive')).toBe('open-relay');
    expect(v('wrongly-refused', 'as-expected', 'inconclusive')).toBe('misconfigured');
    expect(v('as-expected', 'inconclusive', 'skipped')).toBe('error');
    expect(v('skipped', 'as-expected', 'skipped')).toBe('incomplete');
    expect(v()).toBe('error');
    expect(relayVerdict([{ outcome: 'open-relay' }])).toEqual({ status: 'open-relay', ok: false, openRelay: true });
    expect(relayVerdict([{ outcome: 'as-expected' }])).toEqual({ status: 'pass', ok: true, openRelay: false });
  });
});

const settings = parseMxBackupSettings({
  mxHosts: [
    { host: 'mx1.ours.test', preference: 20 },
    { host: 'mx2.ours.test', preference: 30 },
  ],
  permitNetworks: ['192.0.2.0/24', '2001:db8::/32'],
});

// A fake DNS for the pure parts: zones as data.
function fakeDns(mx: Record<string, MxRecord[] | 'nxdomain' | 'servfail'>, hosts: Record<string, string[]>): RelayDns {
  return {
    async mx(domain): Promise<DnsResult<MxRecord[]>> {
      const z = mx[domain] ?? 'nxdomain';
      return typeof z === 'string' ? { ok: false, failure: z } : { ok: true, value: z };
    },
    async addresses(host): Promise<DnsResult<string[]>> {
      const a = hosts[host];
      return a ? { ok: true, value: a } : { ok: false, failure: 'nxdomain' };
    },
  };
}

const ZONES = fakeDns(
  {
    'good.test': [{ exchange: 'mail.good.test', priority: 10 }, { exchange: 'MX1.ours.test.', priority: 20 }],
    'dual.test': [{ exchange: 'mail.dual.test', priority: 10 }, { exchange: 'mx1.ours.test', priority: 20 }],
    'outside.test': [{ exchange: 'mail.outside.test', priority: 10 }, { exchange: 'mx1.ours.test', priority: 20 }],
    'first.test': [{ exchange: 'mx1.ours.test', priority: 5 }, { exchange: 'mail.first.test', priority: 10 }],
    'onlyours.test': [{ exchange: 'mx1.ours.test', priority: 20 }],
    'other.test': [{ exchange: 'mail.other.test', priority: 10 }],
    'broken.test': 'servfail',
    'nullmx.test': [{ exchange: '', priority: 0 }],
  },
  {
    'mail.good.test': ['192.0.2.10'],
    'mail.dual.test': ['192.0.2.11', '2001:db9::1'],
    'mail.outside.test': ['198.51.100.7'],
    'mail.first.test': ['192.0.2.12'],
  },
);

async function role(domain: string) {
  const mx = await ZONES.mx(domain);
  const primaryAddresses: Record<string, DnsResult<string[]>> = {};
  if (mx.ok) for (const r of mx.value) if (!r.exchange.startsWith('mx')) primaryAddresses[r.exchange] = await ZONES.addresses(r.exchange);
  return domainRole('mx1.ours.test', settings, { mx, primaryAddresses });
}

describe('domainRole (how permit_mx_backup sees a domain)', () => {
  it.each([
    ['good.test', 'backed-up'],
    ['dual.test', 'outside'], // one IPv6 address outside is enough for Postfix to refuse
    ['outside.test', 'outside'],
    ['first.test', 'primary'], // we come before their own server: not a backup
    ['onlyours.test', 'primary'],
    ['other.test', 'unlisted'],
    ['nullmx.test', 'unlisted'],
    ['missing.test', 'unlisted'],
    ['broken.test', 'unknown'],
  ])('%s is %s', async (domain, expected) => {
    expect(await role(domain)).toBe(expected);
  });

  it('treats a primary whose address is unknown as unknown, never as a probe', () => {
    const r = domainRole('mx1.ours.test', settings, {
      mx: { ok: true, value: [{ exchange: 'mail.x.test', priority: 10 }, { exchange: 'mx1.ours.test', priority: 20 }] },
      primaryAddresses: { 'mail.x.test': { ok: false, failure: 'timeout' } },
    });
    expect(r).toBe('unknown');
  });
});

describe('chooseProbeDomains', () => {
  const config = { ...DEFAULT_RELAY_CONFIG, unlistedDomain: 'other.test' };

  it('takes the first fitting customer domains, and the unlisted test domain', async () => {
    const notes: string[] = [];
    const chosen = await chooseProbeDomains('mx1.ours.test', settings, ['broken.test', 'first.test', 'dual.test', 'good.test', 'outside.test'], config, ZONES, notes);
    expect(chosen).toEqual([
      { kind: 'accept', domain: 'good.test', source: 'customer' },
      { kind: 'unlisted', domain: 'other.test', source: 'configured' },
      { kind: 'outside', domain: 'dual.test', source: 'customer' },
    ]);
    expect(notes).toEqual([]);
  });

  it('falls back to configured test domains, only when DNS agrees, and says why not', async () => {
    const notes: string[] = [];
    const chosen = await chooseProbeDomains('mx1.ours.test', settings, ['other.test'], { ...config, acceptDomain: 'good.test', outsideDomain: 'good.test', unlistedDomain: 'good.test' }, ZONES, notes);
    expect(chosen).toEqual([
      { kind: 'accept', domain: 'good.test', source: 'configured' },
      { kind: 'unlisted', domain: null, source: null },
      { kind: 'outside', domain: null, source: null },
    ]);
    expect(notes).toEqual([
      'The configured outside domain good.test was not used: DNS makes it "backed-up" for mx1.ours.test, not "outside".',
      'good.test (RELAY_CHECK_UNLISTED_DOMAIN) was not used: DNS makes it "backed-up" for mx1.ours.test, not "unlisted".',
    ]);
  });

  it('looks at a bounded number of customer domains', async () => {
    const notes: string[] = [];
    const many = Array.from({ length: 30 }, (_, i) => `d${i}.test`);
    const chosen = await chooseProbeDomains('mx1.ours.test', settings, [...many, 'good.test'], config, ZONES, notes);
    expect(chosen[0]!.domain).toBeNull();
    expect(notes[0]).toBe('Only the first 20 of 31 customer domains were looked at.');
  });
});

describe('relayCheckConfigFromEnv', () => {
  it('has production defaults and validates what is set', () => {
    expect(relayCheckConfigFromEnv({})).toMatchObject({ port: 25, unlistedDomain: 'example.com', acceptDomain: null, outsideDomain: null });
    expect(relayCheckConfigFromEnv({ RELAY_CHECK_PORT: '2525', RELAY_CHECK_ACCEPT_DOMAIN: 'Test.Example.NET.' })).toMatchObject({ port: 2525, acceptDomain: 'test.example.net' });
    expect(() => relayCheckConfigFromEnv({ RELAY_CHECK_PORT: '0' })).toThrow(/RELAY_CHECK_PORT/);
    expect(() => relayCheckConfigFromEnv({ RELAY_CHECK_UNLISTED_DOMAIN: 'x.test\r\nDATA' })).toThrow(/RELAY_CHECK_UNLISTED_DOMAIN/);
  });
});
