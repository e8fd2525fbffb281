import { BlockList, isIP } from 'node:net';
import type { WebEnv } from './env';
import { GUIDE_SETTINGS, type GuideSettingKey, type GuideSettings, type SettingSource } from './guides/settings';

// What a production start refuses (lib/preflight.ts): demo secrets, a trusted user header that no
// front end is trusted to send, and guide values that are still the documentation placeholders.
// Pure, so every rule is unit-tested (preflight-rules.test.ts).

/** The opt-in that lets the test suite and `npm run demo` run a production build on demo values. */
export const ALLOW_DEMO_CONFIG = 'PORTHOLE_ALLOW_DEMO_CONFIG';

/** The local stack's directory service password (scripts/stack/config.ts), also lib/env.ts's default. */
const DEMO_LDAP_PASSWORDS = ['porthole-service'];
/** Secrets that are in this repository: the test env's and the development fallback (lib/env.ts). */
const DEMO_AUTH_SECRETS = ['porthole-test-secret-0123456789abcdef0123456789', 'porthole-development-secret-not-for-production'];
/** The local stack's database password (scripts/stack/config.ts) and lib/env.ts's default URL's. */
const DEMO_DATABASE_PASSWORDS = ['porthole'];
/** ActiveMQ's shipped users (admin/admin, user/user). */
const DEMO_BROKER_PASSWORDS = ['admin', 'user', 'password'];

// RFC 5737 and RFC 3849 documentation ranges: never a real server.
const documentation = new BlockList();
documentation.addSubnet('192.0.2.0', 24, 'ipv4');
documentation.addSubnet('198.51.100.0', 24, 'ipv4');
documentation.addSubnet('203.0.113.0', 24, 'ipv4');
documentation.addSubnet('2001:db8::', 32, 'ipv6');

export function isDocumentationAddress(ip: string): boolean {
  const family = isIP(ip);
  return family !== 0 && documentation.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** RFC 2606 / 6761 names: reserved TLDs and the example second-level domains. */
export function isPlaceholderHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (isIP(name) !== 0) return isDocumentationAddress(name);
  if (/(^|\.)(example|invalid|test|localhost)$/.test(name)) return true;
  return /(^|\.)example\.(com|net|org)$/.test(name);
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return url;
  }
}

/** "ip", "ip:port", "[ipv6]:port" (DNS_SERVERS) → ip */
function dnsServerIp(text: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(text);
  if (bracketed) return bracketed[1] ?? text;
  return isIP(text) !== 0 ? text : text.split(':')[0] ?? text;
}

/** The values of one guide setting that are placeholders, as shown in the message. */
export function placeholderValues(key: GuideSettingKey, values: GuideSettings): string[] {
  switch (key) {
    case 'mirrorUrl':
      return isPlaceholderHost(hostOf(values.mirrorUrl)) ? [values.mirrorUrl] : [];
    case 'mirrorSeries':
      return [];
    case 'monitorIps':
      return values.monitorIps.filter(isDocumentationAddress);
    case 'mxHosts':
      return values.mxHosts.map((h) => h.host).filter(isPlaceholderHost);
    case 'mxPermitNetworks':
      return values.mxPermitNetworks.filter((cidr) => isDocumentationAddress(cidr.split('/')[0] ?? ''));
    case 'dnsServers':
      return values.dnsServers.filter((s) => isDocumentationAddress(dnsServerIp(s)));
  }
}

function urlPassword(url: string): string | null {
  try {
    const parsed = new URL(url.replace(/^failover:\(/, '').replace(/\)$/, '').split(',')[0] ?? url);
    return parsed.password === '' ? null : decodeURIComponent(parsed.password);
  } catch {
    return null;
  }
}

export interface ProductionCheckInput {
  env: WebEnv;
  /** The raw environment, for the opt-in flag. */
  source: Record<string, string | undefined>;
  guides: { values: GuideSettings; sources: Record<GuideSettingKey, SettingSource> };
}

export interface ProductionFindings {
  /** Refuse to start: one line each. */
  errors: string[];
  /** Accepted only because PORTHOLE_ALLOW_DEMO_CONFIG=1: printed at every start, one line each. */
  warnings: string[];
}

/** Every unsafe production setting, one line each. */
export function productionFindings({ env, source, guides }: ProductionCheckInput): ProductionFindings {
  const always: string[] = [];
  const demo: string[] = [];
  const line = (name: string, text: string) => `Invalid configuration: ${name}: ${text}`;

  if (env.TRUSTED_PROXY_USER_HEADER && env.TRUSTED_PROXY_IPS.length === 0) {
    always.push(line('TRUSTED_PROXY_USER_HEADER', 'is set but TRUSTED_PROXY_IPS is empty; name the front end that sets it, or unset it'));
  }
  if (!env.NEXTAUTH_SECRET) {
    always.push(line('NEXTAUTH_SECRET', 'required in production (openssl rand -base64 32)'));
  } else if (DEMO_AUTH_SECRETS.includes(env.NEXTAUTH_SECRET)) {
    demo.push(line('NEXTAUTH_SECRET', 'is a value published in this repository; generate one with openssl rand -base64 32'));
  }
  if (DEMO_LDAP_PASSWORDS.includes(env.LDAP_BIND_PASSWORD)) {
    demo.push(line('LDAP_BIND_PASSWORD', "is the demo directory's password (or unset); set the service account's real password"));
  }
  const dbPassword = urlPassword(env.DATABASE_URL);
  if (dbPassword === null || DEMO_DATABASE_PASSWORDS.includes(dbPassword)) {
    demo.push(line('DATABASE_URL', dbPassword === null ? 'has no password' : "uses the local stack's demo password"));
  }
  const brokerPassword = urlPassword(env.STOMP_URL);
  if (brokerPassword !== null && DEMO_BROKER_PASSWORDS.includes(brokerPassword)) {
    demo.push(line('STOMP_URL', "uses one of ActiveMQ's shipped passwords"));
  }
  for (const key of Object.keys(GUIDE_SETTINGS) as GuideSettingKey[]) {
    // A value staff saved under /admin/settings was chosen on purpose; only env values are checked.
    if (guides.sources[key] === 'staff') continue;
    const found = placeholderValues(key, guides.values);
    if (found.length > 0) {
      demo.push(line(GUIDE_SETTINGS[key].env, `${found.join(', ')} ${found.length === 1 ? 'is a placeholder' : 'are placeholders'} (documentation address or example domain); set the real value, or save it under /admin/settings`));
    }
  }

  const allowDemo = source[ALLOW_DEMO_CONFIG] === '1';
  return allowDemo
    ? { errors: always, warnings: demo.map((d) => `${d} (accepted: ${ALLOW_DEMO_CONFIG}=1)`) }
    : { errors: [...always, ...demo], warnings: [] };
}
