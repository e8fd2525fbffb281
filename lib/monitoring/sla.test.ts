import { describe, expect, it } from 'vitest';
import { type StateChange, computeAvailability } from './availability';
import { DEFAULT_SLA_DEFINITION, describeSlaDefinition, parseSlaForm, slaBreakdown, slaClass, slaDefinitionFromStored } from './sla';
import type { MonitoringState } from './wire';

const H = 3_600_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const at = (h: number) => new Date(T0 + h * H);
const win = (fromH: number, toH: number) => ({ from: at(fromH), to: at(toH) });
const ch = (h: number, state: MonitoringState): StateChange => ({ at: at(h), state, stateType: 'HARD' });
const ms = (b: ReturnType<typeof slaBreakdown>, key: string) => b.entries.find((e) => e.key === key)?.ms;

describe('slaBreakdown', () => {
  it('counts a week of disk WARNING as degraded, not down: 100 % available by default', () => {
    const a = computeAvailability(win(0, 168), [], { state: 'WARNING', stateType: 'HARD' });
    expect(a.availabilityPctOfWindow).toBe(0); // the old figure read as an outage
    const b = slaBreakdown(a, 'service', DEFAULT_SLA_DEFINITION);
    expect(ms(b, 'WARNING')).toBe(168 * H);
    expect(b.slaPct).toBe(100);
    expect(b.downMs).toBe(0);
  });

  it('counts WARNING as down when staff say so', () => {
    const a = computeAvailability(win(0, 10), [ch(-1, 'OK'), ch(8, 'WARNING')], null);
    const b = slaBreakdown(a, 'service', { unknownIsDown: false, warningIsUp: false });
    expect(b.slaPct).toBe(80);
    expect(b.downMs).toBe(2 * H);
  });

  it('leaves the time before a service was first seen out: not monitored, not counted', () => {
    // Seen for the first time 1 hour before the end of a 120-hour window, OK since.
    const a = computeAvailability(win(0, 120), [ch(119, 'OK')], null);
    expect(a.availabilityPctOfWindow).toBeCloseTo(0.83, 1); // "0.84 % up" before
    const b = slaBreakdown(a, 'service', DEFAULT_SLA_DEFINITION);
    expect(ms(b, 'NOT_MONITORED')).toBe(119 * H);
    expect(ms(b, 'NO_DATA')).toBe(0);
    expect(b.countedMs).toBe(1 * H);
    expect(b.slaPct).toBe(100);
  });

  it('separates no data (a gap after the first sighting) from not monitored', () => {
    const a = computeAvailability(win(0, 10), [ch(2, 'OK'), ch(6, 'CRITICAL')], null, { gaps: [win(4, 5)] });
    const b = slaBreakdown(a, 'service', DEFAULT_SLA_DEFINITION);
    expect(ms(b, 'NOT_MONITORED')).toBe(2 * H);
    expect(ms(b, 'NO_DATA')).toBe(1 * H);
    expect(ms(b, 'OK')).toBe(3 * H);
    expect(ms(b, 'CRITICAL')).toBe(4 * H);
    expect(b.leftOutMs).toBe(3 * H);
    expect(b.slaPct).toBeCloseTo((3 / 7) * 100, 10);
  });

  it('has no figure when nothing is known (all no data)', () => {
    const b = slaBreakdown(computeAvailability(win(0, 10), [], null), 'service', DEFAULT_SLA_DEFINITION);
    expect(b.slaPct).toBeNull();
    expect(b.countedMs).toBe(0);
    expect(b.entries.map((e) => e.key)).toEqual(['OK', 'WARNING', 'CRITICAL', 'UNKNOWN', 'NO_DATA', 'NOT_MONITORED']);
  });

  it('leaves UNKNOWN out by default and counts it as down when staff say so', () => {
    const a = computeAvailability(win(0, 10), [ch(-1, 'OK'), ch(5, 'UNKNOWN'), ch(6, 'CRITICAL'), ch(7, 'OK')], null);
    expect(slaBreakdown(a, 'service', DEFAULT_SLA_DEFINITION).slaPct).toBeCloseTo((8 / 9) * 100, 10);
    expect(slaBreakdown(a, 'service', { unknownIsDown: true, warningIsUp: true }).slaPct).toBe(80);
  });

  it('gives hosts UP, DOWN and UNREACHABLE; UNREACHABLE goes with UNKNOWN', () => {
    const a = computeAvailability(win(0, 10), [ch(2, 'DOWN'), ch(3, 'UNREACHABLE'), ch(4, 'UP')], { state: 'UP' });
    const b = slaBreakdown(a, 'host', DEFAULT_SLA_DEFINITION);
    expect(b.entries.map((e) => [e.key, e.label, e.ms])).toEqual([
      ['UP', 'Up', 8 * H],
      ['DOWN', 'Down', 1 * H],
      ['UNREACHABLE', 'Unreachable', 1 * H],
      ['NO_DATA', 'No data', 0],
      ['NOT_MONITORED', 'Not monitored yet', 0],
    ]);
    expect(b.slaPct).toBeCloseTo((8 / 9) * 100, 10);
    expect(slaBreakdown(a, 'host', { unknownIsDown: true, warningIsUp: true }).slaPct).toBe(80);
  });

  it('always adds up: available + down + left out = period', () => {
    const a = computeAvailability(win(0, 24), [ch(3, 'WARNING'), ch(5, 'UNKNOWN'), ch(9, 'CRITICAL'), ch(12, 'OK')], null, { now: at(20) });
    for (const d of [DEFAULT_SLA_DEFINITION, { unknownIsDown: true, warningIsUp: false }]) {
      const b = slaBreakdown(a, 'service', d);
      expect(b.availableMs + b.downMs + b.leftOutMs).toBe(a.windowMs);
      expect(b.entries.reduce((s, e) => s + e.ms, 0)).toBe(a.windowMs);
    }
  });
});

describe('the definition', () => {
  it('classes states', () => {
    expect(slaClass('WARNING', DEFAULT_SLA_DEFINITION)).toBe('up');
    expect(slaClass('UNKNOWN', DEFAULT_SLA_DEFINITION)).toBe('left-out');
    expect(slaClass('CRITICAL', DEFAULT_SLA_DEFINITION)).toBe('down');
    expect(slaClass('DOWN', DEFAULT_SLA_DEFINITION)).toBe('down');
  });

  it('reads the staff form and rejects anything else', () => {
    expect(parseSlaForm({ down: 'critical-unknown', warning: 'down' })).toEqual({ ok: true, value: { unknownIsDown: true, warningIsUp: false } });
    expect(parseSlaForm({ down: 'critical', warning: 'up' })).toEqual({ ok: true, value: DEFAULT_SLA_DEFINITION });
    expect(parseSlaForm({ down: 'everything', warning: 'up' }).ok).toBe(false);
    expect(parseSlaForm({ down: 'critical' }).ok).toBe(false);
  });

  it('falls back to the default for a missing or hand-edited stored value', () => {
    expect(slaDefinitionFromStored(undefined)).toEqual({ definition: DEFAULT_SLA_DEFINITION, problem: null });
    expect(slaDefinitionFromStored({ unknownIsDown: true, warningIsUp: true }).definition).toEqual({ unknownIsDown: true, warningIsUp: true });
    const bad = slaDefinitionFromStored({ unknownIsDown: 'yes' });
    expect(bad.definition).toEqual(DEFAULT_SLA_DEFINITION);
    expect(bad.problem).toMatch(/invalid/);
  });

  it('says in plain words what counts', () => {
    expect(describeSlaDefinition(DEFAULT_SLA_DEFINITION)).toMatch(/Warning counts as available \(degraded, not down\)/);
    expect(describeSlaDefinition(DEFAULT_SLA_DEFINITION)).toMatch(/not monitored yet/);
    expect(describeSlaDefinition({ unknownIsDown: true, warningIsUp: false })).toMatch(/Critical, Unknown, Down and Unreachable count as down; a Warning counts as down/);
  });
});
