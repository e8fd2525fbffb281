import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../index';
import { perfRollups, perfSamples, vms } from '../schema';
import { rollUpPerfSamples, rollupState } from './perf-rollups';
import { rollupPlan, seriesForVm } from './vm-metrics';
import { accountOwnedVms, type OwnedVm } from './vms';

// The hourly and daily rollups against the real database, on a series of its own (a unique service name on
// the demo's web-01): each sample counted once however many jobs run and however late it came, and a long
// chart read from the rollups plus the samples not rolled up yet equals the same chart computed from raw
// samples.

const db = getDb();
const run = randomUUID().slice(0, 8);
const SERVICE = `rollup-${run}`;
const H = 3_600_000;
const key = () => randomUUID().replaceAll('-', '').padEnd(64, '0');
let vm: OwnedVm;

const sample = (label: string, at: number, value: number | null, unit = 'MB') => ({
  eventKey: key(),
  vmId: vm.id,
  hostname: 'web-01.acme.example',
  service: SERVICE,
  label,
  value,
  unit,
  sampledAt: new Date(at),
});

const rollups = async (label: string) =>
  (await db.select().from(perfRollups).where(eq(perfRollups.service, SERVICE)))
    .filter((r) => r.label === label)
    .map((r) => `${r.period} ${r.bucketStart.toISOString().slice(0, 13)} ${r.unit} n=${r.samples} v=${r.valued} sum=${r.sum} ${r.low}..${r.high}`)
    .sort();

beforeAll(async () => {
  const [row] = await db.select({ accountId: vms.accountId, id: vms.id }).from(vms).where(eq(vms.nagiosHostName, 'web-01.acme.example'));
  vm = (await accountOwnedVms(db, row!.accountId)).find((v) => v.id === row!.id)!;
});

afterAll(async () => {
  await db.delete(perfSamples).where(eq(perfSamples.service, SERVICE));
  await db.delete(perfRollups).where(eq(perfRollups.service, SERVICE));
});

describe('perf rollups', () => {
  it('sums each sample once into its hour and day, per unit, with U counted but not averaged; a late sample adds to its hour', async () => {
    const t = Date.UTC(2001, 5, 1, 10, 0, 0);
    await db.insert(perfSamples).values([sample('a', t + 60_000, 10), sample('a', t + 120_000, 30), sample('a', t + 180_000, null), sample('a', t + H, 5), sample('a', t + H + 1, 1, 'GB')]);
    // Three jobs at once: the state row's lock lets each id range in once.
    await Promise.all([0, 1, 2].map(() => rollUpPerfSamples(db, { settleMs: 0, step: 200 })));
    expect(await rollups('a')).toEqual([
      'day 2001-06-01T00 GB n=1 v=1 sum=1 1..1',
      'day 2001-06-01T00 MB n=4 v=3 sum=45 5..30',
      'hour 2001-06-01T10 MB n=3 v=2 sum=40 10..30',
      'hour 2001-06-01T11 GB n=1 v=1 sum=1 1..1',
      'hour 2001-06-01T11 MB n=1 v=1 sum=5 5..5',
    ]);
    // Run again: nothing new, nothing added twice. Then a sample of 10:00 that arrives late.
    await rollUpPerfSamples(db, { settleMs: 0 });
    await db.insert(perfSamples).values(sample('a', t + 240_000, 2));
    await rollUpPerfSamples(db, { settleMs: 0 });
    expect(await rollups('a')).toEqual([
      'day 2001-06-01T00 GB n=1 v=1 sum=1 1..1',
      'day 2001-06-01T00 MB n=5 v=4 sum=47 2..30',
      'hour 2001-06-01T10 MB n=4 v=3 sum=42 2..30',
      'hour 2001-06-01T11 GB n=1 v=1 sum=1 1..1',
      'hour 2001-06-01T11 MB n=1 v=1 sum=5 5..5',
    ]);
  });

  it('walks only to ids seen a settling time ago, so a transaction still open with a lower id is never skipped', async () => {
    const far = Date.now() + 1e9; // later than any look another test took
    await db.insert(perfSamples).values(sample('settle', Date.UTC(2001, 5, 2, 0, 30), 7));
    await rollUpPerfSamples(db, { settleMs: 60_000, clock: () => far }); // looks: the new id is seen now
    expect(await rollups('settle')).toEqual([]);
    await rollUpPerfSamples(db, { settleMs: 60_000, clock: () => far + 30_000 }); // not settled yet
    expect(await rollups('settle')).toEqual([]);
    const run = await rollUpPerfSamples(db, { settleMs: 60_000, clock: () => far + 61_000 });
    expect(run.samples).toBeGreaterThanOrEqual(1);
    expect(await rollups('settle')).toEqual(['day 2001-06-02T00 MB n=1 v=1 sum=7 7..7', 'hour 2001-06-02T00 MB n=1 v=1 sum=7 7..7']);
    expect((await rollupState(db)).through).toBe(run.through);
    // That look is dated in the future for the real clock: the next real run looks again instead of waiting for ever.
    await rollUpPerfSamples(db, { settleMs: 60_000 });
    expect(Date.parse((await rollupState(db)).seenAt!)).toBeLessThanOrEqual(Date.now());
  });

  it('draws a 90-day chart from the rollups and the samples not rolled up yet, as raw samples would give it', async () => {
    const now = Date.now();
    const from = now - 90 * 24 * H;
    // A sample every 2 hours for 100 days, rolled up; then the last 10 hours again, stored after the job ran.
    const old = Array.from({ length: 1200 }, (_, i) => sample('chart', now - 100 * 24 * H + i * 2 * H, i % 7 === 0 ? null : i % 50));
    for (let i = 0; i < old.length; i += 400) await db.insert(perfSamples).values(old.slice(i, i + 400));
    await rollUpPerfSamples(db, { settleMs: 0 });
    const fresh = Array.from({ length: 10 }, (_, i) => sample('chart', now - (10 - i) * H + 1000, 100 + i));
    await db.insert(perfSamples).values(fresh);

    const plan = rollupPlan(90 * 24 * H, 240);
    expect(plan).toEqual({ period: 'hour', bucketMs: 9 * H });
    const chart = await seriesForVm(db, vm, { service: SERVICE, label: 'chart', from: new Date(from), to: new Date(now), points: 240 });
    expect(chart.bucketMs).toBe(plan.bucketMs);

    // The same buckets from raw samples, in JS: whole rollup hours inside the window, every fresh sample.
    const fromHour = Math.ceil(from / H) * H;
    const inWindow = [...old, ...fresh].filter((s) => (s.sampledAt.getTime() >= fromHour || fresh.includes(s)) && s.sampledAt.getTime() >= from && s.sampledAt.getTime() < now);
    const expected = new Map<number, { n: number; values: number[] }>();
    for (const s of inWindow) {
      const b = Math.floor(s.sampledAt.getTime() / plan.bucketMs) * plan.bucketMs;
      const e = expected.get(b) ?? { n: 0, values: [] };
      e.n += 1;
      if (s.value !== null) e.values.push(s.value * 1024 * 1024);
      expected.set(b, e);
    }
    const want = [...expected.entries()]
      .sort(([a], [b]) => a - b)
      .map(([b, e]) => ({ at: b, samples: e.n, value: e.values.length ? e.values.reduce((x, y) => x + y, 0) / e.values.length : null, low: e.values.length ? Math.min(...e.values) : null, high: e.values.length ? Math.max(...e.values) : null }));
    const got = chart.points.map((p) => ({ at: p.at.getTime(), samples: p.samples, value: p.value, low: p.low, high: p.high }));
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) {
      expect(got[i]!.at).toBe(want[i]!.at);
      expect(got[i]!.samples).toBe(want[i]!.samples);
      expect(got[i]!.low).toBe(want[i]!.low);
      expect(got[i]!.high).toBe(want[i]!.high);
      if (want[i]!.value === null) expect(got[i]!.value).toBeNull();
      else expect(got[i]!.value).toBeCloseTo(want[i]!.value!, 3);
    }
    expect(chart.points.at(-1)!.high).toBe(109 * 1024 * 1024); // the freshest sample is on the chart
    expect(chart.unit).toBe('B');
  });

  it('reads daily rows for a year', () => {
    expect(rollupPlan(365 * 24 * H, 240)).toEqual({ period: 'day', bucketMs: 2 * 24 * H });
    expect(rollupPlan(40 * 24 * H, 240)).toEqual({ period: 'hour', bucketMs: 4 * H });
  });
});
