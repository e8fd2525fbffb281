import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2';
import { createDb } from '@/lib/db/connection';
import { rollUpPerfSamples } from '@/lib/db/queries/perf-rollups';
import { seriesForVm } from '@/lib/db/queries/vm-metrics';
import { type OwnedVm, accountOwnedVms } from '@/lib/db/queries/vms';
import { retentionEnv } from '@/lib/retention/policy';
import { runRetention } from '@/lib/retention/run';
import { stackConfig } from '../stack/config';
import { startStack } from '../stack/stack';
import { percentile } from './portal-load';
import { benchNumber, freshBenchDatabase } from './bench-env';

// npm run bench:history — a year of history in a database of its own (porthole_bench_history, dropped and
// seeded afresh each run):
//
// 1. Seeds BENCH_VMS (2,000) VMs. The heavy VM (id 1) has a year of 1-minute "Disk /" samples (525,600
//    rows); every other VM has its last BENCH_RAW_DAYS (2) days of 5-minute samples, and, standing for the
//    year the job would have rolled up before, hourly rollups for BENCH_HOURLY_DAYS (90) days and daily ones
//    for 365 days. Then the rollup job itself (lib/db/queries/perf-rollups.ts) rolls up every raw sample,
//    the heavy VM's year included: its rate and longest step are printed.
// 2. The heavy VM's charts as the VM page draws them (seriesForVm, 240 points), interleaved, after a warm-up:
//    30 days (raw samples, as before rollups), 90 days (hourly rollups) and a year (daily rollups), plus the
//    year read from raw samples with the same bucketing, for what the rollups save (5 rounds). p50/p95 over
//    BENCH_ITERATIONS (40) each. Targets: the year's and the 90 days' p95 at most the 30 days' raw p95.
// 3. Retention while samples are written: a writer inserts BENCH_WRITE_ROWS (200) samples every 100 ms
//    (as an ingester's batches would) while `runRetention` rolls up and deletes the heavy VM's samples older
//    than 180 days in batches. Printed: each table's deletes and longest statement, the longest rollup
//    step, and the writer's insert latency before and during. Target: the longest lock (the longest single
//    delete, as long as a writer can wait on it; a rollup step reads at READ COMMITTED and locks nothing a
//    writer needs) at most 100 ms.
// It exits 0 with PASS/FAIL lines, or 1 when it could not run. Not part of `npm test`.

const VMS = benchNumber('BENCH_VMS', 2000);
const RAW_DAYS = benchNumber('BENCH_RAW_DAYS', 2);
const HOURLY_DAYS = benchNumber('BENCH_HOURLY_DAYS', 90);
const ITERATIONS = benchNumber('BENCH_ITERATIONS', 40);
const RAW_YEAR_ROUNDS = 5;
const WRITE_ROWS = benchNumber('BENCH_WRITE_ROWS', 200);
const ACCOUNTS = Math.max(1, Math.round(VMS / 5));
const { dbUser, dbPassword, mariadbPort } = stackConfig;
const DATABASE_URL = `mysql://${dbUser}:${dbPassword}@127.0.0.1:${mariadbPort}/porthole_bench_history`;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTES_A_YEAR = 365 * 24 * 60;

const sqlTime = (ms: number) => new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
const secs = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const fmt = (n: number) => n.toLocaleString('en-US');

async function seed(now: number): Promise<void> {
  await freshBenchDatabase(DATABASE_URL);
  const conn = await mysql.createConnection({ uri: DATABASE_URL, timezone: 'Z', multipleStatements: false });
  try {
    await conn.query("INSERT INTO plans (slug, name, vcpus, memory_mb, disk_gb, transfer_gb, price_cents, sort_order) VALUES ('small', 'Small', 1, 1024, 25, 1000, 500, 0)");
    const [[plan]] = await conn.query<RowDataPacket[]>('SELECT id FROM plans');
    const created = sqlTime(now - 400 * DAY);
    await conn.query('INSERT INTO accounts (id, slug, name, created_at) VALUES ?', [Array.from({ length: ACCOUNTS }, (_, i) => [i + 1, `bench-${i + 1}`, `Bench ${i + 1}`, created])]);
    const vmRows = Array.from({ length: VMS }, (_, i) => [i + 1, (i % ACCOUNTS) + 1, `vm-${i + 1}.bench.example`, `vm-${i + 1}.bench.example`, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, '24.04', plan!.id, created]);
    for (let i = 0; i < vmRows.length; i += 1000) {
      await conn.query('INSERT INTO vms (id, account_id, nagios_host_name, hostname, address, ubuntu_release, plan_id, created_at) VALUES ?', [vmRows.slice(i, i + 1000)]);
    }
    const end = Math.floor(now / 60_000) * 60_000;
    // The sequence engine (seq_0_to_N) makes the rows in the server: a slow saw-tooth of disk use in MB.
    let t = performance.now();
    for (let from = 0; from < MINUTES_A_YEAR; from += 100_000) {
      const to = Math.min(MINUTES_A_YEAR, from + 100_000) - 1;
      await conn.query(
        `INSERT INTO perf_samples (event_key, vm_id, hostname, service, label, value, unit, max, sampled_at)
         SELECT SHA2(CONCAT('heavy-', seq), 256), 1, 'vm-1.bench.example', 'Disk /', '/', 8000 + (seq MOD 20000) / 4 + (seq MOD 7), 'MB', 25600,
                DATE_SUB(?, INTERVAL seq MINUTE)
           FROM seq_${from}_to_${to}`,
        [sqlTime(end)],
      );
    }
    console.log(`[seed] heavy VM: ${fmt(MINUTES_A_YEAR)} one-minute samples in ${secs(t)} s`);
    t = performance.now();
    const rawPerVm = (RAW_DAYS * DAY) / (5 * 60_000);
    for (let vm = 2; vm <= VMS; vm += 200) {
      const last = Math.min(VMS, vm + 199);
      await conn.query(
        `INSERT INTO perf_samples (event_key, vm_id, hostname, service, label, value, unit, max, sampled_at)
         SELECT SHA2(CONCAT('raw-', v.seq, '-', s.seq), 256), v.seq, CONCAT('vm-', v.seq, '.bench.example'), 'Disk /', '/', 5000 + s.seq MOD 500, 'MB', 25600,
                DATE_SUB(?, INTERVAL 5 * s.seq MINUTE)
           FROM seq_${vm}_to_${last} v JOIN seq_0_to_${rawPerVm - 1} s`,
        [sqlTime(end)],
      );
    }
    console.log(`[seed] ${fmt(VMS - 1)} other VMs: ${fmt((VMS - 1) * rawPerVm)} five-minute samples (${RAW_DAYS} days) in ${secs(t)} s`);
    t = performance.now();
    // What the job would have rolled up before the raw rows went: hourly and daily rows older than the raw days.
    const hourEnd = Math.floor((end - RAW_DAYS * DAY) / HOUR) * HOUR;
    const dayEnd = Math.floor((end - RAW_DAYS * DAY) / DAY) * DAY;
    const hours = HOURLY_DAYS * 24;
    for (let vm = 2; vm <= VMS; vm += 100) {
      const last = Math.min(VMS, vm + 99);
      await conn.query(
        `INSERT INTO perf_rollups (vm_id, service, label, period, bucket_start, unit, samples, valued, sum, low, high)
         SELECT v.seq, 'Disk /', '/', 'hour', DATE_SUB(?, INTERVAL 1 + h.seq HOUR), 'MB', 12, 12, 12 * (5000 + h.seq MOD 500), 5000, 5500
           FROM seq_${vm}_to_${last} v JOIN seq_0_to_${hours - 1} h`,
        [sqlTime(hourEnd)],
      );
      await conn.query(
        `INSERT INTO perf_rollups (vm_id, service, label, period, bucket_start, unit, samples, valued, sum, low, high)
         SELECT v.seq, 'Disk /', '/', 'day', DATE_SUB(?, INTERVAL 1 + d.seq DAY), 'MB', 288, 288, 288 * (5000 + d.seq MOD 500), 5000, 5500
           FROM seq_${vm}_to_${last} v JOIN seq_0_to_364 d`,
        [sqlTime(dayEnd)],
      );
    }
    console.log(`[seed] ${fmt((VMS - 1) * (hours + 365))} rollup rows (hourly for ${HOURLY_DAYS} days, daily for 365) in ${secs(t)} s`);
  } finally {
    await conn.end();
  }
}

interface Timed {
  name: string;
  ms: number[];
}

async function main(): Promise<number> {
  await startStack();
  const now = Date.now();
  console.log(`bench:history — ${fmt(VMS)} VMs; run ${new Date(now).toISOString()}; ${process.env.NODE_EXTRA_CA_CERTS ? 'NODE_EXTRA_CA_CERTS set (no effect on in-process timings)' : ''}`);
  await seed(now);
  const { db, pool } = createDb(DATABASE_URL, { connectionLimit: 4 });
  const lines: string[] = [];
  const target = (label: string, pass: boolean, detail: string) => {
    lines.push(`${pass ? 'PASS' : 'FAIL'} ${label}: ${detail}`);
  };
  try {
    let t = performance.now();
    const rolled = await rollUpPerfSamples(db, { settleMs: 0 });
    const rollSeconds = (performance.now() - t) / 1000;
    console.log(
      `[rollup] the job rolled up ${fmt(rolled.samples)} samples in ${rolled.steps} steps, ${rollSeconds.toFixed(1)} s (${fmt(Math.round(rolled.samples / rollSeconds))} samples/s); longest step ${rolled.longestMs.toFixed(0)} ms`,
    );

    const [first] = await accountOwnedVms(db, 1);
    const heavy = first as OwnedVm;
    const chart = (days: number) => () => seriesForVm(db, heavy, { service: 'Disk /', label: '/', from: new Date(now - days * DAY), to: new Date(now), points: 240 });
    // The year from raw samples, bucketed as the page would without rollups (what a 1-year chart cost before).
    const rawYear = async () => {
      const bucket = Math.ceil((365 * DAY) / 240 / 1000) * 1000;
      await db.$client.query(
        `SELECT FLOOR((TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', sampled_at) DIV 1000) / ?) AS b, unit, AVG(value), MIN(value), MAX(value), COUNT(*)
           FROM perf_samples WHERE vm_id = 1 AND service = 'Disk /' AND label = '/' AND sampled_at >= ? AND sampled_at < ? GROUP BY b, unit`,
        [bucket, new Date(now - 365 * DAY), new Date(now)],
      );
    };
    const runs: Array<Timed & { run: () => Promise<unknown> }> = [
      { name: '30 days (raw samples)', ms: [], run: chart(30) },
      { name: '90 days (hourly rollups)', ms: [], run: chart(90) },
      { name: 'a year (daily rollups)', ms: [], run: chart(365) },
      { name: 'a year from raw samples', ms: [], run: rawYear },
    ];
    const points = await Promise.all([chart(30)(), chart(90)(), chart(365)()]);
    console.log(`[charts] points drawn: 30 days ${points[0]!.points.length}, 90 days ${points[1]!.points.length}, a year ${points[2]!.points.length}`);
    for (const r of runs.slice(0, 3)) for (let i = 0; i < 3; i++) await r.run(); // warm-up
    for (let i = 0; i < ITERATIONS; i++) {
      // The raw year is only there to show what the rollups save: a few rounds of it are enough.
      for (const r of i < RAW_YEAR_ROUNDS ? runs : runs.slice(0, 3)) {
        t = performance.now();
        await r.run();
        r.ms.push(performance.now() - t);
      }
    }
    for (const r of runs) console.log(`[charts] ${r.name.padEnd(26)} p50 ${percentile(r.ms, 50).toFixed(1)} ms, p95 ${percentile(r.ms, 95).toFixed(1)} ms`);
    const raw30 = percentile(runs[0]!.ms, 95);
    target('a year chart p95 <= the 30-day raw chart p95', percentile(runs[2]!.ms, 95) <= raw30, `${percentile(runs[2]!.ms, 95).toFixed(1)} ms vs ${raw30.toFixed(1)} ms`);
    target('a 90-day chart p95 <= the 30-day raw chart p95', percentile(runs[1]!.ms, 95) <= raw30, `${percentile(runs[1]!.ms, 95).toFixed(1)} ms vs ${raw30.toFixed(1)} ms`);

    // Retention while a writer inserts samples as an ingester's batches would.
    const writes: Array<{ at: number; ms: number }> = [];
    let stop = false;
    let serial = 0;
    const writer = (async () => {
      while (!stop) {
        const rows = Array.from({ length: WRITE_ROWS }, () => {
          serial++;
          const vm = (serial % VMS) + 1;
          return [`w${String(serial).padStart(63, '0')}`, vm, `vm-${vm}.bench.example`, 'Disk /', '/', 5000, 'MB', new Date()];
        });
        const started = performance.now();
        await db.$client.query('INSERT INTO perf_samples (event_key, vm_id, hostname, service, label, value, unit, sampled_at) VALUES ?', [rows]);
        writes.push({ at: started, ms: performance.now() - started });
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await new Promise((r) => setTimeout(r, 3_000));
    const retentionStarted = performance.now();
    const policy = retentionEnv.parse({ RETENTION_PERF_SAMPLES_DAYS: '180', RETENTION_ROLLUP_SETTLE_SECONDS: '0' });
    const { rollups, pruned } = await runRetention(db, policy, new Date(now));
    const retentionEnded = performance.now();
    await new Promise((r) => setTimeout(r, 1_000));
    stop = true;
    await writer;
    for (const p of pruned) console.log(`[retention] ${p.table}: ${fmt(p.deleted)} rows in ${p.batches} batches, longest ${p.longestMs.toFixed(1)} ms`);
    console.log(`[retention] rollups first: ${fmt(rollups.samples)} samples in ${rollups.steps} steps, longest ${rollups.longestMs.toFixed(1)} ms; whole run ${((retentionEnded - retentionStarted) / 1000).toFixed(1)} s`);
    const before = writes.filter((w) => w.at < retentionStarted).map((w) => w.ms);
    const during = writes.filter((w) => w.at >= retentionStarted && w.at < retentionEnded).map((w) => w.ms);
    console.log(
      `[retention] writer (${WRITE_ROWS} rows every 100 ms): before p50 ${percentile(before, 50).toFixed(1)} ms, max ${Math.max(...before).toFixed(1)} ms; during p50 ${percentile(during, 50).toFixed(1)} ms, p99 ${percentile(during, 99).toFixed(1)} ms, max ${Math.max(...during).toFixed(1)} ms (${during.length} inserts)`,
    );
    // A rollup step reads perf_samples at READ COMMITTED, which takes no row locks, and writes only rows no
    // writer touches: the deletes are the locks a writer can wait on.
    const longest = Math.max(...pruned.map((p) => p.longestMs));
    target('retention longest lock <= 100 ms while samples are written', longest <= 100, `${longest.toFixed(1)} ms (the longest single delete)`);
  } finally {
    await pool.end();
  }
  console.log('');
  for (const line of lines) console.log(line);
  // Like the other benchmarks: the PASS/FAIL lines are the verdict; exit 1 only when it could not run.
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`bench:history could not run: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
