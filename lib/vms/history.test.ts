import { describe, expect, it } from 'vitest';
import type { VmEvent } from '../db/queries/vm-events';
import { eventSentence, previousStates } from './history';

const ev = (id: number, service: string | null, state: VmEvent['state']): VmEvent => ({
  id,
  occurredAt: new Date(Date.UTC(2026, 11, 3, 12, 0, id)),
  kind: service === null ? 'host' : 'service',
  service,
  state,
  stateType: 'HARD',
  attempt: 1,
  maxAttempts: 3,
  stateDurationSec: 0,
  output: null,
  longOutput: null,
  perfdata: null,
});

describe('previousStates', () => {
  it('gives each event the state of the next older event of the same subject', () => {
    // newest first
    const events = [ev(5, 'HTTP', 'OK'), ev(4, null, 'UP'), ev(3, 'HTTP', 'CRITICAL'), ev(2, 'Disk', 'OK'), ev(1, 'HTTP', 'OK')];
    expect(previousStates(events)).toEqual(['CRITICAL', undefined, 'OK', undefined, undefined]);
  });
});

describe('eventSentence', () => {
  it('says recovered after a problem, and OK for a first OK', () => {
    expect(eventSentence(ev(2, 'HTTP', 'OK'), 'web-01', 'CRITICAL')).toBe('HTTP on web-01 has recovered.');
    expect(eventSentence(ev(1, 'HTTP', 'OK'), 'web-01')).toBe('HTTP on web-01 is OK.');
  });
});
