import { describe, expect, it } from 'vitest';
import { type AlertEvent, type DecisionContext, decide, globMatches, matchRule } from './decide';
import { defaultRule, parseRule, type Rule } from './rule';

const rule = (over: Partial<Rule> = {}): Rule => ({ ...defaultRule(1), ...over });
const NOW = new Date('2026-12-02T12:00:00Z');
const ev = (over: Partial<AlertEvent> = {}): AlertEvent => ({
  eventId: 1,
  vmId: 7,
  vmName: 'web-01',
  kind: 'service',
  service: 'Disk /',
  state: 'CRITICAL',
  stateType: 'HARD',
  attempt: 3,
  maxAttempts: 3,
  occurredAt: NOW,
  output: 'DISK CRITICAL - free space: / 1 GB',
  perfdata: null,
  nagiosHostName: 'acme-web-01',
  address: '10.0.0.5',
  ...over,
});
const ctx = (over: Partial<DecisionContext> = {}): DecisionContext => ({
  now: NOW,
  hostState: 'UP',
  inMaintenance: false,
  sentLastHour: 0,
  lastNotifiedState: null,
  contactVerified: true,
  ...over,
});

describe('matching', () => {
  it('VMs, host events, services (all, chosen, pattern), HARD only and triggers', () => {
    expect(matchRule(rule(), ev()).ok).toBe(true);
    expect(matchRule(rule({ vms: [8] }), ev()).ok).toBe(false);
    expect(matchRule(rule({ vms: [7] }), ev()).ok).toBe(true);
    expect(matchRule(rule({ hostEvents: false }), ev({ kind: 'host', service: '', state: 'DOWN' })).ok).toBe(false);
    expect(matchRule(rule({ services: { mode: 'none' } }), ev()).ok).toBe(false);
    expect(matchRule(rule({ services: { mode: 'chosen', names: ['HTTP'] } }), ev()).ok).toBe(false);
    expect(matchRule(rule({ services: { mode: 'pattern', pattern: 'disk *' } }), ev()).ok).toBe(true);
    expect(matchRule(rule(), ev({ stateType: 'SOFT' })).ok).toBe(false);
    expect(matchRule(rule({ hardOnly: false }), ev({ stateType: 'SOFT' })).ok).toBe(true);
    expect(matchRule(rule({ triggers: ['WARNING'] }), ev()).ok).toBe(false);
    expect(matchRule(rule({ triggers: ['RECOVERY'] }), ev({ state: 'OK' })).ok).toBe(true);
    expect(matchRule(rule({ enabled: false }), ev()).ok).toBe(false);
  });

  it('glob patterns match whole names, * and ? only, other characters literally', () => {
    expect(globMatches('Disk ?', 'Disk /')).toBe(true);
    expect(globMatches('Disk', 'Disk /')).toBe(false);
    expect(globMatches('a.c', 'abc')).toBe(false);
    expect(globMatches('(x)*', '(x) y')).toBe(true);
  });

  it('says why a rule did not match', () => {
    const why = matchRule(rule({ services: { mode: 'chosen', names: ['HTTP'] } }), ev());
    expect(why).toEqual({ ok: false, error: "Disk / is not one of the rule's services." });
  });
});

describe('decisions', () => {
  it('sends a matching event to a verified contact', () => {
    expect(decide(rule(), ev(), ctx())).toEqual({ status: 'pending', reason: 'send' });
  });

  it('suppresses: not verified, maintenance, inhibited by the host, duplicate, throttled, recovery of nothing notified', () => {
    expect(decide(rule(), ev(), ctx({ contactVerified: false }))).toMatchObject({ status: 'suppressed', reason: 'not-verified' });
    expect(decide(rule(), ev(), ctx({ inMaintenance: true }))).toMatchObject({ status: 'suppressed', reason: 'maintenance' });
    expect(decide(rule(), ev(), ctx({ hostState: 'DOWN' }))).toMatchObject({ status: 'suppressed', reason: 'inhibited' });
    expect(decide(rule(), ev(), ctx({ hostState: 'UNREACHABLE' }))).toMatchObject({ status: 'suppressed', reason: 'inhibited' });
    expect(decide(rule(), ev({ kind: 'host', service: '', state: 'DOWN' }), ctx({ hostState: 'DOWN' }))).toEqual({ status: 'pending', reason: 'send' });
    expect(decide(rule(), ev(), ctx({ lastNotifiedState: 'CRITICAL' }))).toMatchObject({ status: 'suppressed', reason: 'duplicate' });
    expect(decide(rule({ maxPerHour: 3 }), ev(), ctx({ sentLastHour: 3 }))).toMatchObject({ status: 'suppressed', reason: 'throttled' });
    expect(decide(rule({ maxPerHour: 3 }), ev(), ctx({ sentLastHour: 2 }))).toMatchObject({ status: 'pending' });
    expect(decide(rule(), ev({ state: 'OK' }), ctx())).toMatchObject({ status: 'suppressed', reason: 'recovery-not-notified' });
    expect(decide(rule(), ev({ state: 'OK' }), ctx({ lastNotifiedState: 'CRITICAL' }))).toEqual({ status: 'pending', reason: 'send' });
  });

  it('"for N minutes" waits from when the state began; recoveries never wait', () => {
    expect(decide(rule({ forMinutes: 10 }), ev({ occurredAt: new Date(NOW.getTime() - 4 * 60_000) }), ctx())).toEqual({
      status: 'waiting',
      reason: 'for-minutes',
      dueAt: new Date('2026-12-02T12:06:00Z'),
    });
    expect(decide(rule({ forMinutes: 10 }), ev({ state: 'OK' }), ctx({ lastNotifiedState: 'CRITICAL' }))).toMatchObject({ status: 'pending' });
  });

  it('quiet hours: hold until the end, drop, or let only CRITICAL/DOWN through', () => {
    const windows = [{ days: ['wed' as const], from: '11:00', to: '13:00' }];
    expect(decide(rule({ quiet: { windows, action: 'hold' } }), ev(), ctx())).toEqual({ status: 'held', reason: 'quiet-hours', dueAt: new Date('2026-12-02T13:00:00Z') });
    expect(decide(rule({ quiet: { windows, action: 'drop' } }), ev(), ctx())).toMatchObject({ status: 'suppressed', reason: 'quiet-hours' });
    expect(decide(rule({ quiet: { windows, action: 'urgent-only' } }), ev(), ctx())).toMatchObject({ status: 'pending' });
    expect(decide(rule({ quiet: { windows, action: 'urgent-only' } }), ev({ state: 'WARNING' }), ctx())).toMatchObject({ status: 'suppressed', reason: 'quiet-hours' });
    expect(decide(rule({ quiet: { windows, action: 'hold' }, timeZone: 'America/New_York' }), ev(), ctx())).toMatchObject({ status: 'pending' });
  });

  it('digests and groups collect messages until their time', () => {
    expect(decide(rule({ digest: { every: 'daily', at: '08:00' } }), ev(), ctx())).toMatchObject({ status: 'digested', dueAt: new Date('2026-12-03T08:00:00Z') });
    expect(decide(rule({ groupMinutes: 5 }), ev(), ctx())).toMatchObject({ status: 'grouped', dueAt: new Date('2026-12-02T12:05:00Z') });
  });
});

describe('parsing', () => {
  it('says every problem with its field; a good rule parses', () => {
    expect(parseRule(defaultRule(3)).ok).toBe(true);
    const bad = parseRule({ ...defaultRule(3), name: '', triggers: [], timeZone: 'Mars/Olympus', contactIds: [], quiet: { windows: [{ days: ['mon'], from: '25:00', to: '07:00' }], action: 'hold' } });
    expect(bad.ok).toBe(false);
    const problems = bad.ok ? [] : bad.error;
    expect(problems).toEqual(
      expect.arrayContaining([
        'name: give the rule a name',
        'triggers: choose at least one state to be told about, a forecast, or the mail checks',
        'timeZone: must be a time zone like Europe/London',
        'contactIds: choose at least one contact',
        'quiet.windows.0.from: must be a time like 07:30 (24-hour clock)',
      ]),
    );
    expect(parseRule('rule').ok).toBe(false);
    expect(parseRule({ ...defaultRule(3), vms: [0] }).ok).toBe(false);
  });
});
