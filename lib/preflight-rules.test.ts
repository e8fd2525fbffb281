import { describe, expect, it } from 'vitest';
import { parseWebEnv } from './env';
import { GUIDE_SETTING_KEYS, type GuideSettingKey, type GuideSettings, type SettingSource, guideSettingsFromEnv } from './guides/settings';
import { isDocumentationAddress, isPlaceholderHost, productionFindings } from './preflight-rules';

const REAL: Record<string, string> = {
  NODE_ENV: 'production',
  DATABASE_URL: 'mysql://porthole:Xq8-real-db-pass@db.hosting.internal:3306/porthole',
  LDAP_BIND_PASSWORD: 'a-real-service-password',
  NEXTAUTH_SECRET: 'kX3p6Vn2q9s8d7f6g5h4j3k2l1m0n9b8v7c6x5z4',
  STOMP_URL: 'stomp://ingest:S3cret@mq1.hosting.internal:61613',
  MIRROR_URL: 'http://mirror.hosting.co.uk/ubuntu',
  MONITOR_IPS: '192.168.10.5,2a01:4f8::5',
  MX_HOSTS: 'mx1.hosting.co.uk:20',
  MX_PERMIT_NETWORKS: '192.168.10.0/24',
  DNS_SERVERS: '192.168.10.53',
};

const allFrom = (source: SettingSource) => Object.fromEntries(GUIDE_SETTING_KEYS.map((k) => [k, source])) as Record<GuideSettingKey, SettingSource>;

function findings(overrides: Record<string, string | undefined>, guides?: { values?: GuideSettings; sources?: Record<GuideSettingKey, SettingSource> }) {
  const source = Object.fromEntries(Object.entries({ ...REAL, ...overrides }).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return productionFindings({
    env: parseWebEnv(source as NodeJS.ProcessEnv),
    source,
    guides: { values: guides?.values ?? guideSettingsFromEnv(source), sources: guides?.sources ?? allFrom('env') },
  });
}

describe('productionFindings', () => {
  it('accepts a real configuration', () => {
    expect(findings({})).toEqual({ errors: [], warnings: [] });
  });

  it.each([
    ['the demo directory password', { LDAP_BIND_PASSWORD: 'porthole-service' }, /^Invalid configuration: LDAP_BIND_PASSWORD: /],
    ['no directory password at all (the default is the demo one)', { LDAP_BIND_PASSWORD: undefined }, /^Invalid configuration: LDAP_BIND_PASSWORD: /],
    ['the test suite’s session secret', { NEXTAUTH_SECRET: 'porthole-test-secret-0123456789abcdef0123456789' }, /^Invalid configuration: NEXTAUTH_SECRET: is a value published/],
    ['no session secret', { NEXTAUTH_SECRET: undefined }, /^Invalid configuration: NEXTAUTH_SECRET: required in production/],
    ['the stack’s database password', { DATABASE_URL: 'mysql://porthole:porthole@db:3306/porthole' }, /^Invalid configuration: DATABASE_URL: uses the local stack/],
    ['the default DATABASE_URL', { DATABASE_URL: undefined }, /^Invalid configuration: DATABASE_URL: /],
    ['a database user without password', { DATABASE_URL: 'mysql://root@db:3306/porthole' }, /^Invalid configuration: DATABASE_URL: has no password/],
    ['ActiveMQ’s shipped password', { STOMP_URL: 'failover:(stomp://admin:admin@mq1:61613,stomp://admin:admin@mq2:61613)' }, /^Invalid configuration: STOMP_URL: /],
    ['a user header nobody is trusted to send', { TRUSTED_PROXY_USER_HEADER: 'X-Remote-User' }, /^Invalid configuration: TRUSTED_PROXY_USER_HEADER: is set but TRUSTED_PROXY_IPS is empty/],
    ['the placeholder mirror', { MIRROR_URL: undefined }, /^Invalid configuration: MIRROR_URL: http:\/\/mirror\.example\.net\/ubuntu is a placeholder/],
    ['a mirror on an .invalid host', { MIRROR_URL: 'https://apt.mirror.invalid/ubuntu' }, /^Invalid configuration: MIRROR_URL: /],
    ['a mirror on a documentation address', { MIRROR_URL: 'http://203.0.113.7/ubuntu' }, /^Invalid configuration: MIRROR_URL: /],
    ['the placeholder monitoring addresses', { MONITOR_IPS: undefined }, /^Invalid configuration: MONITOR_IPS: 192\.0\.2\.245, 2001:db8::245 are placeholders/],
    ['one documentation address among real ones', { MONITOR_IPS: '192.168.10.5,198.51.100.1' }, /^Invalid configuration: MONITOR_IPS: 198\.51\.100\.1 is a placeholder/],
    ['the placeholder MX hosts', { MX_HOSTS: undefined }, /^Invalid configuration: MX_HOSTS: mx1\.porthole\.example, mx2\.porthole\.example/],
    ['an MX host under example.com', { MX_HOSTS: 'mx1.hosting.co.uk:10,backup.example.com:20' }, /^Invalid configuration: MX_HOSTS: backup\.example\.com is/],
    ['an MX host under .test', { MX_HOSTS: 'mx.portal.test:10' }, /^Invalid configuration: MX_HOSTS: /],
    ['the placeholder networks', { MX_PERMIT_NETWORKS: undefined }, /^Invalid configuration: MX_PERMIT_NETWORKS: 192\.0\.2\.0\/24, 198\.51\.100\.0\/24, 2001:db8::\/32/],
    ['a documentation resolver', { DNS_SERVERS: '[2001:db8::53]:53' }, /^Invalid configuration: DNS_SERVERS: /],
  ])('refuses %s, in one line', (_what, overrides, expected) => {
    const { errors, warnings } = findings(overrides);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(expected);
    expect(errors[0]).not.toContain('\n');
    expect(warnings).toEqual([]);
  });

  it('lists every problem at once', () => {
    const { errors } = findings({ LDAP_BIND_PASSWORD: undefined, DATABASE_URL: undefined, MIRROR_URL: undefined, MX_HOSTS: undefined });
    expect(errors.map((e) => e.split(':')[1]!.trim())).toEqual(['LDAP_BIND_PASSWORD', 'DATABASE_URL', 'MIRROR_URL', 'MX_HOSTS']);
  });

  it('accepts placeholder guide values that staff saved under /admin/settings', () => {
    const source = { ...REAL, MIRROR_URL: undefined, MX_HOSTS: undefined, MONITOR_IPS: undefined, MX_PERMIT_NETWORKS: undefined };
    const values = guideSettingsFromEnv(source);
    expect(findings(source, { values, sources: allFrom('staff') }).errors).toEqual([]);
    // Only the saved one is accepted; the env default beside it is still refused.
    const mixed = { ...allFrom('staff'), mxHosts: 'env' as const };
    expect(findings(source, { values, sources: mixed }).errors).toEqual([expect.stringMatching(/^Invalid configuration: MX_HOSTS: /)]);
  });

  it('turns demo values into warnings with PORTHOLE_ALLOW_DEMO_CONFIG=1, and says so in each line', () => {
    const { errors, warnings } = findings({ PORTHOLE_ALLOW_DEMO_CONFIG: '1', LDAP_BIND_PASSWORD: undefined, MIRROR_URL: undefined });
    expect(errors).toEqual([]);
    expect(warnings).toHaveLength(2);
    for (const w of warnings) expect(w).toMatch(/\(accepted: PORTHOLE_ALLOW_DEMO_CONFIG=1\)$/);
  });

  it('never lets the opt-in excuse a missing secret or an unguarded user header', () => {
    for (const value of ['1', 'true', 'yes']) {
      const { errors } = findings({ PORTHOLE_ALLOW_DEMO_CONFIG: value, NEXTAUTH_SECRET: undefined, TRUSTED_PROXY_USER_HEADER: 'X-Remote-User' });
      expect(errors.length).toBeGreaterThanOrEqual(2);
    }
    // Only the exact value 1 opts in.
    expect(findings({ PORTHOLE_ALLOW_DEMO_CONFIG: 'true', LDAP_BIND_PASSWORD: undefined }).errors).toHaveLength(1);
  });

  it('passes the test environment only through its explicit opt-in', async () => {
    const { TEST_ENV } = await import('../scripts/test-setup/test-env');
    const source: Record<string, string> = { ...TEST_ENV, NODE_ENV: 'production' };
    const guides = { values: guideSettingsFromEnv(source), sources: allFrom('env') };
    expect(productionFindings({ env: parseWebEnv(source as NodeJS.ProcessEnv), source, guides }).errors).toEqual([]);
    const { PORTHOLE_ALLOW_DEMO_CONFIG: _, ...without } = source;
    expect(productionFindings({ env: parseWebEnv(without as NodeJS.ProcessEnv), source: without, guides }).errors.length).toBeGreaterThan(3);
  });
});

describe('placeholders', () => {
  it.each(['192.0.2.1', '198.51.100.255', '203.0.113.0', '2001:db8::1', '2001:0db8:ffff::'])('%s is a documentation address', (ip) =>
    expect(isDocumentationAddress(ip)).toBe(true),
  );
  it.each(['192.0.3.1', '198.51.101.1', '10.0.0.1', '2001:db9::1', 'mirror'])('%s is not', (ip) => expect(isDocumentationAddress(ip)).toBe(false));
  it.each(['example.com', 'MX.Example.NET', 'a.example.org.', 'mx1.porthole.example', 'x.invalid', 'portal.test', 'localhost', '192.0.2.1'])(
    '%s is a placeholder host',
    (h) => expect(isPlaceholderHost(h)).toBe(true),
  );
  it.each(['mirror.hosting.co.uk', 'example.co.uk', 'myexample.com', 'testing.net', 'examples.org'])('%s is not', (h) => expect(isPlaceholderHost(h)).toBe(false));
});
