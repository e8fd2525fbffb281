import { describe, expect, it } from 'vitest';
import { chartsHeading, counterDeltas, isTransferCounter, seriesTitle } from './series-words';

describe('seriesTitle', () => {
  it('names load averages in words and keeps disk titles short', () => {
    expect(seriesTitle('Load', 'load1')).toBe('Load (average over 1 minute)');
    expect(seriesTitle('Load', 'load15')).toBe('Load (average over 15 minutes)');
    expect(seriesTitle('Disk /', '/')).toBe('Disk /');
    expect(seriesTitle('Memory', 'used')).toBe('Memory: used');
    expect(seriesTitle('Traffic eth0', 'in', true)).toBe('Traffic eth0: received, per interval');
  });
});

describe('counterDeltas', () => {
  it('gives the amount moved between points, nothing across a restart or a gap', () => {
    const pts = [10, 30, 35, 5, null, 20].map((value, i) => ({ at: i, value }));
    expect(counterDeltas(pts).map((p) => p.value)).toEqual([20, 5, null, null, null]);
    expect(counterDeltas([{ at: 0, value: 1 }])).toEqual([]);
  });
});

describe('chartsHeading', () => {
  it('says what is charted', () => {
    const disk = { service: 'Disk /', label: '/', unit: 'B' };
    const load = { service: 'Load', label: 'load1', unit: '' };
    const traffic = { service: 'Traffic eth0', label: 'in', unit: 'c' };
    expect(isTransferCounter(traffic)).toBe(true);
    expect(chartsHeading([disk, load, traffic])).toBe('Disk, load and transfer');
    expect(chartsHeading([disk, load])).toBe('Disk and load');
    expect(chartsHeading([{ service: 'PING', label: 'rta', unit: 's' }])).toBe('Other measurements');
    expect(chartsHeading([])).toBe('Measurements');
  });
});
