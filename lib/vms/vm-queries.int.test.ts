import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import type { RowDataPacket } from 'mysql2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/connection';
import { accounts, plans, vms } from '../db/schema';
import { type EventToStore, storeBatch } from '../db/queries/event-store';
import { computeAvailability } from '../monitoring/availability';
import { eventsInIdRange, historyForVm, latestEventId } from '../db/queries/vm-events';
import { seriesForVm, seriesListForVm } from '../db/queries/vm-metrics';
import { AVAILABILITY_INDEX, loadStateHistory } from '../db/queries/vm-state-history';
import { type OwnedVm, listAccountVms, ownedVm, vmSummary } from '../db/queries/vms';
import { availabilityFor, availabilityForVm, loadAccountAvailability } from './availability';
import { LiveCursor } from './live';
import { availabilityWindows, vmPageForVm } from './page-data';
import { StateHistoryCache } from './history-cache';
import { HISTORY_PAGE_SIZE, type HistoryParams, parseHistoryParams, fromSearchParams } from './params';

// The VM queries (lib/db/queries/vm*.ts) and what lib/vms builds on them, called as the pages and routes
// call them (ownership check first, then the …ForVm functions), against the real MariaDB, on VMs of their
// own (accounts and host names unique to this run), fed through the ingester's own store so rows look
// exactly as in production.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 4 });
const run = randomUUID().slice(0, 8);
const H = 3_600_000;
const NOW = Date.now();
const T0 = NOW - 10 * 24 * H; // ten days of history

let mine: { account: number; vm: number; other: number };
let theirs: { account: number; vm: number };
/** mine.vm as the ownership check hands it to the pages and routes. */
let myVm: OwnedVm;
const host = `q-${run}.example`;

type Ev = { at: number; service: string | null; state: string; type?: 'HARD' | 'SOFT'; attempt?: number; check?: boolean; perfdata?: { label: string; value: number; unit: string; warn?: number; crit?: number; max?: number } };
let n = 0;
function event(e: Ev, hostname = host): EventToStore {
  n++;
  return {
    key: `vmq-${run}-${String(n).padStart(8, '0')}`.padEnd(64, 'x'),
    check: e.check ?? false,
    kind: e.service === null ? 'host' : 'service',
    hostname,
    hostName: hostname,
    address: null,
    service: e.service,
    state: e.state,
    stateType: e.type ?? 'HARD',
    stateDurationSec: 0,
    attempt: e.attempt ?? 3,
    maxAttempts: 3,
    occurredAt: new Date(e.at),
    output: `${e.service ?? 'host'} ${e.state}`,
    samples: e.perfdata
      ? [{ label: e.perfdata.label, value: e.perfdata.value, unit: e.perfdata.unit, warn: e.perfdata.warn ?? null, crit: e.perfdata.crit ?? null, min: 0, max: e.perfdata.max ?? null }]
      : [],
  };
}

// The history of host q-…: known states before the windows, a CRITICAL, SOFT flapping, a service that
// first appears with a SOFT problem, and a recent HARD problem that is still open.
const HISTORY: Ev[] = [
  { at: T0, service: null, state: 'UP' },
  { at: T0 + 1000, service: 'HTTP', state: 'OK' },
  { at: T0 + 2000, service: 'SSH', state: 'OK' },
  { at: NOW - 50 * H, service: 'HTTP', state: 'CRITICAL' },
  { at: NOW - 48 * H, service: 'HTTP', state: 'OK' },
  // Flapping inside the last 24 hours, never confirmed.
  { at: NOW - 20 * H, service: 'SSH', state: 'WARNING', type: 'SOFT', attempt: 1 },
  { at: NOW - 20 * H + 60_000, service: 'SSH', state: 'OK' },
  { at: NOW - 19 * H, service: 'SSH', state: 'CRITICAL', type: 'SOFT', attempt: 1 },
  { at: NOW - 19 * H + 60_000, service: 'SSH', state: 'OK' },
  // A new service whose first sign is a SOFT problem (its earlier time is no data).
  { at: NOW - 12 * H, service: 'Queue', state: 'WARNING', type: 'SOFT', attempt: 1 },
  { at: NOW - 6 * H, service: 'Queue', state: 'WARNING' },
  // Open problem: the window ending now counts it up to now.
  { at: NOW - 2 * H, service: 'HTTP', state: 'CRITICAL', type: 'SOFT', attempt: 1 },
  { at: NOW - 2 * H + 60_000, service: 'HTTP', state: 'CRITICAL' },
];

beforeAll(async () => {
  const [plan] = await db.select({ id: plans.id }).from(plans).limit(1);
  const make = async (slug: string) => (await db.insert(accounts).values({ slug, name: `Account ${slug}` }).$returningId())[0]!.id;
  const account = await make(`q-${run}`);
  const otherAccount = await make(`q-${run}-other`);
  const vm = (n: string, acc: number) =>
    db.insert(vms).values({ accountId: acc, nagiosHostName: n, hostname: n, address: `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`, ubuntuRelease: '22.04', planId: plan!.id }).$returningId();
  const [a] = await vm(host, account);
  const [b] = await vm(`q2-${run}.example`, account);
  const [c] = await vm(`q-${run}.other.example`, otherAccount);
  mine = { account, vm: a!.id, other: b!.id };
  theirs = { account: otherAccount, vm: c!.id };

  const perf: Ev[] = [];
  for (let t = NOW - 30 * H; t < NOW; t += H) {
    perf.push({ at: t, service: 'Disk /', state: 'OK', check: true, perfdata: { label: '/', value: 1000 + (NOW - t) / H, unit: 'MB', warn: 8000, crit: 9000, max: 10_000 } });
  }
  await storeBatch(db, { events: [...HISTORY.map((e) => event(e)), ...perf.map((e) => event(e))] });
  await storeBatch(db, { events: [event({ at: NOW - H, service: 'HTTP', state: 'CRITICAL' }, `q-${run}.other.example`)] });
  myVm = (await ownedVm(db, mine.account, mine.vm))!;
});

const all: HistoryParams = { cursor: null, limit: HISTORY_PAGE_SIZE, states: [] };
const params = (query: string) => {
  const r = parseHistoryParams(fromSearchParams(new URLSearchParams(query)), 'UTC');
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('scoping', () => {
  // Every VM query takes the OwnedVm only this check makes, so this is the one gate the pages and routes pass.
  it('answers null for another account’s VM, and the VM itself for its own account', async () => {
    expect(await ownedVm(db, mine.account, theirs.vm)).toBeNull();
    expect(await ownedVm(db, theirs.account, mine.vm)).toBeNull();
    expect(await ownedVm(db, mine.account, 0)).toBeNull();
    expect(await ownedVm(db, mine.account, 2 ** 40)).toBeNull();
    expect(myVm).toMatchObject({ id: mine.vm, accountId: mine.account, hostname: host, nagiosHostName: host, ubuntuRelease: '22.04' });
    expect((await ownedVm(db, theirs.account, theirs.vm))?.id).toBe(theirs.vm);
  });

  it('lists exactly the account’s own VMs, and answers null for another account’s VM by id', async () => {
    expect(new Set((await listAccountVms(db, mine.account)).map((v) => v.id))).toEqual(new Set([mine.vm, mine.other]));
    expect((await listAccountVms(db, theirs.account)).map((v) => v.id)).toEqual([theirs.vm]);
    // One VM as the API and the firewall page show it: the same summary as in the list.
    const summary = await vmSummary(db, myVm);
    expect(summary.id).toBe(mine.vm);
    expect(summary).toEqual((await listAccountVms(db, mine.account)).find((v) => v.id === mine.vm));
    expect(summary).toMatchObject({ hostState: 'UP', worst: 'CRITICAL' });
  });

  it('reports only the account’s own VMs in the account report', async () => {
    const rows = await loadAccountAvailability(db, mine.account, { windows: [{ from: new Date(NOW - 24 * H), to: new Date(NOW) }] });
    expect(new Set(rows.map((r) => r.vmId))).toEqual(new Set([mine.vm, mine.other]));
  });
});

describe('history', () => {
  it('lists state changes newest first, without perfdata check results', async () => {
    const page = await historyForVm(db, myVm, all);
    expect(page!.events.map((e) => e.occurredAt.getTime())).toEqual(HISTORY.map((e) => e.at).sort((a, b) => b - a));
    expect(page!.events[0]).toMatchObject({ service: 'HTTP', state: 'CRITICAL', stateType: 'HARD', attempt: 3, maxAttempts: 3 });
    expect(page!.events.at(-1)).toMatchObject({ kind: 'host', service: null, state: 'UP' });
    expect(page!.nextCursor).toBeNull();
  });

  it('pages with a cursor through every row exactly once', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await historyForVm(db, myVm, params(`limit=4${cursor ? `&cursor=${cursor}` : ''}`));
      seen.push(...page!.events.map((e) => e.id));
      cursor = page!.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(Math.ceil(HISTORY.length / 4));
    expect(seen).toHaveLength(HISTORY.length);
    expect(new Set(seen).size).toBe(HISTORY.length);
  });

  it('filters by service, host, state, HARD/SOFT and date range', async () => {
    const list = async (query: string) => (await historyForVm(db, myVm, params(query)))!.events;
    expect((await list('service=SSH')).map((e) => e.state)).toEqual(['OK', 'CRITICAL', 'OK', 'WARNING', 'OK']);
    expect((await list('kind=host')).map((e) => e.service)).toEqual([null]);
    expect((await list('kind=service')).every((e) => e.service !== null)).toBe(true);
    expect((await list('state=CRITICAL')).map((e) => e.service)).toEqual(['HTTP', 'HTTP', 'SSH', 'HTTP']);
    expect((await list('state=CRITICAL&type=SOFT')).map((e) => e.occurredAt.getTime())).toEqual([NOW - 2 * H, NOW - 19 * H]);
    const from = new Date(NOW - 21 * H).toISOString();
    const to = new Date(NOW - 10 * H).toISOString();
    expect((await list(`from=${from}&to=${to}`)).map((e) => e.service)).toEqual(['Queue', 'SSH', 'SSH', 'SSH', 'SSH']);
    expect(await list('service=Nope')).toEqual([]);
  });
});

describe('availability from the history', () => {
  const day = { from: new Date(NOW - 24 * H), to: new Date(NOW) };

  it('counts a state that began before the window, an open problem up to now, and ignores SOFT flapping', async () => {
    const rows = (await availabilityForVm(db, myVm, { windows: [day], now: new Date(NOW) }))!;
    const of = (service: string | null) => rows.find((r) => r.service === service)!.windows[0]!;
    expect(rows.map((r) => r.service)).toEqual([null, 'Disk /', 'HTTP', 'Queue', 'SSH']);
    // HTTP: OK from before the window, CRITICAL for the last 2 h minus the SOFT minute.
    expect(of('HTTP').states.CRITICAL?.ms).toBe(2 * H - 60_000);
    expect(of('HTTP').upMs).toBe(22 * H + 60_000);
    expect(of('HTTP').noDataMs).toBe(0);
    // SSH flapped twice, never HARD: up all day.
    expect(of('SSH').availabilityPctOfWindow).toBe(100);
    // Queue: no data until its first (SOFT) sign, which shows it was up; then HARD WARNING.
    expect(of('Queue').noDataMs).toBe(12 * H);
    expect(of('Queue').upMs).toBe(6 * H);
    expect(of('Queue').states.WARNING?.ms).toBe(6 * H);
    expect(of('Queue').availabilityPctOfWindow).toBe(25);
    // Disk / has only check results: a row, all no data, never counted as up.
    expect(of('Disk /').noDataMs).toBe(24 * H);
    expect(of('Disk /').availabilityPctOfWindow).toBe(0);
  });

  it('counts SOFT states when asked to', async () => {
    const rows = (await availabilityForVm(db, myVm, { windows: [day], now: new Date(NOW), hardOnly: false }))!;
    const ssh = rows.find((r) => r.service === 'SSH')!.windows[0]!;
    expect(ssh.states.WARNING?.ms).toBe(60_000);
    expect(ssh.states.CRITICAL?.ms).toBe(60_000);
    expect(rows.find((r) => r.service === 'HTTP')!.windows[0]!.states.CRITICAL?.ms).toBe(2 * H);
  });

  it('reports a window with no events from the state before it, and a window before any data as no data', async () => {
    const quiet = { from: new Date(NOW - 40 * H), to: new Date(NOW - 30 * H) };
    const early = { from: new Date(T0 - 10 * H), to: new Date(T0) };
    const rows = (await availabilityForVm(db, myVm, { windows: [quiet, early], now: new Date(NOW) }))!;
    const http = rows.find((r) => r.service === 'HTTP')!;
    expect(http.windows[0]!.availabilityPctOfWindow).toBe(100);
    expect(http.windows[1]!.noDataPct).toBe(100);
  });

  it('excludes the future from a window that ends after now', async () => {
    const rows = (await availabilityForVm(db, myVm, { windows: [{ from: new Date(NOW - 12 * H), to: new Date(NOW + 12 * H) }], now: new Date(NOW) }))!;
    const a = rows.find((r) => r.service === null)!.windows[0]!;
    expect(a.windowMs).toBe(12 * H);
    expect(a.excludedFutureMs).toBe(12 * H);
  });

  it('computes each window like a direct computation over that window', async () => {
    const windows = [day, { from: new Date(NOW - 7 * 24 * H), to: new Date(NOW) }, { from: new Date(NOW - 3 * H), to: new Date(NOW - H) }];
    for (const hardOnly of [true, false]) {
      const union = await loadStateHistory(db, [mine.vm], { from: windows[1]!.from, to: new Date(NOW) }, { hardOnly });
      const combined = availabilityFor(union, windows, { hardOnly, now: new Date(NOW) });
      for (const [i, w] of windows.entries()) {
        const direct = await loadStateHistory(db, [mine.vm], w, { hardOnly: false });
        for (const h of direct) {
          const expected = computeAvailability(w, h.changes, h.prior, { hardOnly, now: new Date(NOW) });
          const got = combined.find((c) => (c.service ?? '') === h.service)!.windows[i]!;
          expect({ service: h.service, hardOnly, i, states: got.states, noData: got.noDataMs }).toEqual({ service: h.service, hardOnly, i, states: expected.states, noData: expected.noDataMs });
        }
      }
    }
  });

  it('gives the same answer with the covering index ignored, and uses it when allowed', async () => {
    const windows = [{ from: new Date(NOW - 7 * 24 * H), to: new Date(NOW) }];
    const a = await availabilityForVm(db, myVm, { windows, now: new Date(NOW) });
    const b = await availabilityForVm(db, myVm, { windows, now: new Date(NOW), ignoreIndexes: [AVAILABILITY_INDEX] });
    expect(b).toEqual(a);
    const [plan] = await db.$client.query<RowDataPacket[]>(
      `EXPLAIN SELECT vm_id, service, state, state_type, occurred_at FROM monitoring_events WHERE vm_id IN (?) AND occurred_at >= ? AND occurred_at < ? ORDER BY vm_id, occurred_at, id`,
      [[mine.vm], windows[0]!.from, windows[0]!.to],
    );
    expect(plan[0]).toMatchObject({ key: AVAILABILITY_INDEX });
    expect(String(plan[0]!.Extra)).toContain('Using index');
    expect(String(plan[0]!.Extra)).not.toContain('filesort');
  });
});

describe('metrics', () => {
  it('lists series with their latest value, and loads one in base units with thresholds', async () => {
    expect(await seriesListForVm(db, myVm)).toEqual([{ service: 'Disk /', label: '/', unit: 'MB', latest: { at: expect.any(Date), value: 1001 } }]);
    const s = (await seriesForVm(db, myVm, { service: 'Disk /', label: '/', from: new Date(NOW - 24 * H), to: new Date(NOW), points: 100 }))!;
    expect(s.unit).toBe('B');
    expect(s.bucketMs).toBeNull();
    expect(s.points).toHaveLength(24);
    expect(s.points.at(-1)!.value).toBe(1001 * 1024 * 1024);
    expect(s).toMatchObject({ warn: 8000 * 1024 ** 2, crit: 9000 * 1024 ** 2, min: 0, max: 10_000 * 1024 ** 2 });
  });

  it('averages long windows into at most the asked number of buckets', async () => {
    const s = (await seriesForVm(db, myVm, { service: 'Disk /', label: '/', from: new Date(NOW - 30 * H), to: new Date(NOW), points: 10 }))!;
    expect(s.bucketMs).toBe(3 * H);
    expect(s.points.length).toBeLessThanOrEqual(10);
    expect(s.points.reduce((sum, p) => sum + p.samples, 0)).toBe(30);
    const first = s.points[0]!;
    expect(first.low).toBeLessThan(first.high!);
    expect(first.value).toBeGreaterThan(first.low!);
  });
});

describe('the VM page data', () => {
  it('brings current states, history, three windows and charts together', async () => {
    const page = (await vmPageForVm(db, myVm, { now: new Date(NOW + 1000), history: all, hardOnly: true, custom: null, chartRange: '7d' }))!;
    expect(page.worst).toBe('CRITICAL');
    expect(page.states[0]!.service).toBeNull();
    expect(page.states[1]).toMatchObject({ service: 'HTTP', state: 'CRITICAL' });
    expect(page.availability.windows.map((w) => w.key)).toEqual(['24h', '7d', '30d']);
    expect(page.services).toEqual(['Disk /', 'HTTP', 'Queue', 'SSH']);
    expect(page.charts.map((c) => `${c.service}|${c.label}`)).toEqual(['Disk /|/']);
    expect(page.liveAfterId).toBeGreaterThan(0);
  });
});

describe('live', () => {
  it('finds a new event by id for its VM only', async () => {
    const before = await latestEventId(db);
    const cursor = new LiveCursor(before);
    await storeBatch(db, { events: [event({ at: NOW, service: 'HTTP', state: 'OK' }), event({ at: NOW, service: 'HTTP', state: 'OK' }, `q-${run}.other.example`)] });
    const max = await latestEventId(db);
    const found = await eventsInIdRange(db, [mine.vm], cursor.scanFrom, max);
    expect(found.map((e) => [e.vmId, e.service, e.state])).toEqual([[mine.vm, 'HTTP', 'OK']]);
    expect(found.every((e) => cursor.claim(e.id))).toBe(true);
    expect(found.some((e) => cursor.claim(e.id))).toBe(false);
  });
});

describe('the state-history cache', () => {
  it('stays equal to a fresh read as events arrive, including late ones, SOFT ones and new services', async () => {
    const vm = myVm;
    const cache = new StateHistoryCache();
    const compare = async () => {
      const now = new Date();
      const windows = availabilityWindows(now, { from: new Date(now.getTime() - 3 * H), to: now });
      for (const hardOnly of [true, false]) {
        const viaCache = await availabilityForVm(db, vm, { windows, now, hardOnly, cache });
        const direct = await availabilityForVm(db, vm, { windows, now, hardOnly, cache: null });
        expect(viaCache).toEqual(direct);
      }
    };
    await compare();
    const t = Date.now();
    await storeBatch(db, {
      events: [
        event({ at: t - 1000, service: 'SSH', state: 'CRITICAL', type: 'SOFT', attempt: 1 }),
        event({ at: t - 500, service: 'SSH', state: 'CRITICAL' }),
        event({ at: t - 400, service: 'Backup', state: 'WARNING', type: 'SOFT', attempt: 1 }),
        // Late: delivered now, happened three days ago (inside the cached month).
        event({ at: t - 72 * H, service: 'HTTP', state: 'UNKNOWN' }),
        event({ at: t - 71 * H, service: 'HTTP', state: 'OK' }),
      ],
    });
    await compare();
    // Late and older than the cached month: the entry is read again.
    await storeBatch(db, { events: [event({ at: t - 40 * 24 * H, service: 'SSH', state: 'WARNING' })] });
    await compare();
    const ssh = (await availabilityForVm(db, vm, { windows: [{ from: new Date(t - 3 * H), to: new Date() }], cache }))!.find((r) => r.service === 'SSH')!;
    expect(ssh.windows[0]!.states.CRITICAL?.ms).toBeGreaterThan(0);
  });

  // The VM q2-… gets three HTTP changes; then one of them is rewritten in place, which the id-range
  // update never sees (events are only ever added): the cache shows the old state until its entry is
  // read again, so the answer tells whether an entry was kept or dropped.
  describe('expiry and the size bound', () => {
    const otherHost = `q2-${run}.example`;
    const flood = `q2-flood-${run}.example`;
    let other: OwnedVm;
    let critical: number;
    const httpStates = async (cache: StateHistoryCache | null, hardOnly = true) => {
      const now = new Date();
      const rows = await availabilityForVm(db, other, { windows: [{ from: new Date(now.getTime() - 24 * H), to: now }], now, hardOnly, cache });
      return Object.keys(rows.find((r) => r.service === 'HTTP')!.windows[0]!.states).sort();
    };
    const rewrite = (state: string) => db.$client.query('UPDATE monitoring_events SET state = ? WHERE id = ?', [state, critical]);

    beforeAll(async () => {
      const t = Date.now();
      await storeBatch(db, {
        events: [
          event({ at: t - 5 * H, service: 'HTTP', state: 'OK' }, otherHost),
          event({ at: t - 4 * H, service: 'HTTP', state: 'CRITICAL' }, otherHost),
          event({ at: t - 3 * H, service: 'HTTP', state: 'OK' }, otherHost),
        ],
      });
      other = (await ownedVm(db, mine.account, mine.other))!;
      const [rows] = await db.$client.query<RowDataPacket[]>("SELECT id FROM monitoring_events WHERE vm_id = ? AND state = 'CRITICAL'", [mine.other]);
      critical = rows[0]!.id as number;
    });

    it('keeps an entry for five minutes from its full read, then reads it again', async () => {
      await rewrite('CRITICAL');
      let clock = Date.now();
      const cache = new StateHistoryCache({ now: () => clock });
      expect(await httpStates(cache)).toEqual(['CRITICAL', 'OK']);
      await rewrite('WARNING');
      expect(await httpStates(null)).toEqual(['OK', 'WARNING']);
      clock += 5 * 60_000;
      expect(await httpStates(cache)).toEqual(['CRITICAL', 'OK']); // still the entry read five minutes ago
      clock += 1;
      expect(await httpStates(cache)).toEqual(['OK', 'WARNING']);
    });

    it('keeps an entry while other VMs\' events pour in (a busy ingester: tens of thousands a minute)', async () => {
      await rewrite('CRITICAL');
      const cache = new StateHistoryCache();
      expect(await httpStates(cache)).toEqual(['CRITICAL', 'OK']);
      await rewrite('WARNING');
      // 25,000 events of a host no VM has, received now: the cache's id range spans them all.
      await db.$client.query(
        `INSERT INTO monitoring_events (event_key, vm_id, hostname, kind, service, state, state_type, state_duration_sec, attempt, max_attempts, occurred_at, received_at)
         SELECT CONCAT('vmq-flood-', ?, '-', seq), NULL, ?, 'service', 'Load', 'OK', 'HARD', 0, 1, 3, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) FROM seq_1_to_25000`,
        [run, flood],
      );
      expect(await httpStates(cache)).toEqual(['CRITICAL', 'OK']); // still the entry, not a full read
    });

    it('drops the least recently used entry when the changes it holds exceed the bound', async () => {
      // Each entry here holds 3 changes: a bound of 6 keeps two, 5 keeps one.
      for (const [maxChanges, kept] of [
        [6, true],
        [5, false],
      ] as const) {
        await rewrite('CRITICAL');
        const cache = new StateHistoryCache({ maxChanges });
        expect(await httpStates(cache, true)).toEqual(['CRITICAL', 'OK']);
        await rewrite('WARNING');
        expect(await httpStates(cache, true)).toEqual(['CRITICAL', 'OK']);
        expect(await httpStates(cache, false)).toEqual(['OK', 'WARNING']); // a second entry (SOFT states counted)
        expect(await httpStates(cache, true), `maxChanges ${maxChanges}`).toEqual(kept ? ['CRITICAL', 'OK'] : ['OK', 'WARNING']);
      }
    });
  });
});

afterAll(async () => {
  // Leave the shared test database as the demo data set expects it.
  const ids = [mine?.vm, mine?.other, theirs?.vm].filter((x): x is number => typeof x === 'number');
  if (ids.length === 0) return pool.end();
  await db.$client.query('DELETE FROM monitoring_events WHERE vm_id IN (?)', [ids]);
  await db.$client.query('DELETE FROM monitoring_events WHERE hostname = ?', [`q2-flood-${run}.example`]);
  await db.$client.query('DELETE FROM perf_samples WHERE vm_id IN (?)', [ids]);
  await db.$client.query('DELETE FROM service_states WHERE vm_id IN (?)', [ids]);
  await db.delete(vms).where(inArray(vms.id, ids));
  await db.delete(accounts).where(eq(accounts.slug, `q-${run}`));
  await db.delete(accounts).where(eq(accounts.slug, `q-${run}-other`));
  await pool.end();
});
