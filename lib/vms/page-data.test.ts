import { describe, expect, it } from 'vitest';
import { computeAvailability } from '../monitoring/availability';
import type { SubjectAvailability } from './availability';
import { availabilityWindows, worstAvailabilityFirst } from './page-data';

const NOW = new Date('2024-06-15T12:00:00Z');
const H = 3_600_000;

function row(service: string | null, downHours: number | null): SubjectAvailability {
  const window = { from: new Date(NOW.getTime() - 24 * H), to: NOW };
  const a =
    downHours === null
      ? computeAvailability(window, [], null)
      : computeAvailability(window, [{ at: new Date(NOW.getTime() - downHours * H), state: 'CRITICAL', stateType: 'HARD' }], { state: 'OK' });
  return { vmId: 1, service, windows: [a] };
}

describe('worstAvailabilityFirst', () => {
  it('puts the host first, then the least available services, then those without data', () => {
    const sorted = worstAvailabilityFirst([row('SSH', 0), row('No data', null), row('HTTP', 5), row(null, 0), row('DNS', 5), row('Disk', 1)]);
    expect(sorted.map((r) => r.service)).toEqual([null, 'DNS', 'HTTP', 'Disk', 'SSH', 'No data']);
  });
});

describe('availabilityWindows', () => {
  it('gives the last 24 hours, 7 days and 30 days, and the chosen range last', () => {
    const custom = { from: new Date('2024-06-01T00:00:00Z'), to: new Date('2024-06-02T00:00:00Z') };
    const windows = availabilityWindows(NOW, custom);
    expect(windows.map((w) => [w.key, (w.to.getTime() - w.from.getTime()) / H])).toEqual([
      ['24h', 24],
      ['7d', 168],
      ['30d', 720],
      ['custom', 24],
    ]);
    expect(availabilityWindows(NOW, null)).toHaveLength(3);
  });
});
