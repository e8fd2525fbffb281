import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createConnection, type Socket } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2';
import { ingesterCommand } from '@/lib/ingest/command';
import { buildEventBody } from '@/lib/monitoring/wire';
import { stackConfig } from '../stack/config';
import { startStack } from '../stack/stack';
import { cpuSeconds, pidListeningOn } from './pid-by-port';
import { purgeQueue } from './purge-queue';
import { percentile } from './portal-load';
import { benchNumber, freshBenchDatabase } from './bench-env';

// npm run bench:backlog — a backlog drains: BENCH_BACKLOG (1,000,000) events are queued on a destination of
// their own while no ingester runs (persistent, in STOMP transactions of 5,000), then the ingester starts,
// exactly as `npm run ingester` starts it (its own process, default settings), against a database of its own
// (porthole_bench_backlog, dropped and migrated afresh; 2,000 VMs of 10 services each, which the events
// belong to). Measured:
//  - the time from the ingester's start until every event is stored (rows counted) and the rate;
//  - the ingester's peak RSS (VmHWM, and VmRSS sampled every 500 ms) — target: under 300 MB, as the
//    prefetch (INGEST_PREFETCH) bounds what it holds whatever the backlog;
//  - the portal staying responsive: the VM page's reads (scripts/bench/portal-bare.ts, a bare node:http
//    handler running exactly the VM page's queries, in a process of its own; not the Next.js page) for a
//    VM whose history grows during the drain, one request every 200 ms: p95 during the drain against
//    idle (the same requests after the drain, with all its history, the ingester stopped), and the ratio —
//    target: at most 500 ms (on 2 cores the drain keeps both busy, so the ratio is the price, printed);
//  - CPU seconds per 1,000 events of the ingester, the broker and the database (found by their ports).
// Afterwards it drains whatever is left on its queue and drops its database (BENCH_KEEP=1 keeps it).
// BENCH_BACKLOG=200000 (or 200_000) for a quicker run. It exits 0 with PASS/FAIL lines, or 1 when it could
// not run. Not part of `npm test`.

const EVENTS = benchNumber('BENCH_BACKLOG', 1_000_000);
const VMS = 2000;
const SERVICES = ['PING', 'SSH', 'HTTP', 'HTTPS', 'Disk /', 'Load', 'Memory', 'Swap', 'NTP', 'Transfer'];
const TRANSACTION = 5000;
const RSS_LIMIT_MB = 300;
const PAGE_EVERY_MS = 200;
const IDLE_REQUESTS = 100;
const BARE_PORT = benchNumber('BENCH_BARE_PORT', 3195);
const { dbUser, dbPassword, mariadbPort, stompPort } = stackConfig;
const DATABASE_URL = `mysql://${dbUser}:${dbPassword}@127.0.0.1:${mariadbPort}/porthole_bench_backlog`;
const STOMP_URL = process.env.STOMP_URL || `stomp://127.0.0.1:${stompPort}`;
const PROJECT_ROOT = path.join(import.meta.dirname, '../..');

const progress = (line: string) => process.stderr.write(`  … ${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const vmName = (v: number) => `vm-${v + 1}.backlog.example`;
const vmAddress = (v: number) => `10.77.${(v >> 8) & 255}.${v & 255}`;

/** The database: migrated afresh, one account with a user (alice) owning the first 10 VMs, the rest elsewhere. */
async function prepareDatabase(): Promise<{ userId: number }> {
  await freshBenchDatabase(DATABASE_URL);
  const conn = await mysql.createConnection({ uri: DATABASE_URL, timezone: 'Z' });
  try {
    await conn.query("INSERT INTO plans (slug, name, vcpus, memory_mb, disk_gb, transfer_gb, price_cents, sort_order) VALUES ('small', 'Small', 1, 1024, 25, 1000, 500, 0)");
    await conn.query("INSERT INTO accounts (id, slug, name, created_at) VALUES (1, 'acme', 'Acme Ltd', NOW() - INTERVAL 400 DAY), (2, 'others', 'Others', NOW() - INTERVAL 400 DAY)");
    const rows = Array.from({ length: VMS }, (_, v) => [v + 1, v < 10 ? 1 : 2, vmName(v), vmName(v), vmAddress(v), '24.04', 1, new Date(Date.now() - 400 * 86_400_000)]);
    await conn.query('INSERT INTO vms (id, account_id, nagios_host_name, hostname, address, ubuntu_release, plan_id, created_at) VALUES ?', [rows]);
    const [result] = await conn.query<mysql.ResultSetHeader>(
      "INSERT INTO users (username, dn, display_name, account_id, account_source, created_at) VALUES ('alice', 'uid=alice,ou=people,dc=backlog,dc=example', 'Alice', 1, 'directory', NOW())",
    );
    return { userId: result.insertId };
  } finally {
    await conn.end();
  }
}

/** Event i: VM i mod 2,000, its services in turn, a state change now and then, dated over the last day. */
function body(i: number, run: string, startSec: number): string {
  const v = i % VMS;
  const round = Math.floor(i / VMS);
  const critical = (round + v) % 9 === 0;
  return buildEventBody({
    kind: 'service',
    hostname: vmAddress(v),
    hostName: vmName(v),
    address: vmAddress(v),
    service: SERVICES[round % SERVICES.length]!,
    state: critical ? 'CRITICAL' : 'OK',
    stateType: 'HARD',
    stateDurationSec: 60,
    attempt: 1,
    maxAttempts: 3,
    occurredAt: new Date((startSec + Math.floor((i * 86_000) / EVENTS)) * 1000),
    output: critical ? 'CRITICAL - backlog' : 'OK - backlog',
    perfdata: `load1=${(i % 100) / 10};4;8;0`,
    eventId: `${run}-${i}`,
    source: 'backlog',
  });
}

/**
 * Queues the events over one plain STOMP connection: BEGIN, 5,000 SENDs, COMMIT with a receipt, with up to
 * two transactions waiting for their receipt. No content-length, like the Nagios commands (a TextMessage).
 */
async function queueBacklog(destination: string, run: string): Promise<number> {
  const started = performance.now();
  const socket: Socket = createConnection({ host: '127.0.0.1', port: Number(new URL(STOMP_URL).port || 61613), noDelay: true });
  await once(socket, 'connect');
  socket.setEncoding('utf8');
  const receipts = new Map<string, () => void>();
  let buffered = '';
  let failed: Error | null = null;
  const connected = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf('\0')) !== -1) {
        const frame = buffered.slice(0, end).replace(/^\n+/, '');
        buffered = buffered.slice(end + 1);
        const command = frame.slice(0, frame.indexOf('\n'));
        if (command === 'CONNECTED') resolve();
        else if (command === 'RECEIPT') {
          const id = /\nreceipt-id:([^\n]*)/.exec(frame)?.[1] ?? '';
          receipts.get(id)?.();
          receipts.delete(id);
        } else if (command === 'ERROR') {
          failed = new Error(`broker error while queueing: ${frame.slice(0, 300)}`);
          reject(failed);
        }
      }
    });
  });
  connected.catch(() => undefined);
  const write = async (text: string) => {
    if (failed) throw failed;
    if (!socket.write(text)) await once(socket, 'drain');
  };
  await write('CONNECT\naccept-version:1.2\nhost:127.0.0.1\nheart-beat:0,0\n\n\0');
  await connected;
  const startSec = Math.floor(Date.now() / 1000) - 86_400;
  const outstanding: Promise<void>[] = [];
  for (let from = 0, tx = 0; from < EVENTS; from += TRANSACTION, tx++) {
    const id = `backlog-${tx}`;
    let frames = `BEGIN\ntransaction:${id}\n\n\0`;
    for (let i = from; i < Math.min(EVENTS, from + TRANSACTION); i++) {
      frames += `SEND\ndestination:${destination}\npersistent:true\ncontent-type:application/json\ntransaction:${id}\n\n${body(i, run, startSec)}\0`;
    }
    const confirmed = new Promise<void>((resolve) => receipts.set(id, resolve));
    await write(`${frames}COMMIT\ntransaction:${id}\nreceipt:${id}\n\n\0`);
    outstanding.push(confirmed);
    if (outstanding.length >= 2) await Promise.race([outstanding.shift()!, stalled(60_000, `the broker confirmed no transaction for 60 s (${from} events queued)`)]);
    if (tx % 20 === 19) progress(`${fmt(from + TRANSACTION)} events queued`);
  }
  await Promise.all(outstanding);
  socket.end('DISCONNECT\n\n\0');
  socket.destroy();
  return (performance.now() - started) / 1000;
}

function stalled(ms: number, why: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(why)), ms).unref());
}

/** The broker's KahaDB directory, from its command line (-Dactivemq.data=…), and its size in MB. */
function kahaDbMb(brokerPid: number | undefined): number | undefined {
  if (!brokerPid) return undefined;
  try {
    const args = readFileSync(`/proc/${brokerPid}/cmdline`, 'utf8').split('\0');
    const data = args.find((a) => a.startsWith('-Dactivemq.data='))?.slice('-Dactivemq.data='.length);
    if (!data) return undefined;
    return Number(execFileSync('du', ['-sm', path.join(data, 'kahadb')], { encoding: 'utf8' }).split('\t')[0]);
  } catch {
    return undefined;
  }
}

function memoryMb(pid: number | undefined): { rss: number; hwm: number } | undefined {
  if (!pid) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

async function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<void> {
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
    lines.on('line', (line) => {
      if (pattern.test(line)) resolve();
    });
  });
}

async function stop(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([once(child, 'exit'), sleep(30_000).then(() => child.kill('SIGKILL'))]);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** One GET on the kept-alive connection, the whole body read; milliseconds. Anything but 200 is fatal. */
function timedGet(target: { port: number; path: string }): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: target.port, path: target.path, agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`${target.path} answered ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
  });
}

/** VM page reads, one request every PAGE_EVERY_MS, until `until()` says stop (or `count` requests). */
async function pageLatencies(target: { port: number; path: string }, until: () => boolean, count = Infinity): Promise<number[]> {
  const ms: number[] = [];
  while (!until() && ms.length < count) {
    const took = await timedGet(target);
    ms.push(took);
    if (took < PAGE_EVERY_MS) await sleep(PAGE_EVERY_MS - took);
  }
  return ms;
}

async function main() {
  await startStack();
  const uptimeBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const destination = `/queue/bench.backlog.${randomUUID()}`;
  const pool = mysql.createPool({ uri: DATABASE_URL, connectionLimit: 2, timezone: 'Z' });
  const brokerPid = pidListeningOn(Number(new URL(STOMP_URL).port || 61613));
  const dbPid = pidListeningOn(mariadbPort);
  let ingester: ChildProcess | null = null;
  let bare: ChildProcess | null = null;
  let drained = false;
  try {
    progress('database porthole_bench_backlog: dropped, migrated, 2,000 VMs');
    const { userId } = await prepareDatabase();
    const kahaBefore = kahaDbMb(brokerPid);
    progress(`queueing ${fmt(EVENTS)} events on ${destination} (no ingester running)`);
    const queueSeconds = await queueBacklog(destination, destination.slice(-12));
    const kahaAfter = kahaDbMb(brokerPid);

    // The VM page's reads, in a process of their own.
    bare = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts/bench/portal-bare.ts')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL, PORT: String(BARE_PORT) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await waitForLine(bare, /listening/, 'the bare handler');
    const page = { port: BARE_PORT, path: `/vm/1?user=${userId}` };
    for (let i = 0; i < 10; i++) await timedGet(page); // warm-up
    const emptyIdle = await pageLatencies(page, () => false, 25);

    progress('starting the ingester');
    const { command, args } = ingesterCommand();
    const spawnedAt = performance.now();
    ingester = spawn(command, args, {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL, STOMP_URL, EVENTS_DESTINATION: destination, INGEST_INSTANCE: 'bench-backlog', METRICS_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const pid = ingester.pid;
    await waitForLine(ingester, /connected; consuming/, 'the ingester');
    const connectedAt = performance.now();
    const cpu0 = { ingester: cpuSeconds(pid), broker: cpuSeconds(brokerPid), database: cpuSeconds(dbPid) };

    let peakRss = 0;
    const rssTimer = setInterval(() => {
      const m = memoryMb(pid);
      if (m) peakRss = Math.max(peakRss, m.rss);
    }, 500);
    const during = pageLatencies(page, () => drained);
    let top = 0;
    let lastTop = -1;
    let lastMove = Date.now();
    let nextReport = Date.now() + 15_000;
    try {
      for (;;) {
        if (ingester.exitCode !== null) throw new Error(`the ingester exited (${ingester.exitCode}) at ${top} events`);
        const [[row]] = await pool.query<RowDataPacket[]>('SELECT COALESCE(MAX(id), 0) AS top FROM monitoring_events');
        top = Number(row!.top);
        if (top !== lastTop) {
          lastTop = top;
          lastMove = Date.now();
        } else if (Date.now() - lastMove > 60_000) throw new Error(`no event stored for 60 s at ${fmt(top)} of ${fmt(EVENTS)}`);
        if (top >= EVENTS) {
          const [[count]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM monitoring_events');
          if (Number(count!.n) >= EVENTS) break;
        }
        if (Date.now() > nextReport) {
          nextReport += 15_000;
          progress(`${fmt(top)} stored, ${fmt(top / ((performance.now() - connectedAt) / 1000))}/s, RSS ${memoryMb(pid)?.rss.toFixed(0)} MB`);
        }
        await sleep(500);
      }
    } finally {
      drained = true;
      clearInterval(rssTimer);
    }
    const storedAt = performance.now();
    const cpu1 = { ingester: cpuSeconds(pid), broker: cpuSeconds(brokerPid), database: cpuSeconds(dbPid) };
    const hwm = memoryMb(pid)?.hwm ?? Number.NaN;
    const duringMs = await during;
    await stop(ingester);
    const [[stored]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n, COUNT(DISTINCT event_key) AS `keys` FROM monitoring_events');
    const [[dead]] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM dead_letters');
    await sleep(5000); // let the database settle before the idle figure
    const idleMs = await pageLatencies(page, () => false, IDLE_REQUESTS);
    const uptimeAfter = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

    const drainSeconds = (storedAt - connectedAt) / 1000;
    const per1000 = (k: keyof typeof cpu0) => {
      const a = cpu0[k];
      const b = cpu1[k];
      return a === undefined || b === undefined ? '?' : (((b - a) * 1000) / EVENTS).toFixed(3);
    };
    const p95 = (ms: number[]) => percentile(ms, 95);
    console.log(`\nbench:backlog — ${fmt(EVENTS)} events queued while no ingester ran, then drained; real ActiveMQ + MariaDB`);
    console.log(`  load average before ${uptimeBefore}, after ${uptimeAfter} (2 cores: above ~2.5 the machine was busy)\n`);
    console.log(`  queued in ${queueSeconds.toFixed(1)} s (${fmt(EVENTS / queueSeconds)} events/s, transactions of ${TRANSACTION}); KahaDB ${kahaBefore ?? '?'} MB before, ${kahaAfter ?? '?'} MB after (store limit 2 GB)`);
    console.log(`  all stored ${((storedAt - spawnedAt) / 1000).toFixed(1)} s after the ingester started (${drainSeconds.toFixed(1)} s after it connected): ${fmt(EVENTS / drainSeconds)} events/s`);
    console.log(`  stored ${fmt(Number(stored!.n))} rows, ${fmt(Number(stored!.keys))} distinct keys, ${fmt(Number(dead!.n))} dead letters`);
    console.log(`  ingester peak RSS ${hwm.toFixed(0)} MB (VmHWM; sampled VmRSS peak ${peakRss.toFixed(0)} MB)`);
    console.log(`  CPU s per 1,000 events: ingester ${per1000('ingester')}, broker ${per1000('broker')}, database ${per1000('database')}`);
    console.log(`  VM page reads (bare handler, 1 request / ${PAGE_EVERY_MS} ms): during the drain p50 ${percentile(duringMs, 50).toFixed(1)} ms, p95 ${p95(duringMs).toFixed(1)} ms (${duringMs.length} requests)`);
    console.log(`                                             idle afterwards p50 ${percentile(idleMs, 50).toFixed(1)} ms, p95 ${p95(idleMs).toFixed(1)} ms (${idleMs.length}; before the drain, no history yet: p95 ${p95(emptyIdle).toFixed(1)} ms)`);
    const check = (label: string, ok: boolean, figure: string) => console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${label}: ${figure}`);
    console.log('');
    check('every event stored exactly once', Number(stored!.n) === EVENTS && Number(stored!.keys) === EVENTS, `${fmt(Number(stored!.n))} of ${fmt(EVENTS)}`);
    check(`ingester peak RSS < ${RSS_LIMIT_MB} MB`, hwm < RSS_LIMIT_MB, `${hwm.toFixed(0)} MB`);
    check('VM page p95 during the drain <= 500 ms', p95(duringMs) <= 500, `${p95(duringMs).toFixed(1)} ms (${(p95(duringMs) / p95(idleMs)).toFixed(2)}x idle)`);
  } finally {
    drained = true;
    await stop(ingester);
    await stop(bare);
    const left = await purgeQueue(STOMP_URL, destination, 3000).catch((error: Error) => (progress(`could not purge ${destination}: ${error.message}`), 0));
    if (left > 0) progress(`purged ${fmt(left)} events left on ${destination}`);
    if (process.env.BENCH_KEEP !== '1') await pool.query('DROP DATABASE IF EXISTS porthole_bench_backlog');
    await pool.end();
    agent.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench:backlog could not run: ${error.message}`);
    process.exit(1);
  },
);
