import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDns, startTestDns } from '../testing/dnsmasq';
import type { MxBackupSettingsInput } from '../guides/mx-backup';
import { checkMxBackup } from './mx-check';

// A real dnsmasq serving made-up .test zones; nothing but 127.0.0.1 is ever contacted.
const PORT = Number(process.env.DNS_TEST_PORT ?? 15353);
const SERVER = `127.0.0.1:${PORT}`;

const settings: MxBackupSettingsInput = {
  mxHosts: [
    { host: 'mx1.porthole.test', preference: 20 },
    { host: 'mx2.porthole.test', preference: 30 },
  ],
  permitNetworks: ['192.0.2.0/24', '2001:db8:1::/48'],
};
const options = { servers: [SERVER], timeoutMs: 2000, tries: 1 };

const RECORDS = [
  // Set up as the seed describes: our hosts after the customer's primary, which is inside our network.
  'mx-host=good.test,mail.good.test,10',
  'mx-host=good.test,mx1.porthole.test,20',
  'mx-host=good.test,mx2.porthole.test,30',
  'host-record=mail.good.test,192.0.2.10,2001:db8:1::10',
  // Lists only one of our hosts.
  'mx-host=missing.test,mail.missing.test,10',
  'mx-host=missing.test,mx1.porthole.test,20',
  'host-record=mail.missing.test,192.0.2.11',
  // Primary hosted elsewhere.
  'mx-host=outside.test,mail.outside.test,10',
  'mx-host=outside.test,mx1.porthole.test,20',
  'mx-host=outside.test,mx2.porthole.test,30',
  'host-record=mail.outside.test,198.51.100.7',
  // IPv4 inside but IPv6 outside: Postfix wants every address inside.
  'mx-host=v6.test,mail.v6.test,10',
  'mx-host=v6.test,mx1.porthole.test,20',
  'mx-host=v6.test,mx2.porthole.test,30',
  'host-record=mail.v6.test,192.0.2.12,2001:db8:ffff::1',
  // Primary named but not in DNS.
  'mx-host=noaddr.test,mail.noaddr.test,10',
  'mx-host=noaddr.test,mx1.porthole.test,20',
  'mx-host=noaddr.test,mx2.porthole.test,30',
  // Exists, no MX: NODATA (address=/…/ would give NXDOMAIN under local=/test/).
  'host-record=nomx.test,192.0.2.13',
];

let dns: TestDns | undefined;

beforeAll(async () => {
  dns = await startTestDns({ port: PORT, portVariable: 'DNS_TEST_PORT', records: RECORDS, probeName: 'good.test' });
});

afterAll(async () => {
  await dns?.stop();
});

describe('checkMxBackup against dnsmasq', () => {
  it('passes a correctly set up domain', async () => {
    const before = Date.now();
    const result = await checkMxBackup('good.test', settings, options);
    expect(result.ok).toBe(true);
    expect(result.domain).toBe('good.test');
    expect(Date.parse(result.checkedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect([...result.records].sort((a, b) => a.priority - b.priority)).toEqual([
      { exchange: 'mail.good.test', priority: 10 },
      { exchange: 'mx1.porthole.test', priority: 20 },
      { exchange: 'mx2.porthole.test', priority: 30 },
    ]);
    expect(result.checks.map((c) => [c.id, c.ok])).toEqual([
      ['mx-records', true],
      ['backup-listed', true],
      ['backup-preference', true],
      ['primary-in-network', true],
    ]);
    const primary = result.primaryAddresses['mail.good.test'];
    expect(primary?.ok && [...primary.value].sort()).toEqual(['192.0.2.10', '2001:db8:1::10']);
  });

  it('reports a missing backup MX', async () => {
    const result = await checkMxBackup('missing.test', settings, options);
    expect(result.ok).toBe(false);
    expect(result.checks.map((c) => [c.id, c.ok])).toEqual([
      ['mx-records', true],
      ['backup-listed', false],
      ['backup-preference', true],
      ['primary-in-network', true],
    ]);
    expect(result.checks[1]?.message).toBe('mx2.porthole.test is missing from the MX records of missing.test.');
    expect(result.checks[1]?.fix).toContain('missing.test.  3600  IN  MX  30 mx2.porthole.test.');
  });

  it('reports a primary outside the permitted networks', async () => {
    const result = await checkMxBackup('outside.test', settings, options);
    expect(result.ok).toBe(false);
    const check = result.checks.find((c) => c.id === 'primary-in-network');
    expect(check?.ok).toBe(false);
    expect(check?.message).toMatch(/^Your primary MX mail\.outside\.test resolves to 198\.51\.100\.7, outside our network/);
    expect(result.checks.filter((c) => c.id !== 'primary-in-network').every((c) => c.ok)).toBe(true);
  });

  it('reports a primary whose IPv6 address is outside', async () => {
    const result = await checkMxBackup('v6.test', settings, options);
    expect(result.ok).toBe(false);
    expect(result.checks.at(-1)?.message).toMatch(/resolves to 2001:db8:ffff::1, outside/);
  });

  it('reports a primary without addresses (NXDOMAIN for the host)', async () => {
    const result = await checkMxBackup('noaddr.test', settings, options);
    expect(result.primaryAddresses['mail.noaddr.test']).toEqual({ ok: false, failure: 'nxdomain' });
    expect(result.checks.at(-1)?.fix).toBe('Publish an A (and/or AAAA) record for mail.noaddr.test pointing at your VM.');
  });

  it('reports a domain without MX records (NODATA)', async () => {
    const result = await checkMxBackup('nomx.test', settings, options);
    expect(result.ok).toBe(false);
    expect(result.records).toEqual([]);
    expect(result.checks).toHaveLength(1);
    expect(result.checks[0]).toMatchObject({
      id: 'mx-records',
      ok: false,
      message: 'nomx.test has no MX records, so nobody can find where to deliver its mail.',
    });
  });

  it('reports a domain that does not exist (NXDOMAIN)', async () => {
    const result = await checkMxBackup('gone.test', settings, options);
    expect(result.checks).toEqual([
      expect.objectContaining({ id: 'mx-records', ok: false, message: 'gone.test does not exist in DNS (NXDOMAIN).' }),
    ]);
  });

  it('reports a refused query (dnsmasq has no upstream for other names)', async () => {
    const result = await checkMxBackup('example.com', settings, options);
    expect(result.ok).toBe(false);
    expect(result.checks[0]?.message).toMatch(/^Could not look up the MX records of example\.com: the DNS server refused the query/);
  });
});

describe('checkMxBackup against a server that never answers', () => {
  let silent: Socket;
  beforeAll(async () => {
    silent = createSocket('udp4');
    await new Promise<void>((res) => silent.bind(0, '127.0.0.1', res));
  });
  afterAll(() => new Promise<void>((res) => silent.close(() => res())));

  it('reports a timeout', async () => {
    const started = Date.now();
    const result = await checkMxBackup('good.test', settings, {
      servers: [`127.0.0.1:${silent.address().port}`],
      timeoutMs: 300,
      tries: 1,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.checks[0]?.message).toMatch(/^Could not look up the MX records of good\.test: the DNS server did not answer in time/);
  });

  it('rejects bad input before any lookup', async () => {
    await expect(checkMxBackup('not a domain', settings, options)).rejects.toThrow('Invalid mail domain');
    await expect(checkMxBackup('good.test', settings, { servers: ['not-an-ip'] })).rejects.toThrow('Invalid DNS servers');
  });
});
