import { describe, expect, it } from 'vitest';
import { nearestForecast, sortWorstFirst } from './dashboard';

describe('sortWorstFirst', () => {
  it('puts the worst state first, no data above OK, then names in order', () => {
    const vms = [
      { hostname: 'b-ok', worst: 'OK' as const },
      { hostname: 'a-ok', worst: 'OK' as const },
      { hostname: 'new', worst: null },
      { hostname: 'warn', worst: 'WARNING' as const },
      { hostname: 'z-crit', worst: 'CRITICAL' as const },
      { hostname: 'down', worst: 'DOWN' as const },
      { hostname: 'a-crit', worst: 'CRITICAL' as const },
    ];
    expect(sortWorstFirst(vms).map((v) => v.hostname)).toEqual(['down', 'a-crit', 'z-crit', 'warn', 'new', 'a-ok', 'b-ok']);
    expect(vms[0]!.hostname).toBe('b-ok');
  });
});

describe('nearestForecast', () => {
  const now = new Date('2026-12-03T12:00:00Z');
  const day = (n: number) => new Date(now.getTime() + n * 86_400_000);
  it('is null without a coming forecast', () => {
    expect(nearestForecast({ disks: [{ mount: '/', outlook: { status: 'not-growing', fullBetween: null } }], transfer: { status: 'within', runsOutOn: null } }, now)).toBeNull();
    expect(nearestForecast({ disks: [], transfer: null }, now)).toBeNull();
  });
  it('picks the earliest of the disks and the transfer quota', () => {
    const f = {
      disks: [
        { mount: '/', outlook: { status: 'filling', fullBetween: { earliest: day(20) } } },
        { mount: '/var', outlook: { status: 'filling', fullBetween: { earliest: day(9) } } },
      ],
      transfer: { status: 'will-run-out', runsOutOn: day(12) },
    };
    expect(nearestForecast(f, now)).toEqual({ kind: 'disk', on: day(9), what: 'The disk at /var may be full around', now: false });
    expect(nearestForecast({ ...f, transfer: { status: 'will-run-out', runsOutOn: day(3) } }, now)?.kind).toBe('transfer');
  });
  it('says what has already happened', () => {
    expect(nearestForecast({ disks: [{ mount: '/', outlook: { status: 'full', fullBetween: null } }], transfer: { status: 'exceeded', runsOutOn: null } }, now)).toMatchObject({
      what: 'The disk is full',
      now: true,
    });
  });
});
