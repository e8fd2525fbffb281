import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkEventId, newEventId, stateEventId } from './event-id';

describe('event ids', () => {
  it('are unique per state-change event', () => {
    const ids = new Set(Array.from({ length: 1000 }, newEventId));
    expect(ids.size).toBe(1000);
  });

  it('are stable per check-result line and source', () => {
    const a = checkEventId('nagios1', 'line one');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(checkEventId('nagios1', 'line one')).toBe(a);
    expect(checkEventId('nagios2', 'line one')).not.toBe(a);
    expect(checkEventId('nagios1', 'line two')).not.toBe(a);
  });

  it('are the ids earlier versions gave the same line (made with node:crypto then)', () => {
    const h = createHash('sha256').update('nagios1').update('\u0000').update('line one é').digest();
    h[6] = (h[6]! & 0x0f) | 0x80;
    h[8] = (h[8]! & 0x3f) | 0x80;
    const x = h.toString('hex', 0, 16);
    expect(checkEventId('nagios1', 'line one é')).toBe(`${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`);
  });

  describe('stateEventId', () => {
    const change = { kind: 'service' as const, hostname: '10.0.0.1', service: 'Disk /', state: 'CRITICAL', stateType: 'SOFT', attempt: 1, lastStateChange: 1795543186 };
    it('names one state change the same for the same source', () => {
      const a = stateEventId('nagios1', change);
      expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(stateEventId('nagios1', { ...change })).toBe(a);
      expect(stateEventId('nagios2', change)).not.toBe(a);
    });
    it('tells SOFT retries apart by attempt, and every field of the change', () => {
      const a = stateEventId('n', change);
      expect(stateEventId('n', { ...change, attempt: 2 })).not.toBe(a);
      expect(stateEventId('n', { ...change, stateType: 'HARD' })).not.toBe(a);
      expect(stateEventId('n', { ...change, state: 'WARNING' })).not.toBe(a);
      expect(stateEventId('n', { ...change, lastStateChange: 1795543187 })).not.toBe(a);
      expect(stateEventId('n', { ...change, service: 'Load' })).not.toBe(a);
      expect(stateEventId('n', { ...change, kind: 'host', service: null })).not.toBe(a);
    });
    it('ignores the attempt of HARD changes and recoveries (the handler sees OK HARD 3, the file OK HARD 1)', () => {
      const ok = { ...change, state: 'OK', stateType: 'HARD', attempt: 3 };
      expect(stateEventId('n', ok)).toBe(stateEventId('n', { ...ok, attempt: 1 }));
      const hard = { ...change, stateType: 'HARD', attempt: 3 };
      expect(stateEventId('n', hard)).toBe(stateEventId('n', { ...hard, attempt: 2 }));
    });
  });
});
