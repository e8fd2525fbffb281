import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/parse-env';
import {
  GUIDE_SETTING_KEYS,
  guideSettingsFromEnv,
  parseGuideSettingsForm,
  settingToText,
  type GuideSettings,
} from './settings';

// The pure half of the guide settings; the stored overrides are in lib/db/queries/settings.int.test.ts.
const defaults = guideSettingsFromEnv({});

describe('guide settings from the environment', () => {
  it('has the documented defaults', () => {
    expect(defaults).toEqual({
      mirrorUrl: 'http://mirror.example.net/ubuntu',
      mirrorSeries: ['focal', 'jammy', 'noble'],
      monitorIps: ['192.0.2.245', '2001:db8::245'],
      mxHosts: [
        { host: 'mx1.porthole.example', preference: 20 },
        { host: 'mx2.porthole.example', preference: 30 },
      ],
      mxPermitNetworks: ['192.0.2.0/24', '198.51.100.0/24', '2001:db8::/32'],
      dnsServers: [],
    });
    // An empty variable counts as unset.
    expect(guideSettingsFromEnv({ MIRROR_URL: '' }).mirrorUrl).toBe('http://mirror.example.net/ubuntu');
  });

  it('reads and normalises the variables', () => {
    const s = guideSettingsFromEnv({
      MIRROR_URL: 'https://mirror.test/ubuntu/',
      MIRROR_SERIES: 'Jammy noble,jammy',
      MONITOR_IPS: '203.0.113.5',
      MX_HOSTS: 'MX.Example.test.:15',
      MX_PERMIT_NETWORKS: '203.0.113.0/24 2001:DB8::/32',
      DNS_SERVERS: '127.0.0.1:15353,[::1]:53,192.0.2.53',
    });
    expect(s).toEqual({
      mirrorUrl: 'https://mirror.test/ubuntu',
      mirrorSeries: ['jammy', 'noble'],
      monitorIps: ['203.0.113.5'],
      mxHosts: [{ host: 'mx.example.test', preference: 15 }],
      mxPermitNetworks: ['203.0.113.0/24', '2001:db8::/32'],
      dnsServers: ['127.0.0.1:15353', '[::1]:53', '192.0.2.53'],
    });
  });

  it.each([
    ['MIRROR_URL', 'ftp://mirror.test/ubuntu', /^Invalid configuration: MIRROR_URL: must be an http:\/\/ or https:\/\/ URL/],
    ['MIRROR_SERIES', 'Jammy Jellyfish!', /^Invalid configuration: MIRROR_SERIES\.\d: must be release series names/],
    ['MONITOR_IPS', '192.0.2.300', /^Invalid configuration: MONITOR_IPS\.0: "192\.0\.2\.300" is not an IPv4 or IPv6 address \(got "192\.0\.2\.300"\)$/],
    ['MX_HOSTS', 'mx1.example.test', /^Invalid configuration: MX_HOSTS: "mx1\.example\.test" is not host:preference/],
    ['MX_HOSTS', 'mx1.example.test:0', /^Invalid configuration: MX_HOSTS\.0\.preference: must be at least 1/],
    ['MX_PERMIT_NETWORKS', '192.0.2.0/33', /^Invalid configuration: MX_PERMIT_NETWORKS\.0: "192\.0\.2\.0\/33" is not a network in CIDR form/],
    ['DNS_SERVERS', 'dns.example.test', /^Invalid configuration: DNS_SERVERS\.0: must be an IP address, optionally with :port/],
  ])('rejects a bad %s with one line naming it', (name, value, message) => {
    expect(() => guideSettingsFromEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => guideSettingsFromEnv({ [name]: value })).toThrow(message);
  });
});

describe('the staff form', () => {
  const next: GuideSettings = {
    ...defaults,
    mirrorUrl: 'http://mirror.override.test/ubuntu',
    mxHosts: [{ host: 'mx9.override.test', preference: 40 }],
  };

  it('validates the staff form field by field and accepts its own text form back', () => {
    const text = Object.fromEntries(GUIDE_SETTING_KEYS.map((k) => [k, settingToText(k, next)]));
    expect(parseGuideSettingsForm(text)).toEqual({ ok: true, value: next });
    const bad = parseGuideSettingsForm({ ...text, monitorIps: '', mxHosts: 'mx1.test:20, mx1.test:30' });
    expect(bad).toEqual({
      ok: false,
      error: {
        monitorIps: 'Monitoring servers: list at least one address, like 192.0.2.245',
        mxHosts: 'Backup MX hosts: mx1.test is listed twice',
      },
    });
  });
});
