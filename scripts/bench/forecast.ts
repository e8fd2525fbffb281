import { createHash } from 'node:crypto';
import os from 'node:os';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2';
import { createDb } from '@/lib/db/connection';
import { migrateDatabase } from '@/lib/db/migrate';
import { usageSamplesForVm } from '@/lib/db/queries/usage';
import { seriesListForVm } from '@/lib/db/queries/vm-metrics';
import { type OwnedVm, ownedVm } from '@/lib/db/queries/vms';
import { diskOutlook } from '@/lib/monitoring/usage';
import type { PlanLimits } from '@/lib/plans/recommend';
import { GB } from '@/lib/plans/recommend';
import { transferOutlook, usageWindows, vmForecast } from '@/lib/plans/vm-forecast';
import { vmPlanOutlook } from '@/lib/plans/vm-plans';
import { vmPageForVm } from '@/lib/vms/page-data';
import { HISTORY_PAGE_SIZE } from '@/lib/vms/params';
import { stackConfig } from '../stack/config';
import { startStack } from '../stack/stack';
import {
  type BenchVm,
  EVENT_COLUMNS,
  type PhaseResult,
  SAMPLE_COLUMNS,
  dropIndexes,
  generatePhase,
  loadTsv,
  restoreIndexes,
  secondaryIndexes,
  sqlTime,
  tableDdl,
} from './portal-seed';
import { benchNumber, freshBenchDatabase } from './bench-env';

// npm run bench:forecast — usage forecasts (lib/plans/vm-forecast.ts) in a database of its own
// (porthole_bench_forecast; dropped and re-seeded unless it already holds the expected rows from the
// last 24 hours, which a second run reuses):
//
// 1. BENCH_VMS (2,000) VMs over a fifth as many accounts, each with 5 check_disk mounts (one "Disk …"
//    service per mount, MB with a max; linear growth with noise, some with a deletion) and a
//    "Traffic eth0" check with in/out byte counters (UOM c, some with a reset), hourly for BENCH_DAYS
//    (30) days; plus a month of monitoring events and current states so the VM page has its usual work.
// 2. vmForecast for every VM with its plan, BENCH_CONCURRENCY (4) VMs at a time, against a plain SQL scan
//    of the same series over the same window at the same concurrency (rows fetched into JS, discarded).
//    After an uncounted warm-up of each, BENCH_ROUNDS (3) alternating rounds; medians compared.
//    Target: forecasts at most 2x the scan. A one-pass breakdown follows (series list, sample reads,
//    outlook CPU).
// 3. The VM page's data assembly in-process (not HTTP, no rendering): vmPageForVm alone against
//    vmPageForVm with vmPlanOutlook beside it (as app/(portal)/vms/[vmId]/page.tsx runs them), interleaved
//    over BENCH_PAGE_VMS (20) VMs, BENCH_PAGE_ITERATIONS (200) each, one at a time; p50s compared.
//    Target: with the forecast at most 1.2x without.
// It exits 0 with PASS/FAIL lines, or 1 when it could not run. Not part of `npm test`.

const VMS = benchNumber('BENCH_VMS', 2000);
const ACCOUNTS = Math.max(1, Math.round(VMS / 5));
const DAYS = benchNumber('BENCH_DAYS', 30);
const ROUNDS = benchNumber('BENCH_ROUNDS', 3);
const CONCURRENCY = benchNumber('BENCH_CONCURRENCY', 4);
const PAGE_VMS = Math.min(VMS, benchNumber('BENCH_PAGE_VMS', 20));
const PAGE_ITERATIONS = benchNumber('BENCH_PAGE_ITERATIONS', 200);
/** Monitoring events per VM and day (bench:portal's default is about 14). */
const EVENTS_PER_DAY = 12;
const { dbUser, dbPassword, mariadbPort } = stackConfig;
const DATABASE_URL = `mysql://${dbUser}:${dbPassword}@127.0.0.1:${mariadbPort}/porthole_bench_forecast`;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MB = 1024 * 1024;
/** check_disk, one service per mount point: service, label (the mount), size in MB. */
const MOUNTS: Array<[string, string, number]> = [
  ['Disk /', '/', 20 * 1024],
  ['Disk /var', '/var', 40 * 1024],
  ['Disk /home', '/home', 50 * 1024],
  ['Disk /srv', '/srv', 30 * 1024],
  ['Disk /data', '/data', 100 * 1024],
];
const TRAFFIC = 'Traffic eth0';
const TRAFFIC_LABELS = ['in', 'out'];
const SERIES: Array<[string, string]> = [...MOUNTS.map(([s, l]): [string, string] => [s, l]), ...TRAFFIC_LABELS.map((l): [string, string] => [TRAFFIC, l])];
const SAMPLES_PER_SERIES = DAYS * 24;
const EXPECTED_SAMPLES = VMS * SERIES.length * SAMPLES_PER_SERIES;
const EVENT_SERVICES = ['PING', 'SSH', 'HTTP', ...MOUNTS.map(([s]) => s), 'Load', TRAFFIC];
const PLANS = [
  { slug: 'small', name: 'Small', vcpus: 1, memoryMb: 2048, diskGb: 160, transferGb: 1000, priceCents: 1000 },
  { slug: 'medium', name: 'Medium', vcpus: 2, memoryMb: 4096, diskGb: 320, transferGb: 3000, priceCents: 2000 },
  { slug: 'large', name: 'Large', vcpus: 4, memoryMb: 8192, diskGb: 640, transferGb: 6000, priceCents: 4000 },
];

const log = (message: string) => console.log(`[bench:forecast] ${message}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const msText = (v: number) => `${v.toFixed(2)} ms`;

/** Deterministic pseudo-random numbers (mulberry32), so every seed is the same. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const vmName = (id: number) => `vm-${pad(id, 4)}.forecast.example`;
const vmAddress = (id: number) => `10.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`;

async function connect(url: string) {
  return mysql.createConnection({ uri: url, timezone: 'Z' });
}

async function count(conn: mysql.Connection, sql: string): Promise<number> {
  const [rows] = await conn.query<RowDataPacket[]>({ sql, rowsAsArray: true });
  return Number((rows[0] as unknown as unknown[])[0] ?? 0);
}

/** The database as a previous run left it, when it holds exactly this run's plan from the last day. */
async function reusable(): Promise<{ latest: Date } | null> {
  let conn: mysql.Connection;
  try {
    conn = await connect(DATABASE_URL);
  } catch {
    return null;
  }
  try {
    const vms = await count(conn, 'SELECT COUNT(*) FROM vms');
    const samples = await count(conn, 'SELECT COUNT(*) FROM perf_samples');
    const events = await count(conn, 'SELECT COUNT(*) FROM monitoring_events');
    const [rows] = await conn.query<RowDataPacket[]>('SELECT MAX(sampled_at) AS latest FROM perf_samples');
    const latest = rows[0]?.latest as Date | null;
    if (vms !== VMS || samples !== EXPECTED_SAMPLES || events === 0 || !latest || latest.getTime() < Date.now() - DAY) return null;
    return { latest };
  } catch {
    return null;
  } finally {
    await conn.end();
  }
}

/** Loads a table with its secondary indexes dropped, then re-creates them as migrated (bench:portal's way). */
async function withoutIndexes(conn: mysql.Connection, table: string, load: () => Promise<void>): Promise<void> {
  const ddl = await tableDdl(conn, table);
  const defs = await secondaryIndexes(conn, table);
  await dropIndexes(conn, table, defs);
  await load();
  const started = Date.now();
  await restoreIndexes(conn, table, defs, ddl);
  log(`  ${table}: ${defs.length} secondary indexes rebuilt in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  await conn.query(`ANALYZE TABLE \`${table}\``);
}

/**
 * Hourly samples of one VM, as check_disk and a traffic check store them. Disks grow linearly with
 * noise from 20-60 % full; a fifth have one deletion; one in twenty fills up within weeks. Counters count
 * bytes from a random start; a tenth of the VMs rebooted once (a reset).
 */
function vmSampleLines(vmId: number, hours: number[], firstId: number): string[] {
  const rnd = random(vmId * 7919);
  const address = vmAddress(vmId);
  const lines: string[] = [];
  let id = firstId;
  const key = (service: string, t: number) => createHash('sha256').update(`benchforecast\0${vmId}\0${service}\0${t}`).digest('hex');
  for (const [service, label, sizeMb] of MOUNTS) {
    let used = sizeMb * (0.2 + rnd() * 0.4);
    const perHour = sizeMb * (rnd() < 0.05 ? 0.0006 + rnd() * 0.0006 : -0.00001 + rnd() * 0.0002);
    const deletionAt = rnd() < 0.2 ? Math.floor(rnd() * hours.length) : -1;
    const warn = Math.round(sizeMb * 0.8);
    const crit = Math.round(sizeMb * 0.9);
    hours.forEach((t, i) => {
      used += perHour * (0.5 + rnd());
      if (i === deletionAt) used *= 0.6;
      used = Math.max(0, Math.min(sizeMb, used));
      lines.push(`${id++}\t${key(service, t)}\t${vmId}\t${address}\t${service}\t${label}\t${Math.round(used)}\tMB\t${warn}\t${crit}\t0\t${sizeMb}\t${sqlTime(t)}`);
    });
  }
  const counters = TRAFFIC_LABELS.map((_, j) => ({ value: Math.floor(rnd() * 2 ** 40), perHour: (j === 0 ? 2 : 1) * (20 + rnd() * 300) * MB }));
  const resetAt = rnd() < 0.1 ? Math.floor(rnd() * hours.length) : -1;
  hours.forEach((t, i) => {
    const k = key(TRAFFIC, t);
    counters.forEach((c, j) => {
      c.value = i === resetAt ? Math.floor(c.perHour * rnd()) : c.value + Math.floor(c.perHour * (0.3 + rnd() * 1.4));
      lines.push(`${id++}\t${k}\t${vmId}\t${address}\t${TRAFFIC}\t${TRAFFIC_LABELS[j]}\t${c.value}\tc\t\\N\t\\N\t0\t\\N\t${sqlTime(t)}`);
    });
  });
  return lines;
}

async function seed(now: number): Promise<void> {
  await freshBenchDatabase(DATABASE_URL);

  const conn = await connect(DATABASE_URL);
  try {
    const created = sqlTime(now - 400 * DAY);
    await conn.query('INSERT INTO plans (slug, name, vcpus, memory_mb, disk_gb, transfer_gb, price_cents, sort_order) VALUES ?', [
      PLANS.map((p, i) => [p.slug, p.name, p.vcpus, p.memoryMb, p.diskGb, p.transferGb, p.priceCents, i]),
    ]);
    const [planRows] = await conn.query<RowDataPacket[]>('SELECT id FROM plans ORDER BY sort_order');
    await conn.query('INSERT INTO accounts (id, slug, name, created_at) VALUES ?', [
      Array.from({ length: ACCOUNTS }, (_, i) => [i + 1, `bench-${i + 1}`, `Bench customer ${i + 1}`, created]),
    ]);
    const vmRows = Array.from({ length: VMS }, (_, i) => {
      const id = i + 1;
      return [id, (i % ACCOUNTS) + 1, vmName(id), vmName(id), vmAddress(id), '24.04', planRows[i % planRows.length]!.id, created];
    });
    for (let i = 0; i < vmRows.length; i += 1000) {
      await conn.query('INSERT INTO vms (id, account_id, nagios_host_name, hostname, address, ubuntu_release, plan_id, created_at) VALUES ?', [vmRows.slice(i, i + 1000)]);
    }

    // Perfdata: the newest sample on the last full hour, SAMPLES_PER_SERIES per series, VM after VM.
    const lastHour = Math.floor(now / HOUR) * HOUR;
    const hours = Array.from({ length: SAMPLES_PER_SERIES }, (_, k) => lastHour - (SAMPLES_PER_SERIES - 1 - k) * HOUR);
    const started = Date.now();
    let lastReport = started;
    await withoutIndexes(conn, 'perf_samples', async () => {
      let inflight: Promise<void> = Promise.resolve();
      let chunk: string[] = [];
      let id = 1;
      let loaded = 0;
      const flush = async () => {
        const tsv = chunk.join('\n');
        const rows = chunk.length;
        chunk = [];
        await inflight;
        inflight = loadTsv(conn, 'perf_samples', SAMPLE_COLUMNS, tsv).then(() => {
          loaded += rows;
          if (Date.now() - lastReport > 15_000) {
            lastReport = Date.now();
            log(`  perf_samples: ${loaded.toLocaleString('en')} of ${EXPECTED_SAMPLES.toLocaleString('en')} loaded (${((Date.now() - started) / 1000).toFixed(0)} s)`);
          }
        });
      };
      for (let vm = 1; vm <= VMS; vm++) {
        const lines = vmSampleLines(vm, hours, id);
        id += lines.length;
        for (const line of lines) chunk.push(line);
        if (chunk.length >= 50_000) await flush();
        // Let the load in flight stream its chunk while the next one is generated.
        else await new Promise((r) => setImmediate(r));
      }
      if (chunk.length > 0) await flush();
      await inflight;
    });
    log(`  perf_samples: ${EXPECTED_SAMPLES.toLocaleString('en')} rows in ${((Date.now() - started) / 1000).toFixed(0)} s`);

    // A month of monitoring events (bench:portal's generator) and the current states they leave.
    const eventsStarted = Date.now();
    const benchVms: BenchVm[] = Array.from({ length: VMS }, (_, i) => ({
      id: i + 1,
      name: vmName(i + 1),
      address: vmAddress(i + 1),
      services: EVENT_SERVICES,
      incidentsPerHour: EVENTS_PER_DAY / 24 / (0.3 * 2 + 0.7 * 4),
    }));
    let result: PhaseResult | null = null;
    await withoutIndexes(conn, 'monitoring_events', async () => {
      let inflight: Promise<void> = Promise.resolve();
      result = await generatePhase(benchVms, { from: now - DAYS * DAY, to: now - 60_000, firstId: 1, seed: 3 }, async (tsv) => {
        await inflight;
        inflight = loadTsv(conn, 'monitoring_events', EVENT_COLUMNS, tsv);
      });
      await inflight;
    });
    const phase = result as PhaseResult | null;
    if (!phase) throw new Error('no events generated');
    const states: unknown[][] = [];
    for (const [k, s] of phase.lastState) {
      const [vmId, service] = k.split('\0') as [string, string];
      states.push([vmAddress(Number(vmId)), service, Number(vmId), service === '' ? 'host' : 'service', sqlTime(s.at), s.state, s.type, s.attempt, 3, s.output, sqlTime(s.at), sqlTime(now - 120_000)]);
    }
    for (let i = 0; i < states.length; i += 2000) {
      await conn.query(
        'INSERT INTO service_states (hostname, service, vm_id, kind, state_since, state, state_type, attempt, max_attempts, output, last_event_at, last_check_at) VALUES ?',
        [states.slice(i, i + 2000)],
      );
    }
    log(`  monitoring_events: ${phase.rows.toLocaleString('en')} rows, ${states.length.toLocaleString('en')} current states in ${((Date.now() - eventsStarted) / 1000).toFixed(0)} s`);
  } finally {
    await conn.end();
  }
}

/** Runs fn for every item, `concurrency` at a time, as several portal requests would. */
async function eachOf<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/** The windows vmForecast reads: the scan reads exactly these. */
const forecastWindow = usageWindows;

async function main(): Promise<void> {
  const started = Date.now();
  const cpus = os.cpus();
  log(`${VMS.toLocaleString('en')} VMs over ${ACCOUNTS.toLocaleString('en')} accounts, ${MOUNTS.length} mounts and ${TRAFFIC_LABELS.length} traffic counters each, ${DAYS} days hourly`);
  await startStack();

  const seedStarted = Date.now();
  const previous = await reusable();
  let seedNote: string;
  if (previous) {
    await migrateDatabase(DATABASE_URL);
    seedNote = `reused the database of an earlier run (${EXPECTED_SAMPLES.toLocaleString('en')} samples, newest ${previous.latest.toISOString()})`;
    log(seedNote);
  } else {
    log(`seeding porthole_bench_forecast (${EXPECTED_SAMPLES.toLocaleString('en')} perf_samples rows) ...`);
    await seed(Date.now());
    seedNote = `seeded in ${((Date.now() - seedStarted) / 60_000).toFixed(1)} min`;
    log(seedNote);
  }

  const { db, pool } = createDb(DATABASE_URL);
  const [vmRows] = await pool.query<RowDataPacket[]>(
    `SELECT v.id AS vm_id, v.account_id, p.id AS plan_id, p.slug, p.name, p.vcpus, p.memory_mb, p.disk_gb, p.transfer_gb, p.price_cents, p.sort_order
       FROM vms v JOIN plans p ON p.id = v.plan_id ORDER BY v.id`,
  );
  const vms: Array<{ vm: OwnedVm; plan: PlanLimits }> = [];
  for (const r of vmRows) {
    const vm = await ownedVm(db, Number(r.account_id), Number(r.vm_id));
    if (!vm) throw new Error(`VM ${r.vm_id} not found`);
    const plan: PlanLimits = {
      id: Number(r.plan_id),
      slug: String(r.slug),
      name: String(r.name),
      vcpus: Number(r.vcpus),
      memoryMb: Number(r.memory_mb),
      diskGb: Number(r.disk_gb),
      transferGb: Number(r.transfer_gb),
      priceCents: Number(r.price_cents),
      sortOrder: Number(r.sort_order),
    };
    vms.push({ vm, plan });
  }

  // 2. Forecasts for every VM against a plain scan of the same samples.
  const scanSql = 'SELECT sampled_at, value, unit, max FROM perf_samples WHERE vm_id = ? AND service = ? AND label = ? AND sampled_at BETWEEN ? AND ?';
  let scannedRows = 0;
  const scanPass = async () => {
    const now = new Date();
    const { diskFrom, counterFrom, to } = forecastWindow(now);
    let rows = 0;
    const t = performance.now();
    await eachOf(vms, CONCURRENCY, async ({ vm }) => {
      const results = await Promise.all(SERIES.map(([service, label]) => pool.query<RowDataPacket[]>(scanSql, [vm.id, service, label, service === TRAFFIC ? counterFrom : diskFrom, to])));
      for (const [r] of results) rows += r.length;
    });
    scannedRows = rows;
    return performance.now() - t;
  };
  let attention = 0;
  const forecastPass = async () => {
    const now = new Date();
    let flagged = 0;
    const t = performance.now();
    await eachOf(vms, CONCURRENCY, async ({ vm, plan }) => {
      const f = await vmForecast(db, vm, plan, now);
      if (f.attention.length > 0) flagged++;
    });
    attention = flagged;
    return performance.now() - t;
  };
  log('warm-up: one scan and one forecast pass (not counted) ...');
  const warmScan = await scanPass();
  const warmForecast = await forecastPass();
  const scans: number[] = [];
  const forecasts: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      scans.push(await scanPass());
      forecasts.push(await forecastPass());
    } else {
      forecasts.push(await forecastPass());
      scans.push(await scanPass());
    }
    log(`  round ${round + 1}: scan ${secs(scans.at(-1)!)}, forecasts ${secs(forecasts.at(-1)!)}`);
  }

  // Where a forecast's time goes, one pass each: the series list alone, the sample reads (series list
  // included, as usageSamplesForVm does it), and the outlooks' CPU time on the samples read.
  const breakdownNow = new Date();
  let t = performance.now();
  await eachOf(vms, CONCURRENCY, async ({ vm }) => {
    await seriesListForVm(db, vm);
  });
  const seriesListMs = performance.now() - t;
  let computeMs = 0;
  t = performance.now();
  await eachOf(vms, CONCURRENCY, async ({ vm, plan }) => {
    const usage = await usageSamplesForVm(db, vm, forecastWindow(breakdownNow));
    const c = performance.now();
    for (const d of usage.disks) diskOutlook(d.samples, { now: breakdownNow });
    transferOutlook(usage.counters, plan.transferGb * GB, breakdownNow);
    computeMs += performance.now() - c;
  });
  const usageMs = performance.now() - t;

  // 3. The VM page's data with and without its forecast, in-process, one request at a time.
  const step = Math.max(1, Math.floor(VMS / PAGE_VMS));
  const pageVms = Array.from({ length: PAGE_VMS }, (_, i) => vms[(i * step) % vms.length]!.vm);
  const request = () => ({ now: new Date(), history: { cursor: null, limit: HISTORY_PAGE_SIZE, states: [] }, hardOnly: true, custom: null, chartRange: '7d' as const });
  const without = async (vm: OwnedVm) => {
    const s = performance.now();
    await vmPageForVm(db, vm, request());
    return performance.now() - s;
  };
  const withForecast = async (vm: OwnedVm) => {
    const s = performance.now();
    const r = request();
    await Promise.all([vmPageForVm(db, vm, r), vmPlanOutlook(db, vm, r.now)]);
    return performance.now() - s;
  };
  // A view right after a new sample: the cached forecast is stale and computed again.
  const planOf = new Map(vms.map(({ vm, plan }) => [vm.id, plan]));
  const withForecastCold = async (vm: OwnedVm) => {
    const s = performance.now();
    const r = request();
    await Promise.all([vmPageForVm(db, vm, r), vmForecast(db, vm, planOf.get(vm.id)!, r.now)]);
    return performance.now() - s;
  };
  const outlookAlone = async (vm: OwnedVm) => {
    const s = performance.now();
    await vmPlanOutlook(db, vm, new Date());
    return performance.now() - s;
  };
  for (let i = 0; i < 3 * PAGE_VMS; i++) {
    const vm = pageVms[i % PAGE_VMS]!;
    await without(vm);
    await withForecast(vm);
    await outlookAlone(vm);
  }
  const pageWithout: number[] = [];
  const pageWith: number[] = [];
  const pageCold: number[] = [];
  const outlookOnly: number[] = [];
  for (let i = 0; i < PAGE_ITERATIONS; i++) {
    const vm = pageVms[i % PAGE_VMS]!;
    if (i % 2 === 0) {
      pageWithout.push(await without(vm));
      pageWith.push(await withForecast(vm));
    } else {
      pageWith.push(await withForecast(vm));
      pageWithout.push(await without(vm));
    }
    outlookOnly.push(await outlookAlone(vm));
    pageCold.push(await withForecastCold(vm));
  }

  const [[bufferPool]] = (await pool.query({ sql: 'SELECT @@innodb_buffer_pool_size', rowsAsArray: true })) as unknown as [[[number]]];
  const [[version]] = (await pool.query({ sql: 'SELECT VERSION()', rowsAsArray: true })) as unknown as [[[string]]];
  await pool.end();

  const scanMedian = median(scans);
  const forecastMedian = median(forecasts);
  const ratio = forecastMedian / scanMedian;
  const p50Without = percentile(pageWithout, 50);
  const p50With = percentile(pageWith, 50);
  const pageRatio = p50With / p50Without;
  const list = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(', ');

  console.log('');
  console.log(`bench:forecast — ${VMS.toLocaleString('en')} VMs, ${SERIES.length} series each (${MOUNTS.length} disks, ${TRAFFIC_LABELS.length} counters), ${EXPECTED_SAMPLES.toLocaleString('en')} samples over ${DAYS} days`);
  console.log(`  machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, MariaDB ${version}, innodb_buffer_pool_size ${Math.round(Number(bufferPool) / MB)} MB`);
  console.log(`  NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? `set (${process.env.NODE_EXTRA_CA_CERTS})` : 'not set'}`);
  console.log(`  database: ${seedNote}`);
  console.log('');
  console.log(`  forecasts for all VMs, ${CONCURRENCY} at a time; ${ROUNDS} alternating rounds after an uncounted warm-up (scan ${secs(warmScan)}, forecasts ${secs(warmForecast)}):`);
  console.log(`    plain SQL scan of the same series   median ${secs(scanMedian)}  (rounds ${list(scans)} s; ${scannedRows.toLocaleString('en')} rows a pass)`);
  console.log(`    vmForecast with each VM's plan      median ${secs(forecastMedian)}  (rounds ${list(forecasts)} s; ${attention.toLocaleString('en')} VMs with something needing attention)`);
  console.log(`    breakdown, one pass each: seriesListForVm ${secs(seriesListMs)}; usageSamplesForVm (list + reads) ${secs(usageMs)}; outlook CPU ${secs(computeMs)}`);
  console.log('');
  console.log(`  VM page data, in-process (lib/vms/page-data.ts; not HTTP, no rendering), ${PAGE_VMS} VMs, ${PAGE_ITERATIONS} interleaved iterations each, one at a time:`);
  console.log(`    vmPageForVm alone                   p50 ${msText(p50Without)}  p95 ${msText(percentile(pageWithout, 95))}`);
  console.log(`    with vmPlanOutlook beside it        p50 ${msText(p50With)}  p95 ${msText(percentile(pageWith, 95))}  (as views run: the forecast cached per VM until its next sample, at most 5 min)`);
  console.log(`    with the forecast computed afresh   p50 ${msText(percentile(pageCold, 50))}  p95 ${msText(percentile(pageCold, 95))}  (the first view after a new sample: ${(percentile(pageCold, 50) / p50Without).toFixed(2)}x)`);
  console.log(`    vmPlanOutlook alone (for reference) p50 ${msText(percentile(outlookOnly, 50))}  p95 ${msText(percentile(outlookOnly, 95))}`);
  console.log('');
  const check = (label: string, ok: boolean, figure: string) => console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${label}: ${figure}`);
  check('forecasts for all VMs <= 2x a plain scan of their samples (medians)', ratio <= 2, `${ratio.toFixed(2)}x`);
  check('VM page with its forecast <= 1.2x without (p50 of views)', pageRatio <= 1.2, `${pageRatio.toFixed(2)}x`);
  log(`done in ${((Date.now() - started) / 60_000).toFixed(1)} min`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench:forecast could not run: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
