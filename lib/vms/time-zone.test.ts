import { describe, expect, it } from 'vitest';
import { describeTimeZone, formatInZone, localParts, localToInstant, parseInstant, resolveTimeZone, toLocalInputValue, zoneOffsetMs } from './time-zone';

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('resolveTimeZone', () => {
  it('keeps zones the runtime knows and falls back to UTC for anything else', () => {
    expect(resolveTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(resolveTimeZone('America/New_York')).toBe('America/New_York');
    for (const bad of [undefined, null, '', 'Mars/Olympus', 'Europe/Berlin; rm -rf', 'x'.repeat(100)]) {
      expect(resolveTimeZone(bad)).toBe('UTC');
    }
  });
});

describe('zone offsets and wall-clock times', () => {
  it('knows summer and winter time', () => {
    expect(zoneOffsetMs(Date.parse('2024-07-01T12:00:00Z'), 'Europe/Berlin')).toBe(2 * 3_600_000);
    expect(zoneOffsetMs(Date.parse('2024-01-01T12:00:00Z'), 'Europe/Berlin')).toBe(3_600_000);
    expect(zoneOffsetMs(Date.parse('2024-01-01T12:00:00Z'), 'America/New_York')).toBe(-5 * 3_600_000);
  });

  it('turns a wall-clock time into the instant, across DST changes', () => {
    const at = (y: number, mo: number, d: number, h: number, mi: number, tz: string) =>
      localToInstant({ year: y, month: mo, day: d, hour: h, minute: mi, second: 0 }, tz).toISOString();
    expect(at(2024, 7, 1, 14, 30, 'Europe/Berlin')).toBe('2024-07-01T12:30:00.000Z');
    // 02:30 does not exist on 2024-03-31 in Berlin: it moves forward to 03:30 CEST.
    expect(at(2024, 3, 31, 2, 30, 'Europe/Berlin')).toBe('2024-03-31T01:30:00.000Z');
    // 02:30 happens twice on 2024-10-27: the first (CEST) one is meant.
    expect(at(2024, 10, 27, 2, 30, 'Europe/Berlin')).toBe('2024-10-27T00:30:00.000Z');
    expect(at(2024, 3, 10, 2, 30, 'America/New_York')).toBe('2024-03-10T07:30:00.000Z');
    expect(at(2024, 11, 3, 1, 30, 'America/New_York')).toBe('2024-11-03T05:30:00.000Z');
  });
});

describe('parseInstant', () => {
  it('reads times with a zone as absolute', () => {
    expect(iso(parseInstant('2024-05-01T12:00:00Z', 'Europe/Berlin'))).toBe('2024-05-01T12:00:00.000Z');
    expect(iso(parseInstant('2024-05-01T12:00:00.250+02:00', 'UTC'))).toBe('2024-05-01T10:00:00.250Z');
    expect(iso(parseInstant('2024-05-01 12:00-0530', 'UTC'))).toBe('2024-05-01T17:30:00.000Z');
  });

  it('reads dates and datetime-local values in the viewer’s zone', () => {
    expect(iso(parseInstant('2024-05-01', 'UTC'))).toBe('2024-05-01T00:00:00.000Z');
    expect(iso(parseInstant('2024-05-01', 'Europe/Berlin'))).toBe('2024-04-30T22:00:00.000Z');
    expect(iso(parseInstant('2024-05-01T14:30', 'Europe/Berlin'))).toBe('2024-05-01T12:30:00.000Z');
  });

  it('refuses what is not a time, or not a plausible one', () => {
    for (const bad of ['', 'yesterday', '2024-13-01', '2024-02-30', '2024-05-01T24:00', '1999-12-31', '2024-05-01T12:00:00+15:00', '1714564800', '2024-05-01T12:00:00Zjunk']) {
      expect(parseInstant(bad, 'UTC'), bad).toBeNull();
    }
    expect(iso(parseInstant('2024-02-29', 'UTC'))).toBe('2024-02-29T00:00:00.000Z');
  });
});

describe('formatting in a zone', () => {
  const t = new Date('2024-07-01T22:15:00Z');
  it('shows the local wall-clock time', () => {
    expect(formatInZone(t, 'Europe/Berlin', 'datetime')).toBe('2024-07-02 00:15');
    expect(formatInZone(t, 'UTC', 'day-time')).toBe('07-01 22:15');
    expect(toLocalInputValue(t, 'America/New_York')).toBe('2024-07-01T18:15');
  });
  it('names the zone with its offset', () => {
    expect(describeTimeZone('UTC')).toBe('UTC');
    expect(describeTimeZone('Asia/Kolkata', t)).toBe('Asia/Kolkata (UTC+05:30)');
    expect(describeTimeZone('America/New_York', t)).toBe('America/New_York (UTC-04:00)');
  });
});

describe('localParts and zoneOffsetMs (offsets kept per quarter hour)', () => {
  /** Intl's own reading, the reference. */
  const references = new Map<string, Intl.DateTimeFormat>();
  const intl = (t: number, zone: string) => {
    let f = references.get(zone);
    if (!f) references.set(zone, (f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })));
    const v = Object.fromEntries(f.formatToParts(t).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
    return { year: v.year, month: v.month, day: v.day, hour: v.hour, minute: v.minute, second: v.second };
  };

  it('read every transition of 2026 as Intl does, in zones with odd offsets and half-hour DST', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kathmandu', 'America/St_Johns', 'UTC'];
    const start = Date.UTC(2026, 0, 1);
    const wrong: string[] = [];
    for (const zone of zones) {
      // Every 35 minutes and 13 seconds through the year: lands at many offsets into the quarters around each transition.
      for (let t = start; t < start + 366 * 86_400_000; t += 2_113_000) {
        const ours = JSON.stringify(localParts(t, zone));
        const theirs = JSON.stringify(intl(t, zone));
        if (ours !== theirs && wrong.push(`${zone} ${new Date(t).toISOString()}: ${ours} vs ${theirs}`) > 5) break;
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps milliseconds out of the wall clock, also before 1970', () => {
    expect(localParts(Date.UTC(2026, 2, 29, 0, 59, 59, 999), 'Europe/Berlin')).toEqual({ year: 2026, month: 3, day: 29, hour: 1, minute: 59, second: 59 });
    expect(localParts(Date.UTC(2026, 2, 29, 1, 0, 0, 1), 'Europe/Berlin')).toEqual({ year: 2026, month: 3, day: 29, hour: 3, minute: 0, second: 0 });
    expect(localParts(-1, 'Europe/Berlin')).toEqual(intl(-1, 'Europe/Berlin'));
    expect(zoneOffsetMs(Date.UTC(2026, 6, 1, 12, 0, 0, 500), 'Europe/Berlin')).toBe(7_200_000);
  });
});
