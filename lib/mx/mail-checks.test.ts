import { describe, expect, it } from 'vitest';
import { mailCheckChange, mailCheckLine, mailCheckScheduleMinutes } from './mail-checks';

const env = (values: Record<string, string>) => values as NodeJS.ProcessEnv;

describe('mailCheckScheduleMinutes', () => {
  it('is 360 by default, 0 turns it off, and a bad value names the variable', () => {
    expect(mailCheckScheduleMinutes(env({}))).toBe(360);
    expect(mailCheckScheduleMinutes(env({ MAIL_CHECK_INTERVAL_MINUTES: '' }))).toBe(360);
    expect(mailCheckScheduleMinutes(env({ MAIL_CHECK_INTERVAL_MINUTES: '0' }))).toBe(0);
    expect(mailCheckScheduleMinutes(env({ MAIL_CHECK_INTERVAL_MINUTES: '15' }))).toBe(15);
    expect(() => mailCheckScheduleMinutes(env({ MAIL_CHECK_INTERVAL_MINUTES: '-1' }))).toThrow(/MAIL_CHECK_INTERVAL_MINUTES/);
    expect(() => mailCheckScheduleMinutes(env({ MAIL_CHECK_INTERVAL_MINUTES: 'hourly' }))).toThrow(/MAIL_CHECK_INTERVAL_MINUTES/);
  });
});

describe('mailCheckChange', () => {
  it('calls only OK → problems "failing"', () => {
    expect(mailCheckChange(null, false)).toBe('first');
    expect(mailCheckChange(null, true)).toBe('first');
    expect(mailCheckChange(true, true)).toBe('still-ok');
    expect(mailCheckChange(true, false)).toBe('failing');
    expect(mailCheckChange(false, false)).toBe('still-failing');
    expect(mailCheckChange(false, true)).toBe('recovered');
  });
});

describe('mailCheckLine', () => {
  const domain = { accountId: 7, domain: 'acme.example' };
  it('names the failed checks and what changed', () => {
    const checks = [
      { id: 'mx-records' as const, ok: true, message: '', fix: null },
      { id: 'primary-in-network' as const, ok: false, message: '', fix: 'x' },
    ];
    expect(mailCheckLine(domain, { ok: false, checks }, 'failing')).toBe('account 7 acme.example: PROBLEMS (primary-in-network), was OK');
    expect(mailCheckLine(domain, { ok: true, checks: [] }, 'recovered')).toBe('account 7 acme.example: OK, was failing');
    expect(mailCheckLine(domain, { ok: true, checks: [] }, 'still-ok')).toBe('account 7 acme.example: OK');
  });
});
