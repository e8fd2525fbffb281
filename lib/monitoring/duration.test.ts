import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [-3, '0 s'],
    [Number.NaN, '0 s'],
    [0.4, '0 s'],
    [0.6, '1 s'],
    [45, '45 s'],
    [90, '1 min 30 s'],
    [12 * 60 + 5, '12 min 5 s'],
    [3600, '1 h'],
    [2 * 3600 + 59, '2 h'],
    [3 * 86_400 + 4 * 3600 + 59, '3 d 4 h'],
    [86_492, '1 d'],
  ])('summary: %d s is "%s" (the two largest units)', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each([
    [86_492, '1 d 1 min 32 s'],
    [90_061, '1 d 1 h 1 min 1 s'],
    [3600, '1 h'],
    [59, '59 s'],
    [0, '0 s'],
  ])('technical: %d s is "%s" (every unit down to the second)', (seconds, text) => {
    expect(formatDuration(seconds, 4)).toBe(text);
  });
});
