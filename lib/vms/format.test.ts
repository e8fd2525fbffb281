import { describe, expect, it } from 'vitest';
import { formatSharePercent, formatUpPercent } from './format';

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
