import { describe, expect, it } from 'vitest';
import type { VmEvent } from '../db/queries/vm-events';
import { computeAvailability } from '../monitoring/availability';
import { DEFAULT_SLA_DEFINITION } from '../monitoring/sla';
import { type TimelineRow, latestBySubject, mergeTimeline } from './live-rows';
import { availabilityCell, stateRow, timelineRow } from './live-view';

const event = (id: number, at: string, over: Partial<VmEvent> = {}): VmEvent => ({
  id,
  occurredAt: new Date(at),
  kind: 'service',
  service: 'HTTP',
  state: 'CRITICAL',
  stateType: 'HARD',
  attempt: 3,
  maxAttempts: 3,
  stateDurationSec: 0,
  output: 'HTTP CRITICAL - timeout',
  longOutput: null,
  perfdata: null,
  ...over,
});

const view = { timeZone: 'UTC', detail: 'summary' as const, hostname: 'web-01.acme.example' };

describe('the live delta rows', () => {
  it('a timeline row is worded for the viewer: the sentence for a summary, the details for technical', () => {
    const e = event(7, '2026-12-03T14:05:00.000Z');
    expect(timelineRow(e, 'OK', view)).toEqual([7, '2026-12-03T14:05:00.000Z', '2026-12-03 14:05 UTC', 'HTTP', 'CRITICAL', 'HARD', 'HTTP on web-01.acme.example is critical.', null]);
    expect(timelineRow(event(8, '2026-12-03T14:06:00.000Z', { state: 'OK', output: 'fine' }), 'CRITICAL', view)[6]).toBe('HTTP on web-01.acme.example has recovered.');
    const technical = timelineRow(e, undefined, { ...view, detail: 'technical', timeZone: 'Europe/Berlin' });
    expect(technical[2]).toBe('2026-12-03 15:05 UTC+1');
    expect(technical[6]).toBeNull();
    expect(technical[7]).toEqual([3, 3, 'HTTP CRITICAL - timeout', null, null]);
  });

  it('a state row carries the times as ISO and as written', () => {
    const row = stateRow(
      { service: null, state: 'UP', stateType: 'HARD', attempt: 1, maxAttempts: 3, output: 'PING OK', since: new Date('2026-12-01T00:00:00Z'), lastCheckAt: new Date('2026-12-03T10:00:00Z') },
      'UTC',
    );
    expect(row).toEqual([null, 'UP', 'HARD', 1, 3, '2026-12-01T00:00:00.000Z', '2026-12-01 00:00 UTC', '2026-12-03T10:00:00.000Z', '2026-12-03 10:00 UTC', 'PING OK']);
  });

  it('an availability cell: the figure rounded down, only the states that happened, left-out time marked', () => {
    const from = new Date('2026-12-02T00:00:00Z');
    const to = new Date('2026-12-03T00:00:00Z');
    const a = computeAvailability({ from, to }, [{ at: new Date('2026-12-02T12:00:00Z'), state: 'CRITICAL', stateType: 'HARD' }], { state: 'OK', stateType: 'HARD' });
    const [pct, , up, entries] = availabilityCell(a, 'service', DEFAULT_SLA_DEFINITION);
    expect(pct).toBe(50);
    expect(up).toBe('50.00%');
    expect(entries.map(([key, , leftOut]) => [key, leftOut])).toEqual([
      ['OK', 0],
      ['CRITICAL', 0],
    ]);
    expect(entries[1]![1]).toBe('Critical 12 h (50.00%)');
  });
});

describe('merging live changes', () => {
  const row = (id: number, at: string): TimelineRow => [id, at, at, 'HTTP', 'OK', 'HARD', 'x', null];

  it('puts new rows on top, newest first, each id once, never one the page already shows', () => {
    const live = [row(10, '2026-12-03T10:00:10Z')];
    const merged = mergeTimeline(live, [row(12, '2026-12-03T10:00:12Z'), row(10, '2026-12-03T10:00:10Z'), row(11, '2026-12-03T10:00:12Z'), row(5, '2026-12-03T09:00:00Z')], new Set([5]));
    expect(merged.map((r) => r[0])).toEqual([12, 11, 10]);
  });

  it('keeps at most `max` rows', () => {
    const many = Array.from({ length: 80 }, (_, i) => row(i + 1, new Date(Date.UTC(2026, 11, 3, 0, i)).toISOString()));
    const merged = mergeTimeline([], many, new Set(), 50);
    expect(merged).toHaveLength(50);
    expect(merged[0]![0]).toBe(80);
  });

  it('a changed state or availability row replaces the one of its subject (the host under "")', () => {
    const before = new Map<string, [string | null, string]>([['', [null, 'UP']]]);
    const after = latestBySubject(before, [
      [null, 'DOWN'],
      ['HTTP', 'CRITICAL'],
    ]);
    expect([...after]).toEqual([
      ['', [null, 'DOWN']],
      ['HTTP', ['HTTP', 'CRITICAL']],
    ]);
    expect(before.get('')).toEqual([null, 'UP']); // a new map, the old one unchanged
  });
});
