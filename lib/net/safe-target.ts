import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { fail, ok, type Result } from '../result';

// Where a customer-supplied URL (a webhook, a push endpoint) may point: the public internet only,
// checked on the addresses the name resolves to, unless staff allow a network. The caller then
// connects to exactly the address checked here (lib/net/safe-fetch.ts), so DNS can't change it between.

// Two lists: Node's BlockList also matches IPv4 addresses against IPv6 rules (as ::ffff:a.b.c.d).
const BLOCKED4 = new BlockList();
const BLOCKED6 = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED4.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32],
  ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) BLOCKED6.addSubnet(net, bits, 'ipv6');

/** An IPv4 address inside an IPv6 one (mapped, compatible, NAT64, 6to4), to be checked as IPv4 too. */
function embeddedIpv4(address: string): string | null {
  const m = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (m) return m[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const a = parseInt(hex[1]!, 16);
    const b = parseInt(hex[2]!, 16);
    return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  return null;
}

export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED4.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    // A mapped or NAT64 IPv4 address is as good or bad as the IPv4 address itself.
    if (v4 !== null) return /^64:ff9b::/i.test(address) || BLOCKED4.check(v4, 'ipv4');
    return BLOCKED6.check(address, 'ipv6') || /^::ffff:/i.test(address);
  }
  return true;
}

/** "10.1.0.0/16" or "fd00::/8" into a BlockList-ready pair; null when malformed. */
export function parseCidr(cidr: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address, bits] = cidr.trim().split('/');
  const family = isIP(address ?? '');
  if (!address || family === 0) return null;
  const max = family === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (bits !== undefined && !/^\d+$/.test(bits))) return null;
  return { address, prefix, family: family === 4 ? 'ipv4' : 'ipv6' };
}

export function inNetworks(address: string, networks: string[]): boolean {
  const list = new BlockList();
  for (const n of networks) {
    const c = parseCidr(n);
    if (c) list.addSubnet(c.address, c.prefix, c.family);
  }
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;
const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

export async function checkTargetUrl(raw: string, { allowNetworks = [] as string[], resolve = systemResolver } = {}): Promise<Result<CheckedTarget>> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('That is not a web address (it should start with https://).');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return fail('Only http:// and https:// addresses can receive alerts.');
  if (url.username || url.password) return fail('Put credentials in the webhook secret or a token in the path, not in the address.');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === '') return fail('That address has no host.');
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      return fail(`The name ${host} does not resolve.`);
    }
  }
  if (addresses.length === 0) return fail(`The name ${host} does not resolve.`);
  for (const a of addresses) {
    if (isBlockedAddress(a.address) && !inNetworks(a.address, allowNetworks)) {
      return fail(`${host} points into a private, local or reserved network (${a.address}); alerts can only go to the public internet.`);
    }
  }
  const first = addresses[0]!;
  return ok({ url, address: first.address, family: first.family === 6 ? 6 : 4 });
}
