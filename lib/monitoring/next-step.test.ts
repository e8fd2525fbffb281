import { describe, expect, it } from 'vitest';
import { NO_DATA_STEP, nextStep, nextSteps } from './next-step';

const JARGON = /HARD|SOFT|attempt|Nagios|plugin|perfdata|load1|seed/;

describe('nextStep', () => {
  it('is null for OK, UP and states it does not know', () => {
    expect(nextStep({ service: 'HTTP', state: 'OK' })).toBeNull();
    expect(nextStep({ service: null, state: 'UP' })).toBeNull();
    expect(nextStep({ service: 'HTTP', state: 'PENDING' })).toBeNull();
  });

  it('says a host that is down does not answer, and what to check', () => {
    const s = nextStep({ service: null, state: 'DOWN', stateType: 'HARD' })!;
    expect(s.subject).toBe('The VM');
    expect(s.meaning).toMatch(/does not answer/);
    expect(s.action).toMatch(/firewall/);
    expect(s.contactSupport).toBe(true);
    expect(s.severity).toBe('critical');
  });

  it('says unreachable is the path, not the VM', () => {
    expect(nextStep({ service: null, state: 'UNREACHABLE' })!.meaning).toMatch(/VM itself may be fine/);
  });

  it('words a disk, a load and an unknown check by what they mean', () => {
    const disk = nextStep({ service: 'Disk space', state: 'CRITICAL', stateType: 'HARD' })!;
    expect(disk.meaning).toMatch(/^Critical: a disk is full/);
    expect(disk.action).toMatch(/Free space/);
    expect(disk.contactSupport).toBe(true);
    const load = nextStep({ service: 'Load', state: 'WARNING', stateType: 'HARD' })!;
    expect(load.meaning).toMatch(/^Warning: the VM is busier/);
    expect(load.contactSupport).toBe(false);
    const unknown = nextStep({ service: 'HTTP', state: 'UNKNOWN' })!;
    expect(unknown.meaning).toMatch(/could not be run/);
    expect(unknown.severity).toBe('unknown');
  });

  it('says an unconfirmed problem is being checked again', () => {
    expect(nextStep({ service: 'HTTP', state: 'CRITICAL', stateType: 'SOFT' })!.meaning).toMatch(/checking again to confirm/);
    expect(nextStep({ service: 'HTTP', state: 'CRITICAL', stateType: 'HARD' })!.meaning).not.toMatch(/checking again/);
  });

  it('uses no monitoring jargon', () => {
    for (const service of [null, 'Disk /', 'Load', 'Memory', 'HTTP', 'SMTP', 'SSH', 'MySQL', 'PING', 'Backup job'])
      for (const state of service === null ? ['DOWN', 'UNREACHABLE'] : ['WARNING', 'CRITICAL', 'UNKNOWN'])
        for (const stateType of ['HARD', 'SOFT'] as const) {
          const s = nextStep({ service, state, stateType })!;
          expect(`${s.meaning} ${s.action}`).not.toMatch(JARGON);
        }
    expect(`${NO_DATA_STEP.meaning} ${NO_DATA_STEP.action}`).not.toMatch(JARGON);
  });
});

describe('nextSteps', () => {
  it('puts the host first, then the worst service, then by name, leaving OK out', () => {
    const steps = nextSteps([
      { service: 'B', state: 'WARNING' },
      { service: 'A', state: 'CRITICAL' },
      { service: 'OK one', state: 'OK' },
      { service: 'C', state: 'CRITICAL' },
      { service: null, state: 'DOWN' },
    ]);
    expect(steps.map((s) => s.subject)).toEqual(['The VM', 'A', 'C', 'B']);
  });
});
