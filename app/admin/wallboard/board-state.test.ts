import { describe, expect, it } from 'vitest';
import type { WallboardSnapshot } from '@/lib/admin/wallboard';
import { MAX_RETRY_MS, alarmState, chunk, connectionWords, headline, lastedWords, readMute, retryDelay } from './board-state';

const NOW = Date.parse('2026-12-01T10:00:00.000Z');

describe('alarmState', () => {
  it.each([
    [{ alarms: 1, audio: 'running', mutedUntil: null }, 'sounding'],
    [{ alarms: 0, audio: 'running', mutedUntil: null }, 'silent'],
    [{ alarms: 1, audio: 'suspended', mutedUntil: null }, 'needs-gesture'],
    [{ alarms: 0, audio: 'none', mutedUntil: null }, 'needs-gesture'],
    [{ alarms: 1, audio: 'running', mutedUntil: NOW + 1 }, 'muted'],
    [{ alarms: 1, audio: 'suspended', mutedUntil: NOW + 1 }, 'muted'],
    [{ alarms: 1, audio: 'running', mutedUntil: NOW }, 'sounding'],
  ] as const)('%j → %s', (input, state) => {
    expect(alarmState({ ...input, now: NOW })).toBe(state);
  });
});

describe('retryDelay', () => {
  it('doubles from a second to 30 s and stays there, never giving up', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 100, 10_000].map((f) => retryDelay(f, mid))).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('spreads boards by ±20% without passing the cap', () => {
    expect(retryDelay(1, () => 0)).toBe(800);
    expect(retryDelay(1, () => 0.999)).toBeLessThanOrEqual(1200);
    expect(retryDelay(50, () => 0.999)).toBe(MAX_RETRY_MS);
  });
});

describe('lastedWords', () => {
  it.each([
    [0, '0 s'],
    [45_000, '45 s'],
    [12 * 60_000 + 5000, '12 min'],
    [3 * 3600_000 + 5 * 60_000 + 59_000, '3 h 5 min'],
    [2 * 86_400_000 + 4 * 3600_000 + 60_000, '2 d 4 h'],
    [-5000, '0 s'],
  ])('%i ms → %s', (ago, words) => {
    expect(lastedWords(new Date(NOW - ago).toISOString(), NOW)).toBe(words);
  });
});

describe('readMute', () => {
  it('keeps a mute still ahead, within the longest choice', () => {
    expect(readMute(String(NOW + 15 * 60_000), NOW)).toBe(NOW + 15 * 60_000);
    expect(readMute(String(NOW - 1), NOW)).toBeNull();
    expect(readMute(String(NOW + 24 * 3600_000), NOW)).toBeNull();
    expect(readMute('soon', NOW)).toBeNull();
    expect(readMute(null, NOW)).toBeNull();
  });
});

describe('wording', () => {
  const snapshot = (counts: WallboardSnapshot['counts']): WallboardSnapshot => ({ version: 'v', readAt: '', problems: [], counts, alarms: 0 });

  it('heads the board with the counts, worst first', () => {
    expect(headline(snapshot({ WARNING: 12, CRITICAL: 5, DOWN: 2 }))).toBe('2 DOWN · 5 CRITICAL · 12 WARNING');
    expect(headline(snapshot({}))).toBeNull();
  });

  it('says the connection is lost and when it retries', () => {
    const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);
    expect(connectionWords({ kind: 'live', at: NOW }, NOW, clock)).toBe('Live · updated 10:00:00');
    expect(connectionWords({ kind: 'retrying', failures: 3, retryAt: NOW + 3500, lastOkAt: NOW - 60_000, reason: 'the server cannot be reached' }, NOW, clock)).toBe(
      'Connection lost, retrying in 4 s (attempt 3; the server cannot be reached) · last update 09:59:00',
    );
  });

  it('chunks acknowledgements', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
