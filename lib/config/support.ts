import { type Result, fail, ok } from '../result';

// How customers reach support, and where the directory lets them reset a password: two staff settings
// (/admin/settings, stored in the settings table by lib/db/queries/support-settings.ts) with env defaults
// SUPPORT_CONTACT and PASSWORD_RESET_URL. Pure: the pages and the login page read them through the query.

export const SUPPORT_SETTING_KEYS = ['supportContact', 'passwordResetUrl'] as const;
export type SupportSettingKey = (typeof SUPPORT_SETTING_KEYS)[number];

export interface SupportSettings {
  /** An email address or an http(s) URL; null = not configured. */
  supportContact: string | null;
  /** The directory's own password reset page (http(s)); null = no "Forgot your password?" link. */
  passwordResetUrl: string | null;
}

export const SUPPORT_SETTINGS: Record<SupportSettingKey, { env: string; dbKey: string; label: string; help: string }> = {
  supportContact: {
    env: 'SUPPORT_CONTACT',
    dbKey: 'support.contact',
    label: 'Support contact',
    help: 'An email address or a web page (https://…) customers are sent to when something is wrong; empty shows no contact.',
  },
  passwordResetUrl: {
    env: 'PASSWORD_RESET_URL',
    dbKey: 'support.password_reset_url',
    label: 'Password reset page',
    help: 'The directory’s own page for a forgotten password (https://…); the login page links to it. Empty shows no link.',
  },
};

export const SUPPORT_SETTING_DB_KEYS = SUPPORT_SETTING_KEYS.map((k) => SUPPORT_SETTINGS[k].dbKey);

const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

function httpUrl(text: string): string | null {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '' && url.username === '' && url.password === '' ? url.href : null;
  } catch {
    return null;
  }
}

/** Text form → stored value: '' is null, otherwise an email address (contact only) or an http(s) URL. */
export function parseSupportSetting(key: SupportSettingKey, raw: string): Result<string | null, string> {
  const text = raw.trim();
  if (text === '') return ok(null);
  if (text.length > 500) return fail('is longer than 500 characters');
  const bare = text.replace(/^mailto:/i, '');
  if (key === 'supportContact' && EMAIL.test(bare)) return ok(bare);
  const url = httpUrl(text);
  if (url) return ok(url);
  return fail(key === 'supportContact' ? 'must be an email address (support@example.net) or a web address (https://…)' : 'must be a web address (https://…)');
}

/** Every field at once, so the form shows all problems together. */
export function parseSupportForm(input: Partial<Record<SupportSettingKey, string>>): Result<SupportSettings, Partial<Record<SupportSettingKey, string>>> {
  const errors: Partial<Record<SupportSettingKey, string>> = {};
  const values: SupportSettings = { supportContact: null, passwordResetUrl: null };
  for (const key of SUPPORT_SETTING_KEYS) {
    const r = parseSupportSetting(key, input[key] ?? '');
    if (r.ok) values[key] = r.value;
    else errors[key] = `${SUPPORT_SETTINGS[key].label} ${r.error}.`;
  }
  return Object.keys(errors).length > 0 ? fail(errors) : ok(values);
}

/** The env defaults; a value that does not parse is ignored (reported by `problems`). */
export function supportSettingsFromEnv(source: Record<string, string | undefined> = process.env): { values: SupportSettings; problems: string[] } {
  const values: SupportSettings = { supportContact: null, passwordResetUrl: null };
  const problems: string[] = [];
  for (const key of SUPPORT_SETTING_KEYS) {
    const r = parseSupportSetting(key, source[SUPPORT_SETTINGS[key].env] ?? '');
    if (r.ok) values[key] = r.value;
    else problems.push(`${SUPPORT_SETTINGS[key].env} ${r.error}; it is not used.`);
  }
  return { values, problems };
}

export interface LoadedSupportSettings {
  values: SupportSettings;
  sources: Record<SupportSettingKey, 'env' | 'staff'>;
  problems: string[];
}

/**
 * The env defaults with the stored rows on top. A stored null (staff cleared it) overrides the env; a
 * stored value that no longer parses is reported and the default is used.
 */
export function applyStoredSupportSettings(rows: ReadonlyArray<{ key: string; value: unknown }>, env: { values: SupportSettings; problems: string[] }): LoadedSupportSettings {
  const values = { ...env.values };
  const sources: LoadedSupportSettings['sources'] = { supportContact: 'env', passwordResetUrl: 'env' };
  const problems = [...env.problems];
  for (const key of SUPPORT_SETTING_KEYS) {
    const row = rows.find((r) => r.key === SUPPORT_SETTINGS[key].dbKey);
    if (!row) continue;
    const r = row.value === null ? ok(null) : typeof row.value === 'string' ? parseSupportSetting(key, row.value) : fail('is not text');
    if (!r.ok) {
      problems.push(`The stored ${SUPPORT_SETTINGS[key].label} ${r.error}; using the default from ${SUPPORT_SETTINGS[key].env}.`);
      continue;
    }
    values[key] = r.value;
    sources[key] = 'staff';
  }
  return { values, sources, problems };
}

export interface SupportContact {
  href: string;
  /** What the link reads: the address itself, or the page's host and path. */
  label: string;
  kind: 'email' | 'web';
}

/** A configured contact as a link; null when none is set. */
export function supportContactLink(contact: string | null): SupportContact | null {
  if (!contact) return null;
  if (EMAIL.test(contact)) return { href: `mailto:${contact}`, label: contact, kind: 'email' };
  const url = httpUrl(contact);
  if (!url) return null;
  const u = new URL(url);
  return { href: url, label: `${u.host}${u.pathname === '/' ? '' : u.pathname}`, kind: 'web' };
}
