import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import mysql from 'mysql2/promise';
import { createDb } from '@/lib/db/connection';
import { AVAILABILITY_INDEX, loadStateHistory } from '@/lib/db/queries/vm-state-history';
import { loadAccountAvailability } from '@/lib/vms/availability';
import { PROJECT_ROOT, stackConfig } from '../stack/config';
import { startStack } from '../stack/stack';
import { type BenchDb, createBenchDb, markSeeded, reuseBenchDb, seedPhase } from './portal-db';
import { type LiveLoad, liveLoad } from './portal-live';
import { type Target, latencies, percentile, throughput } from './portal-load';
import { HEAVY_HOST, type SeedPlan, heavyServiceNames } from './portal-seed';
import { benchNumber } from './bench-env';
import { WEB_NODE_FLAGS } from '@/lib/http/web-command';

// npm run bench:portal — the customer's VM page under a large history, in a database of its own
// (porthole_bench, dropped and re-created; never the demo's or the tests').
//
// 1. Seeds the newer half of the history (BENCH_EVENTS / 2 events over BENCH_VMS VMs; acme's heavy VM
//    holds a tenth of them across 200 services) and measures the VM page's p50 at that size.
// 2. Seeds the older half and measures, on the full table:
//    - the VM page of the heavy VM as a logged-in customer sees it: the production server (server.mjs,
//      a build in .next-bench), session cookie from a real LDAP login as alice: p50/p95 on 1 connection,
//      requests per second on 10, HTML gzip; next to a bare node:http handler (portal-bare.ts) running the
//      same queries (lib/vms/page-data.ts and the page's other reads) and answering JSON, measured the
//      same way in the same run (targets: p95 at most 1.5x, throughput at least 0.5x, at most 60 KB gzip);
//    - the dashboard of globex (bob, BENCH_ACCOUNT_VMS VMs) against the bare handler running its queries
//      (lib/vms/dashboard-data.ts; target p95 at most 1.5x);
//    - 1, then BENCH_LIVE_PAGES open live pages of the heavy VM (their streams, as the page opens them)
//      while BENCH_LIVE_EVENTS events/s are stored for it: the web process's database queries per second
//      (porthole_db_queries_total on its metrics port; target at most 5x with 1 page), and a new visitor's
//      page p50/p95 meanwhile against idle (portal-live.ts);
//      (the page keeps the last month of a VM's state changes in memory, lib/vms/history-cache.ts; the
//      bare handler is also measured with that cache off, to show what it saves);
//    - a typical VM's page (bob's, ~BENCH_EVENTS / BENCH_VMS events) for comparison;
//    - the 30-day availability of the 200-service account (acme) with its covering index, and the same
//      queries told to ignore that index;
//    - the heavy VM page's p50 on the full table against the half-size one.
// Sizes: BENCH_EVENTS (10,000,000), BENCH_VMS (2,000), BENCH_HEAVY_SERVICES (200). BENCH_REUSE=1 reuses
// porthole_bench when an earlier run seeded it with the same sizes (then the half-size figures are not
// measured), BENCH_SEED_ONLY=1 only seeds, BENCH_CPU_PROF=<dir> profiles the portal. It exits 0 with
// PASS/FAIL lines, or 1 when it could not run. Not part of `npm test`.

const EVENTS = benchNumber('BENCH_EVENTS', 10_000_000);
const PLAN: SeedPlan = {
  vms: benchNumber('BENCH_VMS', 2_000),
  events: EVENTS,
  heavyEvents: Math.round(EVENTS / 10),
  heavyServices: benchNumber('BENCH_HEAVY_SERVICES', 200),
  accountVms: benchNumber('BENCH_ACCOUNT_VMS', 200),
  days: 365,
  perfDays: 30,
};
const LATENCY_REQUESTS = benchNumber('BENCH_REQUESTS', 200);
const LIVE_PAGES = benchNumber('BENCH_LIVE_PAGES', 100);
const LIVE_EVENTS = benchNumber('BENCH_LIVE_EVENTS', 50);
const LIVE_SECONDS = benchNumber('BENCH_LIVE_SECONDS', 20);
const SECONDS = benchNumber('BENCH_SECONDS', 15);
const WEB_PORT = benchNumber('BENCH_PORT', 3190);
const BARE_PORT = WEB_PORT + 1;
const DIST_DIR = process.env.BENCH_DIST_DIR || '.next-bench';
const { dbUser, dbPassword, mariadbPort, ldapPort } = stackConfig;
const DATABASE_URL = `mysql://${dbUser}:${dbPassword}@127.0.0.1:${mariadbPort}/porthole_bench`;
const SECRET = 'porthole-bench-secret-0123456789abcdef0123456789';

const log = (message: string) => console.log(`[bench] ${message}`);
const children: ChildProcess[] = [];

function serverEnv(port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL,
    LDAP_URL: `ldap://127.0.0.1:${ldapPort}`,
    NEXTAUTH_SECRET: SECRET,
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    PORT: String(port),
    HOST: '127.0.0.1',
    NEXT_DIST_DIR: DIST_DIR,
    NODE_ENV: 'production',
    LOGIN_MAX_FAILURES_PER_IP: '1000',
    // The local stack's demo passwords and placeholder guide values, as in npm test (lib/preflight-rules.ts).
    PORTHOLE_ALLOW_DEMO_CONFIG: '1',
    // porthole_db_queries_total, read for the live pages' cost.
    METRICS_PORT: String(port + 6000),
  };
}

function build(): void {
  if (process.env.BENCH_SKIP_BUILD && existsSync(path.join(PROJECT_ROOT, DIST_DIR, 'BUILD_ID'))) {
    log(`using the existing build in ${DIST_DIR}`);
    return;
  }
  log(`building the portal into ${DIST_DIR} ...`);
  const result = spawnSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'next'), ['build'], {
    cwd: PROJECT_ROOT,
    env: serverEnv(WEB_PORT),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (result.status !== 0) throw new Error('next build failed');
}

async function waitFor(url: string, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not answer ${url} within ${timeoutMs / 1000} s`);
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return child;
}

async function stopAll(): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve(null);
          c.once('exit', resolve);
          c.kill('SIGTERM');
        }),
    ),
  );
}

/** A real login through next-auth's credentials flow (LDAP bind): the session cookie a browser gets. */
async function logIn(username: string, password: string): Promise<string> {
  const base = `http://127.0.0.1:${WEB_PORT}`;
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie() },
    body: new URLSearchParams({ csrfToken, username, password, json: 'true' }),
  });
  keep(response);
  if (![...jar.keys()].some((k) => k.endsWith('next-auth.session-token'))) throw new Error(`login as ${username} failed (${response.status})`);
  return cookie();
}

interface Pages {
  dashboard: Target;
  dashboardBare: Target;
  /** For the live streams: alice's session. */
  aliceCookie: string;
  heavy: Target;
  heavyBare: Target;
  heavyBareUncached: Target;
  typical: Target;
  typicalBare: Target;
}

async function pages(): Promise<Pages> {
  const alice = await logIn('alice', 'alice-demo');
  const bob = await logIn('bob', 'bob-demo');
  const conn = await mysql.createConnection({ uri: DATABASE_URL });
  const [rows] = await conn.query<mysql.RowDataPacket[]>(`SELECT username, id FROM users WHERE username IN ('alice', 'bob')`);
  await conn.end();
  const id = (name: string) => rows.find((r) => r.username === name)!.id as number;
  return {
    dashboard: { port: WEB_PORT, path: '/', headers: { Cookie: bob } },
    dashboardBare: { port: BARE_PORT, path: `/dashboard?user=${id('bob')}` },
    aliceCookie: alice,
    heavy: { port: WEB_PORT, path: '/vms/1', headers: { Cookie: alice } },
    heavyBare: { port: BARE_PORT, path: `/vm/1?user=${id('alice')}` },
    heavyBareUncached: { port: BARE_PORT, path: `/vm/1?user=${id('alice')}&cache=0` },
    typical: { port: WEB_PORT, path: '/vms/2', headers: { Cookie: bob } },
    typicalBare: { port: BARE_PORT, path: `/vm/2?user=${id('bob')}` },
  };
}

async function warm(target: Target, n = 15): Promise<number> {
  const { bytes } = await latencies(target, n);
  return bytes;
}

/** The page's HTML as it crosses a compressing front end: what a slow link pays for. */
async function gzipBytes(target: Target): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${target.port}${target.path}`, { headers: target.headers });
  return gzipSync(Buffer.from(await response.arrayBuffer()), { level: 6 }).length;
}

const ms = (v: number) => `${v.toFixed(1).padStart(7)} ms`;

async function main(): Promise<number> {
  const started = Date.now();
  log(`${EVENTS.toLocaleString('en')} events over ${PLAN.vms.toLocaleString('en')} VMs (heavy VM: ${PLAN.heavyEvents.toLocaleString('en')} events, ${PLAN.heavyServices} services), ${PLAN.days} days`);
  await startStack();
  // BENCH_REUSE=1: a database seeded by an earlier run with the same sizes is used as it is (the
  // half-size figures then are not measured); BENCH_SEED_ONLY=1 seeds and stops.
  const seedOnly = process.env.BENCH_SEED_ONLY === '1';
  const reused = process.env.BENCH_REUSE === '1' ? await reuseBenchDb(DATABASE_URL, PLAN) : null;
  if (!seedOnly) build();

  let seedMs = 0;
  let bench: BenchDb;
  let half: { ms: number[] } | null = null;
  let halfUncached: { ms: number[] } | null = null;
  let halfRows = 0;
  const startServers = async () => {
    // BENCH_CPU_PROF=<dir>: the portal runs with --cpu-prof (a .cpuprofile written there when it stops).
    const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : [];
    start(process.execPath, [...WEB_NODE_FLAGS, ...prof, 'server.mjs'], serverEnv(WEB_PORT));
    start(process.execPath, ['--import', 'tsx', 'scripts/bench/portal-bare.ts'], { ...process.env, DATABASE_URL, PORT: String(BARE_PORT) });
    await waitFor(`http://127.0.0.1:${WEB_PORT}/login`, 'the portal');
    await waitFor(`http://127.0.0.1:${BARE_PORT}/`, 'the bare handler');
    return pages();
  };
  let p!: Pages;
  if (reused) {
    bench = reused;
    log(`reusing porthole_bench (${bench.events.toLocaleString('en')} events, seeded ${new Date(bench.now).toISOString()})`);
    p = await startServers();
  } else {
    const seedStarted = Date.now();
    bench = await createBenchDb(DATABASE_URL, PLAN, Date.now());
    await seedPhase(bench, 'recent');
    seedMs = Date.now() - seedStarted;
    if (!seedOnly) {
      p = await startServers();
      await warm(p.heavy);
      half = await latencies(p.heavy, LATENCY_REQUESTS);
      await warm(p.heavyBareUncached, 5);
      halfUncached = await latencies(p.heavyBareUncached, Math.min(LATENCY_REQUESTS, 100));
      halfRows = bench.events;
      log(`VM page at ${halfRows.toLocaleString('en')} rows: p50 ${ms(percentile(half.ms, 50))}; its queries without the cache: p50 ${ms(percentile(halfUncached.ms, 50))}`);
    }
    const olderStarted = Date.now();
    await seedPhase(bench, 'older');
    seedMs += Date.now() - olderStarted;
    await markSeeded(bench);
    log(`seeded ${bench.events.toLocaleString('en')} events in ${(seedMs / 60_000).toFixed(1)} min`);
    if (seedOnly) {
      await stopAll();
      return 0;
    }
  }

  const pageBytes = await warm(p.heavy, 20);
  const pageGzip = await gzipBytes(p.heavy);
  const bareBytes = await warm(p.heavyBare, 20);
  const full = await latencies(p.heavy, LATENCY_REQUESTS);
  const bareLat = await latencies(p.heavyBare, LATENCY_REQUESTS);
  await warm(p.heavyBareUncached, 5);
  const uncached = await latencies(p.heavyBareUncached, Math.min(LATENCY_REQUESTS, 100));
  const pageRps = await throughput(p.heavy, 10, SECONDS);
  const bareRps = await throughput(p.heavyBare, 10, SECONDS);
  await warm(p.typical);
  await warm(p.typicalBare);
  const typical = await latencies(p.typical, LATENCY_REQUESTS);
  const typicalBare = await latencies(p.typicalBare, LATENCY_REQUESTS);

  // The dashboard of globex (bob): PLAN.accountVms VMs.
  await warm(p.dashboard);
  await warm(p.dashboardBare);
  const dashboardBytes = await warm(p.dashboard, 5);
  const dashboardGzip = await gzipBytes(p.dashboard);
  const dashboard = await latencies(p.dashboard, LATENCY_REQUESTS);
  const dashboardBare = await latencies(p.dashboardBare, LATENCY_REQUESTS);

  // Live: 1, then LIVE_PAGES open pages of the heavy VM while LIVE_EVENTS events/s arrive for it.
  const live = async (pages: number): Promise<LiveLoad> => {
    const result = await liveLoad({
      databaseUrl: DATABASE_URL,
      webPort: WEB_PORT,
      metricsPort: WEB_PORT + 6000,
      vmId: 1,
      host: { hostname: HEAVY_HOST, services: heavyServiceNames(PLAN.heavyServices) },
      cookie: p.aliceCookie,
      pages,
      eventsPerSecond: LIVE_EVENTS,
      seconds: LIVE_SECONDS,
      visitor: p.heavy,
      visitorRequests: pages > 1 ? Math.min(LATENCY_REQUESTS, 60) : 0,
    });
    log(`live, ${pages} page(s): ${result.queriesPerSecond.toFixed(1)} queries/s, ${result.eventsStored} events stored, ${result.deltas} deltas received in ${result.seconds.toFixed(0)} s`);
    return result;
  };
  const liveOne = await live(1);
  const liveMany = await live(LIVE_PAGES);

  // The account report: every service of acme over 30 days, with and without the covering index.
  const { db, pool } = createDb(DATABASE_URL, { connectionLimit: 4 });
  const now = new Date();
  const windows = [{ from: new Date(now.getTime() - 30 * 86_400_000), to: now }];
  // Timed twice: the queries alone (what the index changes) and the whole computation.
  const hint = (ignore: boolean) => (ignore ? { ignoreIndexes: [AVAILABILITY_INDEX] } : {});
  const timeIt = async (ignore: boolean, runs: number) => {
    const queries: number[] = [];
    const whole: number[] = [];
    let subjects = 0;
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      await loadStateHistory(db, [1], windows[0]!, hint(ignore));
      queries.push(performance.now() - t);
      t = performance.now();
      const rows = await loadAccountAvailability(db, 1, { windows, now, ...hint(ignore) });
      whole.push(performance.now() - t);
      subjects = rows.length;
    }
    return { queries: percentile(queries, 50), whole: percentile(whole, 50), subjects };
  };
  await timeIt(false, 2);
  const withIndex = await timeIt(false, 7);
  const withoutIndex = await timeIt(true, 3);
  const [[eventRows]] = (await pool.query({ sql: 'SELECT COUNT(*) FROM monitoring_events', rowsAsArray: true })) as unknown as [[[number]]];
  const [[heavyWindow]] = (await pool.query({ sql: 'SELECT COUNT(*) FROM monitoring_events WHERE vm_id = 1 AND occurred_at >= ?', values: [windows[0]!.from], rowsAsArray: true })) as unknown as [[[number]]];
  await pool.end();
  await stopAll();

  const pageP50 = percentile(full.ms, 50);
  const pageP95 = percentile(full.ms, 95);
  const halfP50 = half ? percentile(half.ms, 50) : Number.NaN;
  console.log('');
  console.log(`bench:portal — ${Number(eventRows).toLocaleString('en')} events, ${PLAN.vms.toLocaleString('en')} VMs; heavy VM: ${bench.vms[0]!.services.length} services, ${Number(heavyWindow).toLocaleString('en')} events in its last 30 days`);
  console.log(`  seeding                                   ${reused ? 'reused (BENCH_REUSE=1)' : `${(seedMs / 60_000).toFixed(1)} min`}`);
  console.log(`  heavy VM page (Next.js, 1 connection)     p50 ${ms(pageP50)}   p95 ${ms(pageP95)}   ${Math.round(pageBytes / 1024)} KiB HTML (${(pageGzip / 1024).toFixed(1)} KiB gzip)`);
  console.log(`  same queries, bare node:http (1 conn.)    p50 ${ms(percentile(bareLat.ms, 50))}   p95 ${ms(percentile(bareLat.ms, 95))}   ${Math.round(bareBytes / 1024)} KiB JSON`);
  console.log(`  same, without the state-history cache     p50 ${ms(percentile(uncached.ms, 50))}   p95 ${ms(percentile(uncached.ms, 95))}   (every figure read from the database)`);
  console.log(`  heavy VM page, 10 connections             ${pageRps.rps.toFixed(1).padStart(7)} req/s${pageRps.errors ? ` (${pageRps.errors} errors)` : ''}`);
  console.log(`  bare node:http, 10 connections            ${bareRps.rps.toFixed(1).padStart(7)} req/s${bareRps.errors ? ` (${bareRps.errors} errors)` : ''}`);
  console.log(`  typical VM page (Next.js / bare)          p50 ${ms(percentile(typical.ms, 50))} / ${ms(percentile(typicalBare.ms, 50))}   p95 ${ms(percentile(typical.ms, 95))} / ${ms(percentile(typicalBare.ms, 95))}`);
  console.log(`  dashboard of ${PLAN.accountVms} VMs (Next.js / bare) p50 ${ms(percentile(dashboard.ms, 50))} / ${ms(percentile(dashboardBare.ms, 50))}   p95 ${ms(percentile(dashboard.ms, 95))} / ${ms(percentile(dashboardBare.ms, 95))}   ${Math.round(dashboardBytes / 1024)} KiB HTML (${(dashboardGzip / 1024).toFixed(1)} KiB gzip)`);
  console.log(`  live, ${LIVE_EVENTS} events/s for the heavy VM: DB queries/s of the portal with 1 page open ${liveOne.queriesPerSecond.toFixed(1).padStart(6)}, with ${LIVE_PAGES} ${liveMany.queriesPerSecond.toFixed(1).padStart(6)}`);
  console.log(`    deltas received per page per second      ${(liveOne.deltas / liveOne.seconds).toFixed(2)} (1 page) / ${(liveMany.deltas / LIVE_PAGES / liveMany.seconds).toFixed(2)} (${LIVE_PAGES} pages)`);
  console.log(`    heavy VM page for a new visitor          p50 ${ms(percentile(liveMany.visitor, 50))}   p95 ${ms(percentile(liveMany.visitor, 95))}   (idle: p50 ${ms(percentile(full.ms, 50))}, p95 ${ms(percentile(full.ms, 95))})`);
  console.log(`  30-day availability of acme (${withIndex.subjects} hosts+services), with ${AVAILABILITY_INDEX} / ignoring it:`);
  console.log(`    its queries                             ${ms(withIndex.queries)} / ${ms(withoutIndex.queries)}`);
  console.log(`    queries and computation                 ${ms(withIndex.whole)} / ${ms(withoutIndex.whole)}`);
  if (half && halfUncached) {
    console.log(`  heavy VM page p50 at ${halfRows.toLocaleString('en')} rows        ${ms(halfP50)}  (full table: ${ms(pageP50)})`);
    console.log(`  its queries without the cache, p50 there  ${ms(percentile(halfUncached.ms, 50))}  (full table: ${ms(percentile(uncached.ms, 50))})`);
  }
  console.log('');
  const check = (label: string, ok: boolean, figure: string) => console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${label}: ${figure}`);
  const bareP95 = percentile(bareLat.ms, 95);
  check('heavy VM page p95 <= 1.5x the bare handler\'s', pageP95 <= 1.5 * bareP95, `${pageP95.toFixed(1)} / ${bareP95.toFixed(1)} ms = ${(pageP95 / bareP95).toFixed(2)}x`);
  check('heavy VM page throughput (10 connections) >= 0.5x the bare handler\'s', pageRps.rps >= 0.5 * bareRps.rps, `${(pageRps.rps / bareRps.rps).toFixed(2)}x`);
  check('heavy VM page HTML <= 60 KB gzip', pageGzip <= 60 * 1024, `${(pageGzip / 1024).toFixed(1)} KiB`);
  const liveRatio = liveMany.queriesPerSecond / liveOne.queriesPerSecond;
  check(`DB queries/s with ${LIVE_PAGES} live pages <= 5x with 1`, liveRatio <= 5, `${liveMany.queriesPerSecond.toFixed(1)} / ${liveOne.queriesPerSecond.toFixed(1)} = ${liveRatio.toFixed(2)}x`);
  check(`every live page got its updates (${LIVE_PAGES} pages)`, liveMany.deltas >= LIVE_PAGES, `${liveMany.deltas} deltas`);
  const dashP95 = percentile(dashboard.ms, 95);
  const dashBareP95 = percentile(dashboardBare.ms, 95);
  check(`${PLAN.accountVms}-VM dashboard p95 <= 1.5x the bare handler's`, dashP95 <= 1.5 * dashBareP95, `${dashP95.toFixed(1)} / ${dashBareP95.toFixed(1)} ms = ${(dashP95 / dashBareP95).toFixed(2)}x`);
  check('availability queries with the index <= 0.05x without', withIndex.queries <= 0.05 * withoutIndex.queries, `${(withIndex.queries / withoutIndex.queries).toFixed(3)}x`);
  check('  the same including the computation', withIndex.whole <= 0.05 * withoutIndex.whole, `${(withIndex.whole / withoutIndex.whole).toFixed(3)}x`);
  if (half && halfUncached) {
    check(`p50 at ${(Number(eventRows) / 1e6).toFixed(1)}M rows <= 1.3x at ${(halfRows / 1e6).toFixed(1)}M`, pageP50 <= 1.3 * halfP50, `${(pageP50 / halfP50).toFixed(2)}x`);
    const uncachedRatio = percentile(uncached.ms, 50) / percentile(halfUncached.ms, 50);
    check(`  the same without the cache (bare handler)`, uncachedRatio <= 1.3, `${uncachedRatio.toFixed(2)}x`);
    check('seeding takes minutes, not hours', seedMs < 30 * 60_000, `${(seedMs / 60_000).toFixed(1)} min`);
  }
  log(`done in ${((Date.now() - started) / 60_000).toFixed(1)} min`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  async (error: Error) => {
    console.error(`bench:portal could not run: ${error.message}`);
    await stopAll();
    process.exit(1);
  },
);
