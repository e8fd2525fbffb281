import { describe, expect, it } from 'vitest';
import { loadShippedReleases } from './releases';
import { supportWarnings, vmSupportStatus } from './vm-support';

const releases = loadShippedReleases();
const TODAY = '2026-11-24';

describe('vmSupportStatus', () => {
  it('calls 22.04 supported, with the days to its standard and ESM end', () => {
    const s = vmSupportStatus(releases, '22.04', TODAY);
    expect(s.badge).toBe('supported');
    expect(s.label).toBe('supported');
    expect(s.release?.series).toBe('jammy');
    expect(s.status?.standardEnd).toBe('2027-06-01');
    expect(s.status?.daysToStandardEnd).toBe(189);
    expect(s.status?.esmEnd).toBe('2032-04-21');
  });

  it('calls 20.04 ended, on the server end date of the table', () => {
    const s = vmSupportStatus(releases, '20.04', TODAY);
    expect(s.badge).toBe('ended');
    expect(s.label).toBe('ended 2025-05-29');
    expect(s.summary).toMatch(/^Ubuntu 20\.04 LTS \(Focal Fossa\): standard support ended on 2025-05-29/);
  });

  it('calls a release within 90 days "ending" and counts the days', () => {
    const s = vmSupportStatus(releases, '22.04', '2027-03-15');
    expect(s.badge).toBe('ending');
    expect(s.label).toBe('ends in 78 days');
  });

  it('says so for a release the table does not know', () => {
    const s = vmSupportStatus(releases, '99.99', TODAY);
    expect(s).toMatchObject({ badge: 'unknown', label: 'unknown release' });
    expect(s.summary).toContain('Ubuntu 99.99 is not in the release table');
  });
});

describe('supportWarnings', () => {
  it('lists ended then ending VMs and leaves supported ones out', () => {
    const vms = [
      { id: 1, hostname: 'web-01', ubuntuRelease: '22.04' },
      { id: 2, hostname: 'db-01', ubuntuRelease: '20.04' },
      { id: 3, hostname: 'old-01', ubuntuRelease: '18.04' },
    ];
    expect(supportWarnings(releases, vms, TODAY).map((w) => [w.hostname, w.badge])).toEqual([
      ['db-01', 'ended'],
      ['old-01', 'ended'],
    ]);
    expect(supportWarnings(releases, vms, '2027-04-01').map((w) => w.hostname)).toEqual(['db-01', 'old-01', 'web-01']);
  });
});
