import { describe, expect, it } from 'vitest';
import type { VmSummary } from '../db/queries/vms';
import { loadShippedReleases } from '../guides/releases';
import { vmSupportStatus } from '../guides/vm-support';
import { dashboardRows } from './dashboard-rows';

const today = new Date('2026-12-03T12:00:00Z');
const releases = loadShippedReleases();

function vm(id: number, over: Partial<VmSummary> = {}): VmSummary {
  return {
    id,
    hostname: `vm-${id}.example`,
    nagiosHostName: `vm-${id}`,
    address: `198.51.100.${id}`,
    addressV6: null,
    ubuntuRelease: '24.04',
    plan: { slug: 'small', name: 'Small' },
    hostState: 'UP',
    worst: 'OK',
    problems: [],
    lastCheckAt: new Date('2026-12-03T11:58:00Z'),
    hostStateSince: null,
    lastChangeAt: null,
    ...over,
  };
}

describe('dashboardRows', () => {
  it('words each VM as one compact row, times in the viewer zone', () => {
    const { rows } = dashboardRows(
      [vm(1, { worst: 'CRITICAL', problems: [{ service: 'HTTP', state: 'CRITICAL', stateType: 'SOFT' }] }), vm(2, { lastCheckAt: null, worst: null, hostState: null })],
      { releases, nearest: new Map(), today, timeZone: 'Europe/Berlin' },
    );
    expect(rows[0]).toEqual([1, 'vm-1.example', '198.51.100.1', 'CRITICAL', 'UP', [['HTTP', 'CRITICAL', 'SOFT']], ['2026-12-03T11:58:00.000Z', '2026-12-03 12:58 UTC+1'], '24.04', 0, 'Small', null]);
    expect(rows[1]![6]).toBeNull();
  });

  it('lists each release support state once, and the rows point to it', () => {
    const { rows, supports } = dashboardRows([vm(1), vm(2, { ubuntuRelease: '20.04' }), vm(3), vm(4, { ubuntuRelease: '99.10' })], { releases, nearest: new Map(), today, timeZone: 'UTC' });
    expect(rows.map((r) => r[8])).toEqual([0, 1, 0, 2]);
    const expected = (release: string) => {
      const { badge, label, summary } = vmSupportStatus(releases, release, today);
      return { badge, label, summary };
    };
    expect(supports).toEqual([expected('24.04'), expected('20.04'), expected('99.10')]);
    expect(supports[2]!.badge).toBe('unknown');
  });

  it('gives a coming forecast its date and one that already happened none', () => {
    const nearest = new Map([
      [1, { kind: 'disk' as const, on: new Date('2026-12-20T00:00:00Z'), what: 'The disk at /var may be full around', now: false }],
      [2, { kind: 'disk' as const, on: today, what: 'The disk is full', now: true }],
      [3, null],
    ]);
    const { rows } = dashboardRows([vm(1), vm(2), vm(3)], { releases, nearest, today, timeZone: 'UTC' });
    expect(rows.map((r) => r[10])).toEqual([['The disk at /var may be full around', 0, ['2026-12-20T00:00:00.000Z', '2026-12-20 00:00 UTC']], ['The disk is full', 1, null], null]);
  });
});
