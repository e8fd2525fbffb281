import { describe, it, expect } from 'vitest';
import { parseEvent } from './event';
import type { MonitoringEvent, MonitoringState } from './wire';
import {
  compareStates,
  isProblemState,
  isUpState,
  stateSeverity,
  summarizeEvent,
  upStateFor,
  worstState,
} from './severity';

function ev(fields: Record<string, unknown>): MonitoringEvent {
  const r = parseEvent({
    time_t: 1266427384,
    state_type: 'HARD',
    state_time: 0,
    attempt: 3,
    max_attempts: 3,
    hostname: 'web-01.acme.example',
    ...fields,
  });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('state ordering', () => {
  it('orders service states CRITICAL > UNKNOWN > WARNING > OK and host problems above all', () => {
    const all: MonitoringState[] = ['OK', 'WARNING', 'UNKNOWN', 'CRITICAL', 'UNREACHABLE', 'DOWN'];
    const sorted = [...all].reverse().sort(compareStates);
    expect(sorted).toEqual(all);
    expect(stateSeverity('UP')).toBe(stateSeverity('OK'));
  });

  it('finds the worst state', () => {
    expect(worstState(['OK', 'WARNING', 'OK'])).toBe('WARNING');
    expect(worstState(['WARNING', 'UNKNOWN'])).toBe('UNKNOWN');
    expect(worstState(['CRITICAL', 'UNKNOWN', 'WARNING'])).toBe('CRITICAL');
    expect(worstState(['UP', 'CRITICAL', 'UNREACHABLE'])).toBe('UNREACHABLE');
    expect(worstState(['UNREACHABLE', 'DOWN', 'CRITICAL'])).toBe('DOWN');
    expect(worstState(['UP', 'OK'])).toBe('UP');
    expect(worstState([])).toBeNull();
    expect(worstState(new Set<MonitoringState>(['OK', 'CRITICAL']))).toBe('CRITICAL');
  });

  it('classifies up and problem states', () => {
    expect(['OK', 'UP'].every((s) => isUpState(s as MonitoringState))).toBe(true);
    expect((['WARNING', 'UNKNOWN', 'CRITICAL', 'DOWN', 'UNREACHABLE'] as const).every(isProblemState)).toBe(true);
    expect([upStateFor('DOWN'), upStateFor('UNREACHABLE'), upStateFor('CRITICAL'), upStateFor('OK')]).toEqual([
      'UP',
      'UP',
      'OK',
      'OK',
    ]);
  });
});

describe('summarizeEvent: summary', () => {
  it.each([
    [{ service: 'Disk space', state: 'CRITICAL' }, 'Disk space on web-01.acme.example is critical.'],
    [{ service: 'Disk space', state: 'WARNING' }, 'Disk space on web-01.acme.example is at warning level.'],
    [{ service: 'HTTP', state: 'UNKNOWN' }, 'HTTP on web-01.acme.example could not be checked.'],
    [{ service: 'Disk space', state: 'OK' }, 'Disk space on web-01.acme.example is OK.'],
    [{ state: 'DOWN' }, 'web-01.acme.example is down.'],
    [{ state: 'UNREACHABLE' }, 'web-01.acme.example is unreachable.'],
    [{ state: 'UP' }, 'web-01.acme.example is up.'],
  ])('%o', (fields, sentence) => {
    expect(summarizeEvent(ev(fields), 'summary')).toBe(sentence);
  });

  it('words SOFT problems as unconfirmed', () => {
    expect(summarizeEvent(ev({ service: 'Disk space', state: 'CRITICAL', state_type: 'SOFT', attempt: 1 }), 'summary')).toBe(
      'Disk space on web-01.acme.example may be critical; we are checking again.',
    );
    expect(summarizeEvent(ev({ state: 'DOWN', state_type: 'SOFT' }), 'summary')).toBe(
      'web-01.acme.example may be down; we are checking again.',
    );
    expect(summarizeEvent(ev({ service: 'X', state: 'OK', state_type: 'SOFT' }), 'summary', { previousState: 'CRITICAL' })).toBe(
      'X on web-01.acme.example has recovered.',
    );
  });

  it('says "has recovered" only after a problem: a first OK, or one after OK, is just OK', () => {
    expect(summarizeEvent(ev({ service: 'HTTP', state: 'OK' }), 'summary', { previousState: 'WARNING' })).toBe('HTTP on web-01.acme.example has recovered.');
    expect(summarizeEvent(ev({ state: 'UP' }), 'summary', { previousState: 'DOWN' })).toBe('web-01.acme.example has recovered.');
    expect(summarizeEvent(ev({ service: 'HTTP', state: 'OK' }), 'summary', { previousState: null })).toBe('HTTP on web-01.acme.example is OK.');
    expect(summarizeEvent(ev({ service: 'HTTP', state: 'OK' }), 'summary', { previousState: 'OK' })).toBe('HTTP on web-01.acme.example is OK.');
  });

  it('uses the host label when given', () => {
    expect(summarizeEvent(ev({ state: 'DOWN' }), 'summary', { hostLabel: 'My shop VM' })).toBe('My shop VM is down.');
  });

  it('is one line with no technical detail', () => {
    const s = summarizeEvent(ev({ service: 'Disk', state: 'CRITICAL', output: 'DISK CRITICAL', perfdata: '/=1MB' }), 'summary');
    expect(s).not.toContain('\n');
    expect(s).not.toContain('DISK CRITICAL');
  });
});

describe('summarizeEvent: technical', () => {
  it('lists state, type, attempt, output, long output, perfdata, time and duration', () => {
    const e = ev({
      service: 'Disk space',
      state: 'CRITICAL',
      state_time: 86492,
      output: 'DISK CRITICAL - free space: / 512 MB (5%)',
      long_output: 'inode usage 12%\nmounted rw',
      perfdata: '/=9500MB;8000;9000;0;10000',
    });
    expect(summarizeEvent(e, 'technical')).toBe(
      [
        'Disk space on web-01.acme.example: CRITICAL (HARD, attempt 3 of 3)',
        'Output: DISK CRITICAL - free space: / 512 MB (5%)',
        'inode usage 12%\nmounted rw',
        'Perfdata: /=9500MB;8000;9000;0;10000',
        'At: 2010-02-17T17:23:04Z, in this state for 1 d 1 min 32 s',
      ].join('\n'),
    );
  });

  it('omits absent fields and a zero duration', () => {
    expect(summarizeEvent(ev({ state: 'DOWN', state_type: 'SOFT', attempt: 1, max_attempts: 5 }), 'technical')).toBe(
      'web-01.acme.example: DOWN (SOFT, attempt 1 of 5)\nAt: 2010-02-17T17:23:04Z',
    );
  });
});
