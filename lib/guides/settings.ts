import { isIP } from 'node:net';
import { z } from 'zod';
import { parseEnv } from '../config/parse-env';
import { type Result, fail, ok } from '../result';
import { mxBackupSettingsSchema, type MxBackupSettingsInput } from './mx-backup';
import { aptSourcesSettingsSchema } from './sources-list';
import { cidrSchema, ipAddressSchema, splitList } from './net-schemas';

// The host's facts every guide is written from. Each has an env default (validated once) that staff
// can override in the `settings` table (read and written by lib/db/queries/settings.ts); the pure
// generators validate again, so both paths agree.

export const GUIDE_SETTING_KEYS = [
  'mirrorUrl',
  'mirrorSeries',
  'monitorIps',
  'mxHosts',
  'mxPermitNetworks',
  'dnsServers',
] as const;
export type GuideSettingKey = (typeof GUIDE_SETTING_KEYS)[number];

export interface MxHost {
  host: string;
  preference: number;
}

export interface GuideSettings {
  mirrorUrl: string;
  mirrorSeries: string[];
  monitorIps: string[];
  mxHosts: MxHost[];
  /** CIDR texts, canonical ("192.0.2.0/24"). */
  mxPermitNetworks: string[];
  /** "ip" or "ip:port" / "[ipv6]:port"; empty = the system's resolvers. */
  dnsServers: string[];
}

/** Env variable and settings-table key of each setting; the text form is what forms and env use. */
export const GUIDE_SETTINGS: Record<GuideSettingKey, { env: string; dbKey: string; label: string; help: string; defaultText: string }> = {
  mirrorUrl: {
    env: 'MIRROR_URL',
    dbKey: 'guide.mirror_url',
    label: 'Package mirror URL',
    help: 'The Ubuntu archive mirror customers point apt at.',
    defaultText: 'http://mirror.example.net/ubuntu',
  },
  mirrorSeries: {
    env: 'MIRROR_SERIES',
    dbKey: 'guide.mirror_series',
    label: 'Series the mirror carries',
    help: 'Release series names, comma-separated; other releases fall back to the official archive.',
    defaultText: 'focal,jammy,noble',
  },
  monitorIps: {
    env: 'MONITOR_IPS',
    dbKey: 'guide.monitor_ips',
    label: 'Monitoring servers',
    help: 'IPv4 and IPv6 addresses our Nagios pings from, comma-separated.',
    defaultText: '192.0.2.245,2001:db8::245',
  },
  mxHosts: {
    env: 'MX_HOSTS',
    dbKey: 'guide.mx_hosts',
    label: 'Backup MX hosts',
    help: 'host:preference pairs, comma-separated, e.g. mx1.example.net:20.',
    defaultText: 'mx1.porthole.example:20,mx2.porthole.example:30',
  },
  mxPermitNetworks: {
    env: 'MX_PERMIT_NETWORKS',
    dbKey: 'guide.mx_permit_networks',
    label: 'permit_mx_backup_networks',
    help: 'Networks (IPv4 and IPv6 CIDR) a customer’s primary MX must be inside, comma-separated.',
    defaultText: '192.0.2.0/24,198.51.100.0/24,2001:db8::/32',
  },
  dnsServers: {
    env: 'DNS_SERVERS',
    dbKey: 'guide.dns_servers',
    label: 'DNS servers for MX checks',
    help: 'Resolvers to ask (ip or ip:port, comma-separated); empty uses the system’s resolvers.',
    defaultText: '',
  },
};

const mirrorUrlSchema = aptSourcesSettingsSchema.shape.mirrorUrl;

const seriesListSchema = z
  .string()
  .transform(splitList)
  .pipe(aptSourcesSettingsSchema.shape.mirroredSeries.min(1, 'list at least one series, like jammy'))
  .transform((list) => [...new Set(list)]);

const ipListSchema = z
  .string()
  .transform(splitList)
  .pipe(z.array(ipAddressSchema).min(1, 'list at least one address, like 192.0.2.245'))
  .transform((list) => [...new Set(list)]);

const mxHostsSchema = z
  .string()
  .transform((text, ctx) => {
    const hosts: Array<{ host: string; preference: number }> = [];
    for (const item of splitList(text)) {
      const m = /^(.+):(\d{1,5})$/.exec(item);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not host:preference, like mx1.example.net:20` });
        return z.NEVER;
      }
      hosts.push({ host: m[1] ?? '', preference: Number(m[2]) });
    }
    return hosts;
  })
  .pipe(mxBackupSettingsSchema.shape.mxHosts)
  .superRefine((hosts, ctx) => {
    const names = hosts.map((h) => h.host);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) ctx.addIssue({ code: 'custom', message: `${dup} is listed twice` });
  });

const cidrListSchema = z
  .string()
  .transform(splitList)
  .pipe(z.array(cidrSchema).min(1, 'list at least one network, like 192.0.2.0/24'))
  .transform((list) => [...new Set(list.map((c) => c.text))]);

/** c-ares accepts "ip", "ip:port" and "[ipv6]:port". */
function isDnsServer(text: string): boolean {
  if (isIP(text) !== 0) return true;
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:]+):(\d{1,5})$/.exec(text);
  if (!m) return false;
  const port = Number(m[2]);
  return isIP(m[1] ?? '') !== 0 && port >= 1 && port <= 65535;
}

const dnsServersSchema = z
  .string()
  .transform(splitList)
  .pipe(z.array(z.string().refine(isDnsServer, 'must be an IP address, optionally with :port, like 127.0.0.1:53 or [2001:db8::53]:53')));

/** Parsers from the text form (env value or form field) to the stored value. */
export const guideSettingTextSchemas = {
  mirrorUrl: mirrorUrlSchema,
  mirrorSeries: seriesListSchema,
  monitorIps: ipListSchema,
  mxHosts: mxHostsSchema,
  mxPermitNetworks: cidrListSchema,
  dnsServers: dnsServersSchema,
} satisfies Record<GuideSettingKey, z.ZodType>;

const guideEnvSchema = z.object({
  MIRROR_URL: mirrorUrlSchema.default(GUIDE_SETTINGS.mirrorUrl.defaultText),
  MIRROR_SERIES: seriesListSchema.default(['focal', 'jammy', 'noble']),
  MONITOR_IPS: ipListSchema.default(['192.0.2.245', '2001:db8::245']),
  MX_HOSTS: mxHostsSchema.default([
    { host: 'mx1.porthole.example', preference: 20 },
    { host: 'mx2.porthole.example', preference: 30 },
  ]),
  MX_PERMIT_NETWORKS: cidrListSchema.default(['192.0.2.0/24', '198.51.100.0/24', '2001:db8::/32']),
  DNS_SERVERS: dnsServersSchema.default([]),
});

/** The env defaults; a bad value throws a ConfigError naming the variable. */
export function guideSettingsFromEnv(source: Record<string, string | undefined> = process.env): GuideSettings {
  const e = parseEnv(guideEnvSchema, source as NodeJS.ProcessEnv);
  return {
    mirrorUrl: e.MIRROR_URL,
    mirrorSeries: e.MIRROR_SERIES,
    monitorIps: e.MONITOR_IPS,
    mxHosts: e.MX_HOSTS,
    mxPermitNetworks: e.MX_PERMIT_NETWORKS,
    dnsServers: e.DNS_SERVERS,
  };
}

let envCache: GuideSettings | undefined;
/** The env defaults of this process, validated on first use. */
export function guideSettingDefaults(): GuideSettings {
  envCache ??= guideSettingsFromEnv();
  return envCache;
}

/** A setting as text again, for forms. */
export function settingToText(key: GuideSettingKey, s: GuideSettings): string {
  switch (key) {
    case 'mirrorUrl':
      return s.mirrorUrl;
    case 'mxHosts':
      return s.mxHosts.map((h) => `${h.host}:${h.preference}`).join(', ');
    default:
      return s[key].join(', ');
  }
}

/** The settings, or a message per field that is wrong (all of them at once). */
export type SettingsFormResult = Result<GuideSettings, Partial<Record<GuideSettingKey, string>>>;

/** Validates every field of the staff form at once, so all problems are shown together. */
export function parseGuideSettingsForm(input: Partial<Record<GuideSettingKey, string>>): SettingsFormResult {
  const errors: Partial<Record<GuideSettingKey, string>> = {};
  const values: Partial<Record<GuideSettingKey, unknown>> = {};
  for (const key of GUIDE_SETTING_KEYS) {
    const result = guideSettingTextSchemas[key].safeParse(input[key] ?? '');
    if (result.success) values[key] = result.data;
    else errors[key] = `${GUIDE_SETTINGS[key].label}: ${result.error.issues.map((i) => i.message).join('; ')}`;
  }
  if (Object.keys(errors).length > 0) return fail(errors);
  return ok(values as unknown as GuideSettings);
}

// Stored values are JSON of the parsed form; read back through the same schemas (as text) so a row
// edited by hand cannot slip past validation.
function storedToText(key: GuideSettingKey, value: unknown): string | null {
  if (key === 'mirrorUrl') return typeof value === 'string' ? value : null;
  if (key === 'mxHosts') {
    if (!Array.isArray(value)) return null;
    return value.map((h: { host?: unknown; preference?: unknown }) => `${String(h?.host)}:${String(h?.preference)}`).join(',');
  }
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join(',') : null;
}

export type SettingSource = 'env' | 'staff';

export interface LoadedGuideSettings {
  values: GuideSettings;
  sources: Record<GuideSettingKey, SettingSource>;
  updated: Partial<Record<GuideSettingKey, { at: Date; by: string | null }>>;
  /** Stored overrides that no longer validate (their env default is used instead). */
  problems: string[];
}

/** The settings-table keys of the guide settings. */
export const GUIDE_SETTING_DB_KEYS = GUIDE_SETTING_KEYS.map((k) => GUIDE_SETTINGS[k].dbKey);

/** A stored override as the settings table holds it. */
export interface StoredSetting {
  key: string;
  value: unknown;
  updatedAt: Date;
  updatedBy: string | null;
}

/** The defaults with the stored staff overrides on top; an override that no longer validates is reported, not used. */
export function applyStoredSettings(rows: readonly StoredSetting[], defaults: GuideSettings): LoadedGuideSettings {
  const values: GuideSettings = { ...defaults };
  const sources = Object.fromEntries(GUIDE_SETTING_KEYS.map((k) => [k, 'env'])) as Record<GuideSettingKey, SettingSource>;
  const updated: LoadedGuideSettings['updated'] = {};
  const problems: string[] = [];
  for (const key of GUIDE_SETTING_KEYS) {
    const row = rows.find((r) => r.key === GUIDE_SETTINGS[key].dbKey);
    if (!row) continue;
    const text = storedToText(key, row.value);
    const parsed = text === null ? null : guideSettingTextSchemas[key].safeParse(text);
    if (!parsed?.success) {
      problems.push(`The stored ${GUIDE_SETTINGS[key].label} is invalid; using the default from ${GUIDE_SETTINGS[key].env}.`);
      continue;
    }
    (values as unknown as Record<GuideSettingKey, unknown>)[key] = parsed.data;
    sources[key] = 'staff';
    updated[key] = { at: row.updatedAt, by: row.updatedBy };
  }
  return { values, sources, updated, problems };
}

/** The settings whose value differs between `current` and `next`, in form order. */
export function changedGuideSettings(current: GuideSettings, next: GuideSettings): GuideSettingKey[] {
  return GUIDE_SETTING_KEYS.filter((k) => JSON.stringify(current[k]) !== JSON.stringify(next[k]));
}

/** The shapes the pure generators take. */
export function mxBackupInput(s: GuideSettings): MxBackupSettingsInput {
  return { mxHosts: s.mxHosts, permitNetworks: s.mxPermitNetworks };
}
