import { describe, expect, it } from 'vitest';
import { nextDigestAt, quietWindowAt, zonedTime, zonedToUtc } from './timing';

const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const night = { windows: [{ days: [...everyDay], from: '22:00', to: '07:00' }], action: 'hold' as const };

describe('zoned time', () => {
  it('reads local time and weekday, and converts back, on both sides of DST', () => {
    expect(zonedTime(new Date('2026-07-01T12:00:00Z'), 'Europe/London')).toMatchObject({ weekday: 'wed', minutes: 13 * 60 });
    expect(zonedTime(new Date('2026-12-01T12:00:00Z'), 'Europe/London')).toMatchObject({ weekday: 'tue', minutes: 12 * 60 });
    expect(zonedToUtc(2026, 7, 1, 13 * 60, 'Europe/London').toISOString()).toBe('2026-07-01T12:00:00.000Z');
    expect(zonedToUtc(2026, 3, 8, 2 * 60 + 30, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z'); // in the gap: after it
    expect(zonedToUtc(2026, 12, 31, 24 * 60, 'Asia/Kolkata').toISOString()).toBe('2026-12-31T18:30:00.000Z'); // 24:00 is the next midnight
  });
});

describe('quiet hours', () => {
  it('across midnight: 23:30 and 06:59 are inside and end at 07:00; 07:00 and 21:59 are outside', () => {
    const at = (iso: string) => quietWindowAt(night, 'Europe/London', new Date(iso));
    expect(at('2026-12-01T23:30:00Z')).toEqual({ inside: true, endsAt: new Date('2026-12-02T07:00:00Z') });
    expect(at('2026-12-02T06:59:00Z')).toEqual({ inside: true, endsAt: new Date('2026-12-02T07:00:00Z') });
    expect(at('2026-12-02T07:00:00Z')).toEqual({ inside: false });
    expect(at('2026-12-02T21:59:00Z')).toEqual({ inside: false });
  });

  it('in summer time the window is in local time (22:00 BST is 21:00 UTC)', () => {
    expect(quietWindowAt(night, 'Europe/London', new Date('2026-07-01T21:30:00Z'))).toEqual({ inside: true, endsAt: new Date('2026-07-02T06:00:00Z') });
  });

  it('the night DST ends (London, 25 Oct 2026) and begins (29 Mar 2026): the window still ends at 07:00 local', () => {
    expect(quietWindowAt(night, 'Europe/London', new Date('2026-10-24T22:30:00Z'))).toEqual({ inside: true, endsAt: new Date('2026-10-25T07:00:00Z') });
    expect(quietWindowAt(night, 'Europe/London', new Date('2026-03-28T23:30:00Z'))).toEqual({ inside: true, endsAt: new Date('2026-03-29T06:00:00Z') });
  });

  it('a Friday-night window belongs to Friday: Saturday 03:00 is inside, Sunday 03:00 is not', () => {
    const fri = { windows: [{ days: ['fri' as const], from: '22:00', to: '07:00' }], action: 'drop' as const };
    expect(quietWindowAt(fri, 'UTC', new Date('2026-12-05T03:00:00Z'))).toEqual({ inside: true, endsAt: new Date('2026-12-05T07:00:00Z') });
    expect(quietWindowAt(fri, 'UTC', new Date('2026-12-06T03:00:00Z'))).toEqual({ inside: false });
  });

  it('windows that touch count as one: the weekend plus weeknights ends on Monday morning', () => {
    const quiet = {
      windows: [
        { days: ['sat' as const, 'sun' as const], from: '00:00', to: '00:00' },
        { days: ['fri' as const], from: '18:00', to: '00:00' },
        { days: ['sun' as const], from: '18:00', to: '08:00' },
      ],
      action: 'hold' as const,
    };
    expect(quietWindowAt(quiet, 'UTC', new Date('2026-12-04T19:00:00Z'))).toEqual({ inside: true, endsAt: new Date('2026-12-07T08:00:00Z') });
  });
});

describe('digests', () => {
  it('hourly: the next full local hour; daily: the next HH:MM in the zone', () => {
    expect(nextDigestAt({ every: 'hourly' }, 'UTC', new Date('2026-12-01T10:15:00Z')).toISOString()).toBe('2026-12-01T11:00:00.000Z');
    expect(nextDigestAt({ every: 'hourly' }, 'Asia/Kolkata', new Date('2026-12-01T10:15:00Z')).toISOString()).toBe('2026-12-01T10:30:00.000Z');
    expect(nextDigestAt({ every: 'daily', at: '08:00' }, 'Europe/London', new Date('2026-07-01T06:00:00Z')).toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(nextDigestAt({ every: 'daily', at: '08:00' }, 'Europe/London', new Date('2026-07-01T07:00:00Z')).toISOString()).toBe('2026-07-02T07:00:00.000Z');
  });
});
