import { describe, it, expect } from 'vitest';
import { computeAvailability } from './availability';
import type { StateChange } from './availability';
import type { MonitoringState, StateType } from './wire';

const H = 3_600_000;
const T0 = Date.parse('2024-03-01T00:00:00Z');
const at = (hours: number) => new Date(T0 + hours * H);
const win = (fromH: number, toH: number) => ({ from: at(fromH), to: at(toH) });
const ch = (hours: number, state: MonitoringState, stateType: StateType = 'HARD'): StateChange => ({
  at: at(hours),
  state,
  stateType,
});

describe('computeAvailability', () => {
  it('applies the prior state to a window with no events', () => {
    const a = computeAvailability(win(0, 10), [], { state: 'OK', stateType: 'HARD' });
    expect(a.windowMs).toBe(10 * H);
    expect(a.states).toEqual({ OK: { ms: 10 * H, pctOfKnown: 100, pctOfWindow: 100 } });
    expect(a.noDataMs).toBe(0);
    expect(a.availabilityPct).toBe(100);
    expect(a.availabilityPctOfWindow).toBe(100);
  });

  it('reports all no data when there are no events and no prior state', () => {
    const a = computeAvailability(win(0, 10), [], null);
    expect(a.states).toEqual({});
    expect(a.noDataMs).toBe(10 * H);
    expect(a.knownMs).toBe(0);
    expect(a.noDataPct).toBe(100);
    expect(a.availabilityPct).toBeNull();
    expect(a.availabilityPctOfWindow).toBe(0);
  });

  it('counts a state that began before the window from the window start', () => {
    const a = computeAvailability(win(0, 10), [ch(-5, 'CRITICAL'), ch(4, 'OK')], null);
    expect(a.states.CRITICAL?.ms).toBe(4 * H);
    expect(a.states.OK?.ms).toBe(6 * H);
    expect(a.availabilityPct).toBe(60);
  });

  it('splits host time between UP, DOWN and UNREACHABLE', () => {
    const a = computeAvailability(win(0, 8), [ch(2, 'DOWN'), ch(3, 'UNREACHABLE'), ch(4, 'UP')], { state: 'UP' });
    expect(a.states).toEqual({
      UP: { ms: 6 * H, pctOfKnown: 75, pctOfWindow: 75 },
      DOWN: { ms: 1 * H, pctOfKnown: 12.5, pctOfWindow: 12.5 },
      UNREACHABLE: { ms: 1 * H, pctOfKnown: 12.5, pctOfWindow: 12.5 },
    });
    expect(a.upMs).toBe(6 * H);
  });

  it('treats no-data time before the first state as not up over the whole window', () => {
    const a = computeAvailability(win(0, 10), [ch(5, 'OK')], null);
    expect(a.noDataMs).toBe(5 * H);
    expect(a.availabilityPct).toBe(100);
    expect(a.availabilityPctOfWindow).toBe(50);
    expect(a.states.OK?.pctOfKnown).toBe(100);
    expect(a.states.OK?.pctOfWindow).toBe(50);
  });

  it('does not count WARNING or UNKNOWN as up', () => {
    const a = computeAvailability(win(0, 4), [ch(0, 'OK'), ch(1, 'WARNING'), ch(2, 'UNKNOWN'), ch(3, 'OK')], null);
    expect(a.availabilityPct).toBe(50);
  });

  describe('SOFT states', () => {
    const flapping = [ch(2, 'CRITICAL', 'SOFT'), ch(2.5, 'OK', 'SOFT'), ch(6, 'WARNING', 'SOFT'), ch(7, 'OK', 'HARD')];

    it('ignores SOFT flapping that never went HARD by default', () => {
      const a = computeAvailability(win(0, 10), flapping, { state: 'OK', stateType: 'HARD' });
      expect(a.states).toEqual({ OK: { ms: 10 * H, pctOfKnown: 100, pctOfWindow: 100 } });
    });

    it('counts SOFT states at face value with hardOnly: false', () => {
      const a = computeAvailability(win(0, 10), flapping, { state: 'OK' }, { hardOnly: false });
      expect(a.states.CRITICAL?.ms).toBe(0.5 * H);
      expect(a.states.WARNING?.ms).toBe(1 * H);
      expect(a.states.OK?.ms).toBe(8.5 * H);
    });

    it('counts the HARD state once retries confirm it', () => {
      const changes = [ch(1, 'CRITICAL', 'SOFT'), ch(1.5, 'CRITICAL', 'SOFT'), ch(2, 'CRITICAL', 'HARD'), ch(5, 'OK')];
      const a = computeAvailability(win(0, 10), changes, { state: 'OK' });
      expect(a.states.CRITICAL?.ms).toBe(3 * H);
      expect(a.states.OK?.ms).toBe(7 * H);
    });

    it('takes a SOFT problem as proof of a hard up state when nothing is known yet', () => {
      const a = computeAvailability(win(0, 10), [ch(4, 'CRITICAL', 'SOFT')], null);
      expect(a.noDataMs).toBe(4 * H);
      expect(a.states.OK?.ms).toBe(6 * H);
      const host = computeAvailability(win(0, 10), [], { state: 'DOWN', stateType: 'SOFT' });
      expect(host.states).toEqual({ UP: { ms: 10 * H, pctOfKnown: 100, pctOfWindow: 100 } });
    });

    it('does not let a SOFT problem override a known HARD problem', () => {
      const a = computeAvailability(win(0, 10), [ch(1, 'CRITICAL'), ch(2, 'WARNING', 'SOFT')], null);
      expect(a.states.CRITICAL?.ms).toBe(9 * H);
    });

    it('counts a recovery even when it is marked SOFT', () => {
      const a = computeAvailability(win(0, 10), [ch(2, 'CRITICAL'), ch(4, 'OK', 'SOFT')], { state: 'OK' });
      expect(a.states.CRITICAL?.ms).toBe(2 * H);
      expect(a.states.OK?.ms).toBe(8 * H);
    });
  });

  describe('gaps (monitoring down)', () => {
    it('counts gap time as no data and resumes the state after the gap', () => {
      const a = computeAvailability(win(0, 10), [], { state: 'OK' }, { gaps: [win(2, 5)] });
      expect(a.noDataMs).toBe(3 * H);
      expect(a.states.OK?.ms).toBe(7 * H);
      expect(a.availabilityPct).toBe(100);
      expect(a.availabilityPctOfWindow).toBe(70);
    });

    it('applies changes that happen inside a gap afterwards', () => {
      const a = computeAvailability(win(0, 10), [ch(3, 'CRITICAL')], { state: 'OK' }, { gaps: [win(2, 5)] });
      expect(a.states.OK?.ms).toBe(2 * H);
      expect(a.states.CRITICAL?.ms).toBe(5 * H);
      expect(a.noDataMs).toBe(3 * H);
    });

    it('merges overlapping gaps and clips them to the window', () => {
      const a = computeAvailability(win(0, 10), [], { state: 'OK' }, { gaps: [win(-5, 1), win(4, 6), win(5, 7), win(9, 20)] });
      expect(a.noDataMs).toBe((1 + 3 + 1) * H);
      expect(a.states.OK?.ms).toBe(5 * H);
    });

    it('does not double count a gap over a no-data stretch', () => {
      const a = computeAvailability(win(0, 10), [ch(4, 'OK')], null, { gaps: [win(2, 6)] });
      expect(a.noDataMs).toBe(6 * H);
      expect(a.states.OK?.ms).toBe(4 * H);
    });
  });

  describe('now and the window edges', () => {
    it('excludes the future part of a window', () => {
      const a = computeAvailability(win(0, 24), [ch(2, 'CRITICAL'), ch(20, 'OK')], { state: 'OK' }, { now: at(6) });
      expect(a.to).toEqual(at(6));
      expect(a.windowMs).toBe(6 * H);
      expect(a.excludedFutureMs).toBe(18 * H);
      expect(a.noDataMs).toBe(0);
      expect(a.states).toEqual({
        OK: { ms: 2 * H, pctOfKnown: (2 / 6) * 100, pctOfWindow: (2 / 6) * 100 },
        CRITICAL: { ms: 4 * H, pctOfKnown: (4 / 6) * 100, pctOfWindow: (4 / 6) * 100 },
      });
    });

    it('handles a window ending exactly now', () => {
      const a = computeAvailability(win(0, 6), [ch(3, 'WARNING')], { state: 'OK' }, { now: at(6) });
      expect(a.windowMs).toBe(6 * H);
      expect(a.excludedFutureMs).toBe(0);
      expect(a.availabilityPct).toBe(50);
    });

    it('returns an empty result for a window entirely in the future', () => {
      const a = computeAvailability(win(10, 20), [], { state: 'OK' }, { now: at(5) });
      expect(a.windowMs).toBe(0);
      expect(a.excludedFutureMs).toBe(10 * H);
      expect(a.availabilityPct).toBeNull();
      expect(a.availabilityPctOfWindow).toBeNull();
    });

    it('returns zeros and nulls for an empty window', () => {
      for (const w of [win(5, 5), win(5, 4)]) {
        const a = computeAvailability(w, [ch(5, 'CRITICAL')], { state: 'OK' });
        expect(a).toMatchObject({ windowMs: 0, noDataMs: 0, knownMs: 0, upMs: 0, states: {}, excludedFutureMs: 0 });
        expect(a.availabilityPct).toBeNull();
        expect(a.noDataPct).toBeNull();
      }
    });

    it('ignores changes at or after the end of the window', () => {
      const a = computeAvailability(win(0, 10), [ch(10, 'CRITICAL'), ch(12, 'UNKNOWN')], { state: 'OK' });
      expect(a.states).toEqual({ OK: { ms: 10 * H, pctOfKnown: 100, pctOfWindow: 100 } });
    });

    it('applies a change exactly at the window start from the start', () => {
      const a = computeAvailability(win(0, 10), [ch(0, 'CRITICAL')], { state: 'OK' });
      expect(a.states).toEqual({ CRITICAL: { ms: 10 * H, pctOfKnown: 100, pctOfWindow: 100 } });
    });

    it('lets a change before the window in the list override the prior state', () => {
      const a = computeAvailability(win(0, 10), [ch(-1, 'CRITICAL')], { state: 'OK' });
      expect(a.states.CRITICAL?.ms).toBe(10 * H);
    });

    it('throws a RangeError for an invalid window date', () => {
      expect(() => computeAvailability({ from: new Date('nope'), to: at(1) }, [], null)).toThrow(RangeError);
    });
  });

  it('sorts events that arrive out of order, keeping input order for ties', () => {
    const ordered = [ch(1, 'CRITICAL'), ch(3, 'OK'), ch(6, 'WARNING'), ch(8, 'OK')];
    const shuffled = [ordered[2], ordered[0], ordered[3], ordered[1]] as StateChange[];
    const a = computeAvailability(win(0, 10), ordered, { state: 'OK' });
    const b = computeAvailability(win(0, 10), shuffled, { state: 'OK' });
    expect(b).toEqual(a);
    expect(b.states.CRITICAL?.ms).toBe(2 * H);

    const ties = computeAvailability(win(0, 10), [ch(5, 'CRITICAL'), ch(5, 'WARNING')], { state: 'OK' });
    expect(ties.states.WARNING?.ms).toBe(5 * H);
    expect(ties.states.CRITICAL).toBeUndefined();
  });

  it('skips changes with invalid dates', () => {
    const bad = { at: new Date('nope'), state: 'CRITICAL', stateType: 'HARD' } as StateChange;
    const a = computeAvailability(win(0, 10), [bad], { state: 'OK' });
    expect(a.states.OK?.ms).toBe(10 * H);
  });

  it('always adds up: known + no data = window', () => {
    const changes = [ch(0.5, 'WARNING'), ch(1.25, 'OK', 'SOFT'), ch(3, 'CRITICAL', 'SOFT'), ch(4, 'CRITICAL'), ch(9, 'OK')];
    const a = computeAvailability(win(0, 12), changes, null, { gaps: [win(2, 4.5)], now: at(11) });
    const sum = Object.values(a.states).reduce((s, x) => s + (x?.ms ?? 0), 0);
    expect(sum).toBe(a.knownMs);
    expect(a.knownMs + a.noDataMs).toBe(a.windowMs);
    expect(a.windowMs + a.excludedFutureMs).toBe(12 * H);
  });
});
