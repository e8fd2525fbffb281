import { describe, expect, it } from 'vitest';
import { checkTargetUrl, inNetworks, isBlockedAddress, parseCidr } from './safe-target';

const resolveTo = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('blocked addresses', () => {
  it.each([
    '127.0.0.1', '127.1.2.3', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1',
    '255.255.255.255', '198.18.0.1', '192.0.2.1', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:7f00:1',
    '::ffff:10.0.0.1', '64:ff9b::a9fe:a9fe', '64:ff9b::169.254.169.254', 'ff02::1', '2001:db8::1',
  ])('%s is refused', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });
  it.each(['93.184.215.14', '1.1.1.1', '2606:4700::1111', '172.32.0.1', '100.128.0.1'])('%s is public', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });
});

describe('allowed networks', () => {
  it('parses CIDRs and checks membership', () => {
    expect(parseCidr('10.1.0.0/16')).toEqual({ address: '10.1.0.0', prefix: 16, family: 'ipv4' });
    expect(parseCidr('fd00::/8')).toEqual({ address: 'fd00::', prefix: 8, family: 'ipv6' });
    expect(parseCidr('10.1.0.0/33')).toBeNull();
    expect(parseCidr('nonsense')).toBeNull();
    expect(inNetworks('10.1.2.3', ['10.1.0.0/16'])).toBe(true);
    expect(inNetworks('10.2.2.3', ['10.1.0.0/16'])).toBe(false);
  });
});

describe('checkTargetUrl', () => {
  it('refuses loopback and private targets in every spelling the URL parser accepts', async () => {
    for (const url of [
      'http://127.0.0.1/hook', 'http://2130706433/', 'http://0177.0.0.1/', 'http://0x7f.1/', 'http://127.1/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/',
      'http://[0:0:0:0:0:ffff:7f00:1]/', 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.1:8080/', 'http://0/',
    ]) {
      const r = await checkTargetUrl(url, { resolve: resolveTo('93.184.215.14') });
      expect(r.ok, url).toBe(false);
    }
  });

  it('refuses a name that resolves to a private address, or to any private one among several', async () => {
    expect((await checkTargetUrl('https://hooks.example.com/x', { resolve: resolveTo('10.0.0.7') })).ok).toBe(false);
    expect((await checkTargetUrl('https://hooks.example.com/x', { resolve: resolveTo('93.184.215.14', '127.0.0.1') })).ok).toBe(false);
    const good = await checkTargetUrl('https://hooks.example.com/x', { resolve: resolveTo('93.184.215.14') });
    expect(good.ok && good.value.address).toBe('93.184.215.14');
  });

  it('refuses other schemes, credentials in the URL and names that do not resolve', async () => {
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'gopher://x/', 'https://user:pw@example.com/', 'not a url']) {
      expect((await checkTargetUrl(url, { resolve: resolveTo('93.184.215.14') })).ok, url).toBe(false);
    }
    expect((await checkTargetUrl('https://nx.example/', { resolve: async () => Promise.reject(new Error('ENOTFOUND')) })).ok).toBe(false);
  });

  it('lets staff allow a network', async () => {
    expect((await checkTargetUrl('http://127.0.0.1:9/', { allowNetworks: ['127.0.0.0/8'] })).ok).toBe(true);
  });
});
