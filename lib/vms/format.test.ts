import { describe, expect, it } from 'vitest';
import { formatSharePercent, formatSpan, formatUpPercent } from './format';

describe('formatUpPercent', () => {
  it('never rounds a problem up to 100%', () => {
    expect(formatUpPercent(100)).toBe('100%');
    expect(formatUpPercent(99.9999)).toBe('99.99%');
    expect(formatUpPercent(99.5)).toBe('99.50%');
    expect(formatUpPercent(0)).toBe('0.00%');
    expect(formatUpPercent(null)).toBe('no data');
  });
});

describe('formatSharePercent', () => {
  it('never rounds a short outage down to 0%', () => {
    expect(formatSharePercent(0)).toBe('0%');
    expect(formatSharePercent(0.0001)).toBe('<0.01%');
    expect(formatSharePercent(0.011)).toBe('0.02%');
    expect(formatSharePercent(100)).toBe('100%');
    expect(formatSharePercent(null)).toBe('–');
  });
});

describe('formatSpan', () => {
  it('gives the two largest units', () => {
    expect(formatSpan(0)).toBe('0 s');
    expect(formatSpan(45_000)).toBe('45 s');
    expect(formatSpan(12 * 60_000 + 5_000)).toBe('12 min 5 s');
    expect(formatSpan(3 * 86_400_000 + 4 * 3_600_000 + 59_000)).toBe('3 d 4 h');
    expect(formatSpan(2 * 3_600_000)).toBe('2 h');
  });
});
