import { describe, expect, it } from 'vitest';
import { describeRule, ruleWarnings } from './describe';
import { defaultRule, type Rule } from './rule';

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
