import { describe, expect, it } from 'vitest';
import { applyStoredSupportSettings, parseSupportForm, parseSupportSetting, supportContactLink, supportSettingsFromEnv } from './support';

describe('parseSupportSetting', () => {
  it('takes an email address or a web address for the contact, and empty as none', () => {
    expect(parseSupportSetting('supportContact', ' support@example.net ')).toEqual({ ok: true, value: 'support@example.net' });
    expect(parseSupportSetting('supportContact', 'mailto:help@example.net')).toEqual({ ok: true, value: 'help@example.net' });
    expect(parseSupportSetting('supportContact', 'https://help.example.net/ticket')).toEqual({ ok: true, value: 'https://help.example.net/ticket' });
    expect(parseSupportSetting('supportContact', '')).toEqual({ ok: true, value: null });
  });
  it('refuses other text, other schemes and credentials in the URL', () => {
    for (const bad of ['call us', 'javascript:alert(1)', 'ftp://x.example', 'https://u:p@x.example/']) expect(parseSupportSetting('supportContact', bad).ok).toBe(false);
    expect(parseSupportSetting('passwordResetUrl', 'support@example.net').ok).toBe(false);
    expect(parseSupportSetting('passwordResetUrl', 'https://id.example.net/reset')).toEqual({ ok: true, value: 'https://id.example.net/reset' });
  });
  it('reports every bad field at once', () => {
    const r = parseSupportForm({ supportContact: 'nope', passwordResetUrl: 'nope' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.error).sort()).toEqual(['passwordResetUrl', 'supportContact']);
  });
});

describe('applyStoredSupportSettings', () => {
  const env = supportSettingsFromEnv({ SUPPORT_CONTACT: 'env@example.net', PASSWORD_RESET_URL: 'not a url' });
  it('uses the env, reporting a bad env value', () => {
    expect(env.values).toEqual({ supportContact: 'env@example.net', passwordResetUrl: null });
    expect(env.problems[0]).toMatch(/^PASSWORD_RESET_URL/);
  });
  it('lets a stored value, also a cleared one, override the env; a bad stored one is reported', () => {
    const loaded = applyStoredSupportSettings(
      [
        { key: 'support.contact', value: '' },
        { key: 'support.password_reset_url', value: 'javascript:x' },
      ],
      env,
    );
    expect(loaded.values).toEqual({ supportContact: null, passwordResetUrl: null });
    expect(loaded.sources).toEqual({ supportContact: 'staff', passwordResetUrl: 'env' });
    expect(loaded.problems).toHaveLength(2);
  });
});

describe('supportContactLink', () => {
  it('makes a mailto or a web link', () => {
    expect(supportContactLink('support@example.net')).toEqual({ href: 'mailto:support@example.net', label: 'support@example.net', kind: 'email' });
    expect(supportContactLink('https://help.example.net/')).toEqual({ href: 'https://help.example.net/', label: 'help.example.net', kind: 'web' });
    expect(supportContactLink(null)).toBeNull();
  });
});
