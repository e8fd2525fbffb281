import { describe, expect, it } from 'vitest';
import type { AlertEvent } from './decide';
import { defaultRule, type Rule } from './rule';
import { simulateRule } from './simulate';

const rule = (over: Partial<Rule> = {}): Rule => ({ ...defaultRule(1), ...over });
const T0 = Date.parse('2026-12-02T12:00:00Z');
let id = 0;
const ev = (min: number, state: string, over: Partial<AlertEvent> = {}): AlertEvent => ({
  eventId: ++id, vmId: 7, vmName: 'web-01', kind: 'service', service: 'Disk /', state, stateType: 'HARD',
  attempt: 3, maxAttempts: 3, occurredAt: new Date(T0 + min * 60_000), output: null, perfdata: null,
  nagiosHostName: null, address: null, ...over,
});

describe('simulateRule', () => {
  it('sends a problem and its recovery, and counts duplicates', () => {
    const r = simulateRule(rule(), [ev(0, 'CRITICAL'), ev(5, 'CRITICAL'), ev(10, 'OK')]);
    expect(r.sent).toHaveLength(2);
    expect(r.suppressed.duplicate).toBe(1);
  });
  it('forMinutes is resolved by a later recovery', () => {
    const r = simulateRule(rule({ forMinutes: 10 }), [ev(0, 'CRITICAL'), ev(3, 'OK')]);
    expect(r.sent).toHaveLength(0);
  });
  it('maintenance suppresses', () => {
    const r = simulateRule(rule(), [ev(0, 'CRITICAL')], {
      maintenance: [{ vmId: 7, from: new Date(T0 - 60_000), to: new Date(T0 + 60_000) }],
    });
    expect(r.sent).toHaveLength(0);
    expect(r.suppressed.maintenance).toBe(1);
  });
});
