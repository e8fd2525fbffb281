import { drizzle } from 'drizzle-orm/mysql2';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2';
import { WALLBOARD_INTERVAL_MS, type WallboardSnapshot, createWallboardCache } from '@/lib/admin/wallboard';
import { createDb } from '@/lib/db/connection';
import * as schema from '@/lib/db/schema';
import { alarmsOf, headline, lastedWords } from '@/app/admin/wallboard/board-state';
import { stackConfig } from '../stack/config';
import { startStack } from '../stack/stack';
import { benchNumber, freshBenchDatabase } from './bench-env';

// npm run bench:wallboard — the staff wallboard (lib/admin/wallboard.ts) in a database of its own
// (porthole_bench_wallboard, dropped and seeded on every run, a few seconds):
//
// 1. BENCH_VMS (2,000) VMs over a fifth as many accounts, each with its host and 10 services in
//    service_states (22,000 rows), BENCH_PROBLEMS (500) of them open (host DOWN, CRITICAL HARD and
//    SOFT, UNKNOWN, WARNING), a fifth of those acknowledged, and 200 VMs with an older second row
//    under their address (as when Nagios knew a VM by two names).
// 2. The board's render path, in-process and uncached: the snapshot build (its one query, the
//    ordering, the alarm flags, the version hash) and the data the page's component derives for every
//    row (durations, headline, alarms), against the plain problem-list query (the same join, WHERE
//    state not OK/UP, rows fetched into JS through the raw pool). BENCH_ROUNDS (7) alternating rounds
//    of BENCH_ITERATIONS (20) each after a warm-up; medians compared. Target: at most 1.5x.
// 3. BENCH_POLLERS (50) boards polling the process's shared snapshot every BENCH_POLL_MS (250 ms, ten
//    times as often as a real board) for BENCH_INTERVALS (5) intervals of WALLBOARD_INTERVAL_MS,
//    counting every query the snapshot issues (a drizzle logger on its own connection pool). Target:
//    at most intervals + 1 queries. Com_select (server-wide, so other clients of the stack's MariaDB
//    count too) is printed beside it.
// It exits 0 with PASS/FAIL lines, or 1 when it could not run. Not part of `npm test`.

const VMS = benchNumber('BENCH_VMS', 2000);
const ACCOUNTS = Math.max(1, Math.round(VMS / 5));
const SERVICES = ['PING', 'SSH', 'HTTP', 'HTTPS', 'Disk /', 'Disk /var', 'Load', 'Memory', 'NTP', 'Mail queue'];
const PROBLEMS = Math.min(benchNumber('BENCH_PROBLEMS', 500), VMS * (SERVICES.length + 1));
const SHADOWED = Math.min(200, VMS);
const ROUNDS = benchNumber('BENCH_ROUNDS', 7);
const ITERATIONS = benchNumber('BENCH_ITERATIONS', 20);
const POLLERS = benchNumber('BENCH_POLLERS', 50);
const POLL_MS = benchNumber('BENCH_POLL_MS', 250);
const INTERVALS = benchNumber('BENCH_INTERVALS', 5);
const { dbUser, dbPassword, mariadbPort } = stackConfig;
const DATABASE_URL = `mysql://${dbUser}:${dbPassword}@127.0.0.1:${mariadbPort}/porthole_bench_wallboard`;

const log = (message: string) => console.log(`[bench:wallboard] ${message}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (v: number) => `${v.toFixed(2)} ms`;
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
const sleep = (t: number) => new Promise((resolve) => setTimeout(resolve, t));

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

const vmName = (i: number) => `vm-${String(i).padStart(4, '0')}.wallboard.example`;
const vmAddress = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** The mix of open problems: a few hosts down, then services, worst to mildest. */
function problemState(i: number): { state: string; type: 'HARD' | 'SOFT'; host: boolean } {
  const share = i / PROBLEMS;
  if (share < 0.05) return { state: 'DOWN', type: 'HARD', host: true };
  if (share < 0.3) return { state: 'CRITICAL', type: 'HARD', host: false };
  if (share < 0.35) return { state: 'CRITICAL', type: 'SOFT', host: false };
  if (share < 0.45) return { state: 'UNKNOWN', type: 'HARD', host: false };
  return { state: 'WARNING', type: i % 4 === 0 ? 'SOFT' : 'HARD', host: false };
}

async function seed(): Promise<void> {
  await freshBenchDatabase(DATABASE_URL);
  const conn = await mysql.createConnection({ uri: DATABASE_URL, timezone: 'Z' });
  try {
    const now = Date.now();
    await conn.query("INSERT INTO plans (slug, name, vcpus, memory_mb, disk_gb, transfer_gb, price_cents) VALUES ('bench', 'Bench', 1, 1024, 20, 1000, 500)");
    const [[plan]] = await conn.query<RowDataPacket[]>("SELECT id FROM plans WHERE slug = 'bench'");
    await conn.query('INSERT INTO accounts (slug, name, created_at) VALUES ?', [Array.from({ length: ACCOUNTS }, (_, i) => [`bench-${i}`, `Bench customer ${i}`, new Date(now)])]);
    const [accountRows] = await conn.query<RowDataPacket[]>('SELECT id FROM accounts ORDER BY id');
    const accountIds = accountRows.map((r) => r.id as number);
    await conn.query('INSERT INTO vms (account_id, nagios_host_name, hostname, address, ubuntu_release, plan_id, created_at) VALUES ?', [
      Array.from({ length: VMS }, (_, i) => [accountIds[i % ACCOUNTS], vmName(i), vmName(i), vmAddress(i), '24.04', plan!.id, new Date(now)]),
    ]);
    const [vmRows] = await conn.query<RowDataPacket[]>('SELECT id, hostname FROM vms ORDER BY id');

    // Which (VM, service) slots are open problems: spread over the VMs, deterministic.
    const rnd = random(42);
    const slots = VMS * (SERVICES.length + 1);
    const chosen = new Map<number, number>();
    let i = 0;
    while (chosen.size < PROBLEMS) {
      const p = problemState(i);
      const vm = Math.floor(rnd() * VMS);
      const slot = p.host ? vm * (SERVICES.length + 1) : vm * (SERVICES.length + 1) + 1 + Math.floor(rnd() * SERVICES.length);
      if (slot < slots && !chosen.has(slot)) {
        chosen.set(slot, i);
        i++;
      }
    }
    const rows: unknown[][] = [];
    const acks: unknown[][] = [];
    for (let v = 0; v < VMS; v++) {
      const vm = vmRows[v]!;
      for (let s = 0; s <= SERVICES.length; s++) {
        const slot = v * (SERVICES.length + 1) + s;
        const problem = chosen.get(slot);
        const service = s === 0 ? '' : SERVICES[s - 1]!;
        const p = problem === undefined ? null : problemState(problem);
        const state = p ? p.state : s === 0 ? 'UP' : 'OK';
        const since = new Date(now - Math.floor(random(slot)() * 14 * 86_400_000));
        const last = new Date(now - Math.floor(random(slot + 1)() * 300_000));
        rows.push([vm.hostname, service, vm.id, s === 0 ? 'host' : 'service', since, state, p?.type ?? 'HARD', p?.type === 'SOFT' ? 1 : 3, 3, `${state} - ${service || 'host'} check output for the bench`, last, last]);
        if (problem !== undefined && problem % 5 === 0) acks.push([vm.id, service, since, state, new Date(now), 'carol', null]);
      }
      // An older row under the VM's address, CRITICAL: the newer row under its name wins.
      if (v < SHADOWED) {
        const old = new Date(now - 30 * 86_400_000);
        rows.push([vmAddress(v), 'NTP', vm.id, 'service', old, 'CRITICAL', 'HARD', 3, 3, 'CRITICAL - stale', old, old]);
      }
    }
    for (let k = 0; k < rows.length; k += 2000) {
      await conn.query(
        'INSERT INTO service_states (hostname, service, vm_id, kind, state_since, state, state_type, attempt, max_attempts, output, last_event_at, last_check_at) VALUES ?',
        [rows.slice(k, k + 2000)],
      );
    }
    if (acks.length > 0) await conn.query('INSERT INTO wallboard_acks (vm_id, service, state_since, state, acknowledged_at, acknowledged_by, acknowledged_by_user_id) VALUES ?', [acks]);
    await conn.query('ANALYZE TABLE service_states, vms, accounts, wallboard_acks');
    log(`seeded ${VMS} VMs over ${ACCOUNTS} accounts, ${rows.length.toLocaleString('en')} service states, ${PROBLEMS} open problems (${acks.length} acknowledged), ${SHADOWED} VMs with a second, older row`);
  } finally {
    await conn.end();
  }
}

const PLAIN_SQL = `SELECT s.vm_id, s.service, s.state, s.state_type, s.attempt, s.max_attempts, s.output, s.state_since, s.last_check_at, v.hostname, a.name AS account_name
  FROM service_states s JOIN vms v ON v.id = s.vm_id JOIN accounts a ON a.id = v.account_id
  WHERE s.state NOT IN ('OK', 'UP') ORDER BY s.state_since DESC`;
/** The same, with the join order the board's query forces (STRAIGHT_JOIN): printed, not a target. */
const TUNED_SQL = PLAIN_SQL.replace(/^SELECT /, 'SELECT STRAIGHT_JOIN ');

/** What the page's component derives from a snapshot for every row when it renders (app/admin/wallboard/wallboard.tsx). */
function renderData(snapshot: WallboardSnapshot, now: number) {
  return {
    headline: headline(snapshot),
    alarms: alarmsOf(snapshot).length,
    rows: snapshot.problems.map((p) => ({ key: p.key, subject: p.service === '' ? 'Host' : p.service, lasted: lastedWords(p.since, now), acked: p.ack !== null })),
  };
}

async function comSelect(conn: mysql.Connection): Promise<number> {
  const [rows] = await conn.query<RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Com_select'");
  return Number(rows[0]?.Value ?? 0);
}

async function main() {
  await startStack();
  await seed();
  const { db, pool } = createDb(DATABASE_URL, { connectionLimit: 4 });
  const status = await mysql.createConnection({ uri: DATABASE_URL });
  try {
    // ---- 2. render path vs the plain query
    const uncached = createWallboardCache(db, { intervalMs: 0 }); // every call reads: the path a cold board pays
    const plainQuery = (text: string) => async () => {
      const started = performance.now();
      const [rows] = await pool.query<RowDataPacket[]>(text);
      if (rows.length < PROBLEMS) throw new Error(`the plain query found ${rows.length} problems, expected at least ${PROBLEMS}`);
      return performance.now() - started;
    };
    const plain = plainQuery(PLAIN_SQL);
    const tuned = plainQuery(TUNED_SQL);
    let shown = 0;
    const board = async () => {
      const started = performance.now();
      const snapshot = await uncached.snapshot();
      shown = renderData(snapshot, Date.now()).rows.length;
      return performance.now() - started;
    };
    for (let w = 0; w < 5; w++) {
      await plain();
      await board();
    }
    if (shown !== PROBLEMS) throw new Error(`the board shows ${shown} problems, expected ${PROBLEMS} (the ${SHADOWED} stale rows must not count)`);
    const plainTimes: number[] = [];
    const boardTimes: number[] = [];
    const tunedTimes: number[] = [];
    const roundRatios: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const p: number[] = [];
      const b: number[] = [];
      for (let k = 0; k < ITERATIONS; k++) {
        // Alternating which goes first, so neither always finds the buffer pool warmer.
        if ((round + k) % 2 === 0) {
          p.push(await plain());
          b.push(await board());
        } else {
          b.push(await board());
          p.push(await plain());
        }
        tunedTimes.push(await tuned());
      }
      plainTimes.push(...p);
      boardTimes.push(...b);
      roundRatios.push((median(b) / median(p)).toFixed(2));
    }
    const plainMedian = median(plainTimes);
    const boardMedian = median(boardTimes);
    const ratio = boardMedian / plainMedian;
    const snapshot = await uncached.snapshot();
    console.log(`plain problem-list query:         ${ms(plainMedian)} median over ${plainTimes.length} (${PROBLEMS} problems of ${(VMS * (SERVICES.length + 1) + SHADOWED).toLocaleString('en')} states)`);
    console.log(`  (the same query with STRAIGHT_JOIN, as the board's own: ${ms(median(tunedTimes))} median; the board is ${(boardMedian / median(tunedTimes)).toFixed(2)}x that, not a target)`);
    console.log(`board render path (uncached):     ${ms(boardMedian)} median over ${boardTimes.length} (snapshot: ${snapshot.problems.length} problems, ${snapshot.alarms} alarms, ${JSON.stringify(snapshot).length.toLocaleString('en')} bytes of JSON)`);
    console.log(`  ratio ${ratio.toFixed(2)}x (rounds ${roundRatios.join(', ')}; target <= 1.5x): ${verdict(ratio <= 1.5)}`);
    const shared = createWallboardCache(db);
    await shared.snapshot();
    const cachedTimes: number[] = [];
    for (let k = 0; k < 200; k++) {
      const started = performance.now();
      renderData(await shared.snapshot(), Date.now());
      cachedTimes.push(performance.now() - started);
    }
    console.log(`board render path (cached, as every board but the first in an interval): ${ms(median(cachedTimes))} median`);

    // ---- 3. many boards, one query per interval
    let queries = 0;
    const counted = drizzle(pool, { schema, mode: 'default', logger: { logQuery: () => void queries++ } });
    const cache = createWallboardCache(counted);
    const durationMs = INTERVALS * WALLBOARD_INTERVAL_MS;
    const selectsBefore = await comSelect(status);
    let served = 0;
    let unchanged = 0;
    const started = performance.now();
    const deadline = Date.now() + durationMs;
    await Promise.all(
      Array.from({ length: POLLERS }, async (_, b) => {
        const jitter = random(b + 1);
        let version: string | null = null;
        // All boards start at once (a cold cache: one read must serve them all), then poll with jitter.
        while (Date.now() < deadline) {
          const answer = await cache.json();
          served++;
          if (answer.version === version) unchanged++;
          version = answer.version;
          await sleep(POLL_MS * (0.5 + jitter()));
        }
      }),
    );
    const elapsed = performance.now() - started;
    const selects = (await comSelect(status)) - selectsBefore;
    const intervals = Math.ceil(elapsed / WALLBOARD_INTERVAL_MS);
    console.log(
      `${POLLERS} boards polling every ~${POLL_MS} ms for ${(elapsed / 1000).toFixed(1)} s (${intervals} intervals of ${WALLBOARD_INTERVAL_MS} ms): ${served} answers (${unchanged} unchanged, a 304 over HTTP), ${queries} database queries (${cache.reads} snapshot reads)`,
    );
    console.log(`  queries ${queries} (target <= intervals + 1 = ${intervals + 1}): ${verdict(queries <= intervals + 1)}`);
    console.log(`  Com_select grew by ${selects} meanwhile (server-wide: other clients of the stack's MariaDB count too)`);
  } finally {
    await status.end();
    await pool.end();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`[bench:wallboard] ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
