import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  evaluateMxBackup,
  mxZoneLines,
  parseMailDomain,
  parseMxBackupSettings,
  postfixSettings,
  primaryMxHosts,
  smtpTest,
  type DnsResult,
  type MxBackupSettingsInput,
  type MxObservation,
  type MxRecord,
} from './mx-backup';
import { GuideInputError, parseCidrList } from './net-schemas';

function golden(name: string): string {
  return readFileSync(new URL(`./__golden__/${name}`, import.meta.url), 'utf8');
}

const settings: MxBackupSettingsInput = {
  // Spelled loosely on purpose: settings are normalised.
  mxHosts: [
    { host: 'mx1.porthole.test', preference: 20 },
    { host: 'MX2.Porthole.test.', preference: 30 },
  ],
  permitNetworks: ['192.0.2.0/24', '2001:DB8:1::/48'],
};

const OURS: MxRecord[] = [
  { exchange: 'mx1.porthole.test', priority: 20 },
  { exchange: 'mx2.porthole.test', priority: 30 },
];

function ok<T>(value: T): DnsResult<T> {
  return { ok: true, value };
}

function observe(records: MxRecord[], addresses: Record<string, DnsResult<string[]>> = {}): MxObservation {
  return { mx: ok(records), primaryAddresses: addresses };
}

const ALL_LISTED = {
  id: 'backup-listed',
  ok: true,
  message: 'All our backup MX hosts are listed: mx1.porthole.test, mx2.porthole.test.',
  fix: null,
};

describe('mxZoneLines', () => {
  it('gives the zone-file lines to publish, normalising the domain', () => {
    const lines = mxZoneLines('Good.TEST.', settings);
    expect(lines.join('\n') + '\n').toEqual(golden('mx-zone-good.test.txt'));
    expect(mxZoneLines('good.test', settings, 300)[0]).toBe('good.test.  300  IN  MX  20 mx1.porthole.test.');
  });

  it('turns an internationalised domain into punycode', () => {
    expect(parseMailDomain('Bücher.test')).toBe('xn--bcher-kva.test');
  });

  it.each([
    ['', 'Invalid mail domain: "" is not a valid domain name: it is empty'],
    ['https://good.test/', 'enter just the domain name (like example.com), not a URL'],
    ['craig@good.test', 'that is an email address; enter only the part after the @'],
    ['localhost', 'it needs at least two labels, like example.com'],
    ['good..test', 'it has an empty label (two dots in a row, or a leading dot)'],
    ['-good.test', 'the label "-good" starts or ends with a hyphen'],
    ['good test.com', 'it may only contain letters, digits, hyphens and dots'],
    ['192.0.2.1', 'that is an IP address, not a domain name'],
    ['good.123', 'the last label cannot be all digits'],
    [`${'a'.repeat(64)}.test`, 'is longer than 63 characters'],
  ])('rejects the domain %j with a clear error', (domain, message) => {
    expect(() => mxZoneLines(domain, settings)).toThrow(GuideInputError);
    expect(() => mxZoneLines(domain, settings)).toThrow(message);
  });

  it.each([
    [{ permitNetworks: ['192.0.2.0/33'] }, 'Invalid MX backup settings: permitNetworks.0: "192.0.2.0/33" is not a network in CIDR form like 192.0.2.0/24 or 2001:db8::/32'],
    [{ permitNetworks: ['2001:db8::/129'] }, 'permitNetworks.0: "2001:db8::/129" is not a network in CIDR form'],
    [{ permitNetworks: ['our network'] }, 'permitNetworks.0: "our network" is not a network in CIDR form'],
    [{ permitNetworks: [] }, 'permitNetworks: list at least one permitted network'],
    [{ mxHosts: [] }, 'mxHosts: list at least one MX host'],
    [{ mxHosts: [{ host: 'mx1.porthole.test', preference: 0 }] }, 'mxHosts.0.preference: must be at least 1 so a primary can come first'],
    [{ mxHosts: [{ host: 'mx1', preference: 10 }] }, 'mxHosts.0.host: "mx1" is not a valid domain name'],
  ])('rejects bad settings %#', (patch, message) => {
    expect(() => mxZoneLines('good.test', { ...settings, ...patch })).toThrow(message);
  });

  it('accepts the permitted networks as one settings string', () => {
    const parsed = parseMxBackupSettings({ ...settings, permitNetworks: '192.0.2.0/24,\n2001:db8:1::/48' });
    expect(parsed.permitNetworks.map((n) => n.text)).toEqual(['192.0.2.0/24', '2001:db8:1::/48']);
    expect(() => parseMxBackupSettings({ ...settings, permitNetworks: ' , ' })).toThrow(
      'Invalid MX backup settings: permitNetworks: list at least one permitted network',
    );
  });

  it('reads comma- or space-separated network lists from a settings string', () => {
    expect(parseCidrList('192.0.2.0/24, 2001:db8:1::/48  198.51.100.7').map((c) => c.text)).toEqual([
      '192.0.2.0/24',
      '2001:db8:1::/48',
      '198.51.100.7/32',
    ]);
    expect(() => parseCidrList('192.0.2.0/24, 300.0.0.0/8')).toThrow(
      'Invalid network list: 1: "300.0.0.0/8" is not a network in CIDR form',
    );
    expect(() => parseCidrList(' ')).toThrow('Invalid network list: list at least one network');
  });
});

describe('evaluateMxBackup', () => {
  it('passes a domain set up as the seed describes', () => {
    const result = evaluateMxBackup(
      'good.test',
      settings,
      observe([{ exchange: 'mail.good.test', priority: 10 }, ...OURS], {
        'mail.good.test': ok(['192.0.2.10', '2001:db8:1::10']),
      }),
    );
    expect(result).toEqual({
      ok: true,
      checks: [
        {
          id: 'mx-records',
          ok: true,
          message: 'good.test has 3 MX records: 10 mail.good.test, 20 mx1.porthole.test, 30 mx2.porthole.test.',
          fix: null,
        },
        ALL_LISTED,
        {
          id: 'backup-preference',
          ok: true,
          message:
            "Our MX hosts have higher preference numbers than your primary mail.good.test (10), so they are only used when it can't be reached.",
          fix: null,
        },
        {
          id: 'primary-in-network',
          ok: true,
          message:
            'Your primary MX mail.good.test (192.0.2.10, 2001:db8:1::10) is inside our network, so our backup MX hosts accept mail for good.test.',
          fix: null,
        },
      ],
    });
  });

  it('compares host names without case or root dot', () => {
    const result = evaluateMxBackup(
      'good.test',
      settings,
      observe(
        [
          { exchange: 'Mail.Good.Test.', priority: 0 },
          { exchange: 'MX1.PORTHOLE.TEST.', priority: 20 },
          { exchange: 'mx2.porthole.test', priority: 30 },
        ],
        { 'mail.good.test': ok(['192.0.2.10']) },
      ),
    );
    expect(result.ok).toBe(true);
  });

  it('names a missing backup MX and gives the line to add', () => {
    const result = evaluateMxBackup(
      'missing.test',
      settings,
      observe(
        [
          { exchange: 'mail.missing.test', priority: 10 },
          { exchange: 'mx1.porthole.test', priority: 20 },
        ],
        { 'mail.missing.test': ok(['192.0.2.11']) },
      ),
    );
    expect(result.ok).toBe(false);
    expect(result.checks.map((c) => [c.id, c.ok])).toEqual([
      ['mx-records', true],
      ['backup-listed', false],
      ['backup-preference', true],
      ['primary-in-network', true],
    ]);
    expect(result.checks[1]).toEqual({
      id: 'backup-listed',
      ok: false,
      message: 'mx2.porthole.test is missing from the MX records of missing.test.',
      fix: "Add to the missing.test zone:\nmissing.test.  3600  IN  MX  30 mx2.porthole.test.\nChanges can take a while to reach everyone (up to the records' TTL).",
    });
  });

  it('rejects a primary outside the permitted networks, as Postfix would', () => {
    const result = evaluateMxBackup(
      'outside.test',
      settings,
      observe([{ exchange: 'mail.outside.test', priority: 10 }, ...OURS], {
        'mail.outside.test': ok(['198.51.100.7']),
      }),
    );
    expect(result.ok).toBe(false);
    expect(result.checks.at(-1)).toEqual({
      id: 'primary-in-network',
      ok: false,
      message:
        'Your primary MX mail.outside.test resolves to 198.51.100.7, outside our network (192.0.2.0/24, 2001:db8:1::/48). ' +
        'Our backup MX hosts only accept mail for domains whose primary mail server is hosted with us, so they will refuse mail for outside.test ("Recipient address rejected: Access denied").',
      fix: "Point mail.outside.test only at your VM's addresses inside 192.0.2.0/24, 2001:db8:1::/48: every A and AAAA record must be inside. Or, if your mail server is hosted elsewhere, remove our MX hosts from outside.test.",
    });
  });

  it('requires every address of the primary to be permitted, IPv6 included', () => {
    const result = evaluateMxBackup(
      'v6.test',
      settings,
      observe([{ exchange: 'mail.v6.test', priority: 10 }, ...OURS], {
        'mail.v6.test': ok(['192.0.2.12', '2001:db8:ffff::1']),
      }),
    );
    expect(result.ok).toBe(false);
    expect(result.checks.at(-1)?.message).toMatch(/^Your primary MX mail\.v6\.test resolves to 2001:db8:ffff::1, outside/);
  });

  it('checks every primary of equal preference', () => {
    const result = evaluateMxBackup(
      'twin.test',
      settings,
      observe(
        [
          { exchange: 'a.twin.test', priority: 10 },
          { exchange: 'b.twin.test', priority: 10 },
          { exchange: 'c.twin.test', priority: 15 },
          ...OURS,
        ],
        { 'a.twin.test': ok(['192.0.2.20']), 'b.twin.test': ok(['203.0.113.9']) },
      ),
    );
    expect(primaryMxHosts(OURS.concat([{ exchange: 'a.twin.test', priority: 10 }]), parseMxBackupSettings(settings))).toEqual(['a.twin.test']);
    expect(result.checks.at(-1)?.ok).toBe(false);
    expect(result.checks.at(-1)?.message).toContain('b.twin.test resolves to 203.0.113.9');
    expect(result.checks.at(-1)?.message).not.toContain('a.twin.test resolves');
  });

  it('flags our MX at the same or a lower number than the primary', () => {
    const result = evaluateMxBackup(
      'early.test',
      settings,
      observe(
        [
          { exchange: 'mail.early.test', priority: 25 },
          { exchange: 'mx1.porthole.test', priority: 20 },
          { exchange: 'mx2.porthole.test', priority: 25 },
        ],
        { 'mail.early.test': ok(['192.0.2.30']) },
      ),
    );
    expect(result.checks.find((c) => c.id === 'backup-preference')).toEqual({
      id: 'backup-preference',
      ok: false,
      message:
        'mx1.porthole.test (20), mx2.porthole.test (25) do not have a higher preference number than your primary mail.early.test (25): senders may deliver to our backup first, and our servers refuse to act as the primary.',
      fix:
        'Publish our hosts with these preference numbers:\nearly.test.  3600  IN  MX  20 mx1.porthole.test.\nearly.test.  3600  IN  MX  30 mx2.porthole.test.' +
        '\nand give your own MX a number of 19 or lower, e.g.\nearly.test.  3600  IN  MX  10 mail.early.test.',
    });
  });

  it('needs a primary of the customer when only our hosts are listed', () => {
    const result = evaluateMxBackup('only.test', settings, observe(OURS));
    expect(result.checks.map((c) => c.id)).toEqual(['mx-records', 'backup-listed', 'primary-in-network']);
    expect(result.checks.at(-1)).toEqual({
      id: 'primary-in-network',
      ok: false,
      message:
        'Only our backup MX hosts are listed for only.test: there is no primary mail server of yours for them to pass the mail on to, so they refuse it.',
      fix: 'Add an MX record for your own mail server (on your VM) with a preference number of 19 or lower, e.g.\nonly.test.  3600  IN  MX  10 mail.only.test.',
    });
  });

  it('explains a domain without MX records (NODATA)', () => {
    const result = evaluateMxBackup('nomx.test', settings, {
      mx: { ok: false, failure: 'nodata' },
      primaryAddresses: {},
    });
    expect(result).toEqual({
      ok: false,
      checks: [
        {
          id: 'mx-records',
          ok: false,
          message: 'nomx.test has no MX records, so nobody can find where to deliver its mail.',
          fix:
            'Publish an MX record for your own mail server with a preference number of 19 or lower, e.g.\n' +
            'nomx.test.  3600  IN  MX  10 mail.nomx.test.\nand our backup MX hosts:\n' +
            'nomx.test.  3600  IN  MX  20 mx1.porthole.test.\nnomx.test.  3600  IN  MX  30 mx2.porthole.test.',
        },
      ],
    });
  });

  it('explains a domain that does not exist (NXDOMAIN)', () => {
    const result = evaluateMxBackup('gone.test', settings, { mx: { ok: false, failure: 'nxdomain' }, primaryAddresses: {} });
    expect(result.ok).toBe(false);
    expect(result.checks).toHaveLength(1);
    expect(result.checks[0]?.message).toBe('gone.test does not exist in DNS (NXDOMAIN).');
    expect(result.checks[0]?.fix).toMatch(/^Check the spelling of the domain\./);
  });

  it('asks to try again when the lookup itself failed', () => {
    const result = evaluateMxBackup('slow.test', settings, {
      mx: { ok: false, failure: 'timeout', detail: 'queryMx ETIMEOUT slow.test' },
      primaryAddresses: {},
    });
    expect(result.checks[0]).toEqual({
      id: 'mx-records',
      ok: false,
      message: 'Could not look up the MX records of slow.test: the DNS server did not answer in time (queryMx ETIMEOUT slow.test).',
      fix: 'Try again in a few minutes. If it keeps failing, check with your DNS provider that the name servers for the domain answer.',
    });
  });

  it('reports a null MX', () => {
    const result = evaluateMxBackup('null.test', settings, observe([{ exchange: '', priority: 0 }]));
    expect(result.checks).toHaveLength(1);
    expect(result.checks[0]?.message).toBe('null.test publishes a "null MX" (MX 0 .): it says it accepts no mail at all.');
  });

  it('reports a primary without addresses, and one that could not be resolved', () => {
    const none = evaluateMxBackup(
      'noaddr.test',
      settings,
      observe([{ exchange: 'mail.noaddr.test', priority: 10 }, ...OURS], { 'mail.noaddr.test': { ok: false, failure: 'nodata' } }),
    );
    expect(none.checks.at(-1)?.message).toMatch(/^Your primary MX mail\.noaddr\.test has no address: the name exists but has no records of that type\./);
    expect(none.checks.at(-1)?.fix).toBe('Publish an A (and/or AAAA) record for mail.noaddr.test pointing at your VM.');

    const notLookedUp = evaluateMxBackup('noaddr.test', settings, observe([{ exchange: 'mail.noaddr.test', priority: 10 }, ...OURS]));
    expect(notLookedUp.checks.at(-1)?.message).toMatch(/^Could not resolve your primary MX mail\.noaddr\.test: the lookup failed \(not looked up\)/);
    expect(notLookedUp.checks.at(-1)?.fix).toMatch(/^Try again in a few minutes/);
  });
});

describe('postfixSettings and smtpTest', () => {
  it("gives each MX host the seed's main.cf lines, IPv6 networks in brackets", () => {
    const out = postfixSettings(settings, ['good.test', 'Other.Test']);
    expect(out.hosts.map((h) => h.host)).toEqual(['mx1.porthole.test', 'mx2.porthole.test']);
    expect(out.hosts[0]?.mainCf).toEqual(golden('postfix-mx1.main.cf'));
    expect(out.hosts[1]?.mainCf).toContain('myhostname = mx2.porthole.test\n');
    expect(out.smtpTests.map((t) => `${t.domain} via ${t.mxHost}`)).toEqual([
      'good.test via mx1.porthole.test',
      'good.test via mx2.porthole.test',
      'other.test via mx1.porthole.test',
      'other.test via mx2.porthole.test',
    ]);
  });

  it("writes the seed's SMTP conversation for the domain", () => {
    expect(smtpTest('mx1.porthole.test.', 'good.test', 'support@porthole.test')).toEqual({
      mxHost: 'mx1.porthole.test',
      domain: 'good.test',
      dnsCommands: ['dig MX good.test +short', 'dig good.test +short'],
      conversation: [
        { send: 'telnet mx1.porthole.test smtp', expect: '220 mx1.porthole.test ESMTP Postfix' },
        { send: 'EHLO my-computer', expect: '250-mx1.porthole.test … 250 DSN' },
        { send: 'MAIL FROM: support@porthole.test', expect: '250 2.1.0 Ok' },
        { send: 'RCPT TO: postmaster@good.test', expect: '250 2.1.5 Ok' },
        { send: 'DATA', expect: '354 End data with <CR><LF>.<CR><LF>' },
        { send: 'TEST!', expect: '' },
        { send: '', expect: '' },
        { send: '.', expect: '250 2.0.0 Ok: queued as …' },
        { send: 'QUIT', expect: '221 2.0.0 Bye' },
      ],
      onReject:
        'If RCPT TO is answered with "554 5.7.1 <postmaster@good.test>: Recipient address rejected: Access denied", then either mx1.porthole.test is not (yet) listed as an MX of good.test (or the change has not reached the DNS yet), or your own mail server (the domain\'s primary MX) is not inside our network, and our backup MX hosts only accept mail for domains whose mail server is.',
    });
  });

  it('rejects a bad domain in the list', () => {
    expect(() => postfixSettings(settings, ['good.test', 'not a domain'])).toThrow(
      'Invalid domain list: 1: "not a domain" is not a valid domain name',
    );
  });
});
