import { describe, expect, it } from 'vitest';
import type { ProblemRow } from '../db/queries/wallboard';
import { type WallboardSnapshot, WallboardCache, buildSnapshot, parseAckRequest, problemKey } from './wallboard';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
let n = 0;
function row(more: Partial<ProblemRow> = {}): ProblemRow {
  n++;
  return {
    vmId: n,
    hostname: `vm-${n}.example`,
    accountId: 1,
    accountName: 'Acme Ltd',
    service: `svc-${n}`,
    state: 'CRITICAL',
    stateType: 'HARD',
    attempt: 3,
    maxAttempts: 3,
    output: 'CRITICAL - down',
    since: new Date(T0),
    lastCheckAt: new Date(T0),
    ackAt: null,
    ackBy: null,
    ...more,
  };
}

describe('buildSnapshot', () => {
  it('orders worst first, then the newest state change first', () => {
    const rows = [
      row({ service: 'old crit', since: new Date(T0 - 3600_000) }),
      row({ service: 'warn', state: 'WARNING', since: new Date(T0) }),
      row({ service: '', state: 'DOWN', since: new Date(T0 - 7200_000) }),
      row({ service: 'new crit', since: new Date(T0 - 60_000) }),
      row({ service: 'unknown', state: 'UNKNOWN' }),
      row({ service: '', state: 'UNREACHABLE' }),
    ];
    const s = buildSnapshot(rows, new Date(T0));
    expect(s.problems.map((p) => `${p.state} ${p.service}`)).toEqual(['DOWN ', 'UNREACHABLE ', 'CRITICAL new crit', 'CRITICAL old crit', 'UNKNOWN unknown', 'WARNING warn']);
    expect(s.counts).toEqual({ DOWN: 1, UNREACHABLE: 1, CRITICAL: 2, UNKNOWN: 1, WARNING: 1 });
  });

  it('sounds for unacknowledged HARD CRITICAL and DOWN only', () => {
    const s = buildSnapshot(
      [
        row({ service: 'crit' }),
        row({ service: 'soft', stateType: 'SOFT', attempt: 1 }),
        row({ service: 'acked', ackAt: new Date(T0), ackBy: 'carol' }),
        row({ service: '', state: 'DOWN' }),
        row({ service: '', state: 'UNREACHABLE' }),
        row({ service: 'warn', state: 'WARNING' }),
      ],
      new Date(T0),
    );
    expect(Object.fromEntries(s.problems.map((p) => [`${p.state} ${p.service}`, p.alarm]))).toEqual({
      'DOWN ': true,
      'UNREACHABLE ': false,
      'CRITICAL crit': true,
      'CRITICAL soft': false,
      'CRITICAL acked': false,
      'WARNING warn': false,
    });
    expect(s.alarms).toBe(2);
    expect(s.problems.find((p) => p.service === 'acked')!.ack).toEqual({ at: new Date(T0).toISOString(), by: 'carol' });
  });

  it('keeps its version while nothing shown changes, and changes it with an acknowledgement', () => {
    const a = row();
    const first = buildSnapshot([a], new Date(T0));
    expect(buildSnapshot([{ ...a, lastCheckAt: new Date(T0 + 60_000) }], new Date(T0 + 60_000)).version).toBe(first.version);
    expect(buildSnapshot([{ ...a, ackAt: new Date(T0), ackBy: 'carol' }], new Date(T0)).version).not.toBe(first.version);
    expect(buildSnapshot([{ ...a, since: new Date(T0 + 1) }], new Date(T0)).version).not.toBe(first.version);
  });

  it('names a problem by VM, state change and service', () => {
    expect(problemKey({ vmId: 3, service: 'Disk /', since: new Date(T0) })).toBe(`3:${T0}:Disk /`);
    expect(problemKey({ vmId: 3, service: '', since: new Date(T0).toISOString() })).toBe(`3:${T0}:`);
  });
});

describe('WallboardCache', () => {
  const snapshot = (i: number): WallboardSnapshot => ({ version: `v${i}`, readAt: new Date(T0 + i).toISOString(), problems: [], counts: {}, alarms: 0 });

  function setup(intervalMs = 2000) {
    let clock = T0;
    let reads = 0;
    const waiting: Array<{ resolve: (s: WallboardSnapshot) => void; reject: (e: Error) => void }> = [];
    const cache = new WallboardCache(
      () =>
        new Promise<WallboardSnapshot>((resolve, reject) => {
          reads++;
          waiting.push({ resolve, reject });
        }),
      { intervalMs, now: () => clock },
    );
    return {
      cache,
      reads: () => reads,
      advance: (ms: number) => (clock += ms),
      finish: (i: number) => waiting.shift()!.resolve(snapshot(i)),
      failRead: () => waiting.shift()!.reject(new Error('database away')),
    };
  }

  it('shares one read among every caller that asks while it runs', async () => {
    const t = setup();
    const callers = Array.from({ length: 50 }, () => t.cache.snapshot());
    expect(t.reads()).toBe(1);
    t.finish(1);
    expect((await Promise.all(callers)).map((s) => s.version)).toEqual(Array(50).fill('v1'));
  });

  it('reads again only once the interval has passed since the last read started', async () => {
    const t = setup();
    const first = t.cache.snapshot();
    t.finish(1);
    await first;
    t.advance(1999);
    expect((await t.cache.snapshot()).version).toBe('v1');
    expect(t.reads()).toBe(1);
    t.advance(1);
    const second = t.cache.snapshot();
    expect(t.reads()).toBe(2);
    t.finish(2);
    expect((await second).version).toBe('v2');
  });

  it('remembers a failed read for the interval: a database that is away is not asked once per board', async () => {
    const t = setup();
    const first = t.cache.snapshot();
    t.failRead();
    await expect(first).rejects.toThrow('database away');
    await expect(t.cache.snapshot()).rejects.toThrow('database away');
    expect(t.reads()).toBe(1);
    t.advance(2000);
    const again = t.cache.snapshot();
    t.finish(2);
    expect((await again).version).toBe('v2');
  });

  it('after invalidate, the next caller reads again, and a read already running does not count as the new state', async () => {
    const t = setup();
    const first = t.cache.snapshot();
    t.finish(1);
    await first;
    t.advance(3000);
    const before = t.cache.snapshot(); // started before the acknowledgement was written
    t.cache.invalidate();
    const after = t.cache.snapshot();
    expect(t.reads()).toBe(3);
    t.finish(2);
    t.finish(3);
    expect((await before).version).toBe('v2');
    expect((await after).version).toBe('v3');
    expect((await t.cache.snapshot()).version).toBe('v3');
    expect(t.reads()).toBe(3);
  });

  it('serialises the body once per snapshot', async () => {
    const t = setup();
    const a = t.cache.json();
    t.finish(1);
    const first = await a;
    const second = await t.cache.json();
    expect(second.body).toBe(first.body);
    expect(JSON.parse(first.body)).toMatchObject({ version: 'v1' });
  });
});

describe('parseAckRequest', () => {
  it('takes problems as the snapshot names them', () => {
    expect(parseAckRequest({ problems: [{ vmId: 3, service: '', since: '2026-12-01T10:00:00.123Z' }] })).toEqual({
      ok: true,
      value: [{ vmId: 3, service: '', since: new Date('2026-12-01T10:00:00.123Z') }],
    });
  });

  it.each([
    [{}],
    [{ problems: [] }],
    [{ problems: [{ vmId: 0, service: 'x', since: '2026-12-01T10:00:00Z' }] }],
    [{ problems: [{ vmId: 1, service: 'x', since: 'yesterday' }] }],
    [{ problems: [{ vmId: 1, service: 'x'.repeat(256), since: '2026-12-01T10:00:00Z' }] }],
    [{ problems: Array.from({ length: 101 }, () => ({ vmId: 1, service: 'x', since: '2026-12-01T10:00:00Z' })) }],
  ])('refuses %j', (body) => {
    const parsed = parseAckRequest(body);
    expect(parsed.ok).toBe(false);
  });
});
