import { describe, expect, it } from 'vitest';
import { type StateChange, computeAvailability } from '../monitoring/availability';
import { availabilityFor } from './availability';

const H = 3_600_000;
const NOW = Date.parse('2026-12-04T12:00:00Z');
const STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;

/** A month of changes, a deterministic pseudo-random walk (some SOFT, some at the same instant). */
function month(seed: number): StateChange[] {
  let x = seed;
  const rand = () => ((x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const changes: StateChange[] = [];
  let t = NOW - 31 * 24 * H;
  while (t < NOW) {
    t += Math.floor(rand() * 6 * H) * (rand() < 0.1 ? 0 : 1);
    changes.push({ at: new Date(t), state: STATES[Math.floor(rand() * 4)]!, stateType: rand() < 0.3 ? 'SOFT' : 'HARD' });
  }
  return changes;
}

describe('availabilityFor', () => {
  const windows = [1, 7, 30].map((days) => ({ from: new Date(NOW - days * 24 * H), to: new Date(NOW) }));

  it('gives each window what computeAvailability gives it over the whole history', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const all = month(seed);
      const prior = { state: 'OK' as const, stateType: 'HARD' as const };
      for (const hardOnly of [true, false]) {
        // As loadStateHistory and the cache give it: with hardOnly, no SOFT problem states.
        const changes = hardOnly ? all.filter((c) => c.stateType === 'HARD' || c.state === 'OK') : all;
        const [subject] = availabilityFor([{ vmId: 1, service: 'Disk /', prior, changes }], windows, { hardOnly, now: new Date(NOW - H) });
        windows.forEach((w, i) => expect(subject!.windows[i]).toEqual(computeAvailability(w, changes, prior, { hardOnly, now: new Date(NOW - H) })));
      }
    }
  });

  it('puts a history that is out of order (or has invalid dates) in order once, as computeAvailability does', () => {
    const changes = month(9).filter((c) => c.stateType === 'HARD');
    const shuffled = [...changes.slice(40), { at: new Date(Number.NaN), state: 'CRITICAL' as const, stateType: 'HARD' as const }, ...changes.slice(0, 40)];
    const [subject] = availabilityFor([{ vmId: 1, service: '', prior: null, changes: shuffled }], windows);
    windows.forEach((w, i) => expect(subject!.windows[i]).toEqual(computeAvailability(w, changes, null)));
  });
});
