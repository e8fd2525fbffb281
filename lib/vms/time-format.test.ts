import { describe, expect, it } from 'vitest';
import { formatDateTime, formatRelative, zoneLabel } from './time-format';

describe('formatDateTime', () => {
  it('writes date, 24-hour time and the zone', () => {
    expect(formatDateTime(new Date('2026-12-03T14:05:59Z'), 'UTC')).toBe('2026-12-03 14:05 UTC');
    expect(formatDateTime('2026-12-03T14:05:00.000Z', 'Europe/Berlin')).toBe('2026-12-03 15:05 UTC+1');
    expect(formatDateTime(Date.parse('2026-07-03T14:05:00Z'), 'Europe/Berlin')).toBe('2026-07-03 16:05 UTC+2');
    expect(formatDateTime(new Date('2026-12-03T23:30:00Z'), 'America/St_Johns')).toBe('2026-12-03 20:00 UTC-3:30');
    expect(formatDateTime(new Date('2026-01-01T00:00:00Z'), 'Asia/Kolkata')).toBe('2026-01-01 05:30 UTC+5:30');
  });

  it('never throws on a bad instant', () => {
    expect(formatDateTime('not a time', 'UTC')).toBe('–');
  });
});

describe('zoneLabel', () => {
  it('names UTC plainly and other zones by their offset then', () => {
    expect(zoneLabel('UTC', 0)).toBe('UTC');
    expect(zoneLabel('Europe/London', Date.parse('2026-01-10T00:00:00Z'))).toBe('UTC');
    expect(zoneLabel('Europe/London', Date.parse('2026-06-10T00:00:00Z'))).toBe('UTC+1');
  });
});

describe('formatRelative', () => {
  const now = Date.parse('2026-12-03T14:05:00Z');
  it('rounds down to the largest unit', () => {
    expect(formatRelative(now - 20_000, now)).toBe('just now');
    expect(formatRelative(now - 3 * 60_000 - 59_000, now)).toBe('3 min ago');
    expect(formatRelative(new Date(now - 5 * 3_600_000), new Date(now))).toBe('5 h ago');
    expect(formatRelative(now - 32 * 86_400_000, now)).toBe('32 d ago');
    expect(formatRelative(now + 10 * 60_000, now)).toBe('in 10 min');
    expect(formatRelative('bad', now)).toBe('');
  });
});
