import { describe, expect, it } from 'vitest';
import { describeRule, ruleWarnings } from './describe';
import { defaultRule, parseRule, type Rule } from './rule';

const names = { vmNames: new Map([[7, 'web-01']]), contactLabels: new Map([[1, 'ops@acme']]) };
const rule = (over: Partial<Rule> = {}): Rule => ({ ...defaultRule(1), ...over });

describe('plain words', () => {
  it('reads like the issue example', () => {
    const text = describeRule(
      rule({
        vms: [7],
        hostEvents: false,
        triggers: ['CRITICAL'],
        forMinutes: 10,
        maxPerHour: 1,
        quiet: { windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '22:00', to: '07:00' }], action: 'hold' },
        timeZone: 'Europe/London',
      }),
      names,
    );
    expect(text).toBe(
      'Alert ops@acme when any service on web-01 is CRITICAL for 10 minutes; confirmed (HARD) states only; at most once an hour; not 22:00–07:00 every day Europe/London, held until then; in plain words.',
    );
  });
});

describe('never-matches warnings', () => {
  const ctx = { knownServices: ['Disk /', 'HTTP'], verifiedContactIds: [1] };
  it('is quiet for a sensible rule', () => {
    expect(ruleWarnings(rule(), ctx)).toEqual([]);
  });
  it('warns about rules that can never send', () => {
    expect(ruleWarnings(rule({ hostEvents: false, services: { mode: 'none' } }), ctx)).toContain('It watches neither the server nor any service, so it can never match.');
    expect(ruleWarnings(rule({ hostEvents: false, triggers: ['DOWN'] }), ctx)[0]).toMatch(/server events are off/);
    expect(ruleWarnings(rule({ services: { mode: 'pattern', pattern: 'Mail*' } }), ctx)[0]).toMatch(/No service of your VMs is named like "Mail\*"/);
    expect(ruleWarnings(rule({ services: { mode: 'chosen', names: ['SMTP'] } }), ctx)[0]).toMatch(/has ever reported/);
    expect(ruleWarnings(rule({ triggers: ['RECOVERY'] }), ctx)[0]).toMatch(/only reports recoveries/);
    expect(ruleWarnings(rule({ contactIds: [2] }), ctx)).toContain('None of its contacts is verified yet, so nothing will be sent.');
  });
});

describe('forecast triggers', () => {
  it('a rule can watch forecasts alone, and says so in plain words', () => {
    const rule: Rule = { ...defaultRule(1), triggers: [], forecast: { diskFullDays: 7, quotaOut: true } };
    expect(parseRule(rule).ok).toBe(true);
    expect(describeRule(rule, names)).toMatch(
      /^Alert ops@acme when a disk of any of your VMs would be full within 7 days or the month's transfer quota of any of your VMs will run out before the month ends;/,
    );
    expect(ruleWarnings({ ...rule, hostEvents: false, services: { mode: 'none' } }, { knownServices: [], verifiedContactIds: [1] })).toEqual([]);
  });

  it('states and forecasts together; nothing at all is refused', () => {
    expect(describeRule({ ...defaultRule(1), triggers: ['CRITICAL'], forecast: { diskFullDays: 1, quotaOut: false } }, names)).toContain('is CRITICAL or a disk of any of your VMs would be full within a day');
    for (const forecast of [null, { diskFullDays: null, quotaOut: false }]) {
      const parsed = parseRule({ ...defaultRule(1), triggers: [], forecast });
      expect(parsed.ok ? [] : parsed.error).toEqual(['triggers: choose at least one state to be told about, a forecast, or the mail checks']);
    }
    expect(parseRule({ ...defaultRule(1), forecast: { diskFullDays: 0, quotaOut: false } }).ok).toBe(false);
    // Rules stored before forecasts existed have no such field: they read as none.
    const { forecast: _omitted, ...old } = defaultRule(1);
    expect(parseRule(old)).toMatchObject({ ok: true, value: { forecast: null } });
  });
});

describe('mail-check triggers', () => {
  it('a rule can watch the mail checks alone; older rules read as not watching them', () => {
    const rule: Rule = { ...defaultRule(1), triggers: [], mailChecks: true };
    expect(parseRule(rule).ok).toBe(true);
    expect(describeRule(rule, names)).toMatch(/^Alert ops@acme when a check of your mail domains finds problems \(and when they are fixed\);/);
    expect(describeRule({ ...defaultRule(1), triggers: ['CRITICAL'], mailChecks: true }, names)).toContain('is CRITICAL or a check of your mail domains finds problems');
    const { mailChecks: _omitted, ...old } = defaultRule(1);
    expect(parseRule(old)).toMatchObject({ ok: true, value: { mailChecks: false } });
    expect(parseRule({ ...defaultRule(1), mailChecks: 'yes' }).ok).toBe(false);
  });
});
