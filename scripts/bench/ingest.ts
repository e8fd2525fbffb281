import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { RowDataPacket } from 'mysql2';
import { createDb } from '@/lib/db/connection';
import { migrateDatabase } from '@/lib/db/migrate';
import { INGESTER_NODE_FLAGS, ingesterCommand } from '@/lib/ingest/command';
import { loadIngestConfig } from '@/lib/ingest/config';
import { connectTestClient, publishAll } from '@/lib/testing/stomp-test-client';
import { stackConfig } from '../stack/config';
import { startStack } from '../stack/stack';
import { cpuSeconds, pidListeningOn } from './pid-by-port';
import { purgeQueue } from './purge-queue';

// npm run bench:ingest — end-to-end ingest throughput against the real ActiveMQ and MariaDB, in one run:
//  - the batched ingester: its own process, started exactly as `npm run ingester` starts it, with its
//    default settings, timed from its connection until the last event is committed;
//  - the same process storing and acking one message at a time (INGEST_MODE=single);
//  - a raw drain of an equal queue with the ingester's STOMP client, subscription and acks, writing nothing,
//    in a process of its own started the same way (scripts/bench/raw-drain.ts).
// Each of the two handles BENCH_PROCESS_WARM_UP (10,000) events of its queue first, not counted: rates and
// CPU are measured from then on, warm, as a long-running ingester is (a fresh process's JIT compiles on
// threads of its own, which /proc counts as the process's CPU).
// After an uncounted warm-up round, raw drain and batched ingester alternate for BENCH_ROUNDS rounds and
// their medians are compared, so a broker that warms up during the run favours neither.
// BENCH_CPU_PROF=<dir>: every ingester it starts runs with --cpu-prof (a .cpuprofile written there when it stops).

const EVENTS = Number(process.env.BENCH_EVENTS || 40_000);
const SINGLE_EVENTS = Math.min(EVENTS, Number(process.env.BENCH_SINGLE_EVENTS || 5_000));
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
const WARM_UP_EVENTS = Math.min(EVENTS, 10_000);
// Each consumer process handles this many events before it is measured, so both are measured warm (their
// code compiled, their heaps grown), as a long-running ingester is.
const PROCESS_WARM_UP = Number(process.env.BENCH_PROCESS_WARM_UP ?? 10_000);
const STOMP_URL = process.env.STOMP_URL || `stomp://127.0.0.1:${stackConfig.stompPort}`;
const DATABASE_URL = `mysql://${stackConfig.dbUser}:${stackConfig.dbPassword}@127.0.0.1:${stackConfig.mariadbPort}/porthole_bench_ingest`;
// The spawned ingester reads the same environment, so both consumers use one prefetch.
const PREFETCH = loadIngestConfig().INGEST_PREFETCH;

const { pool } = createDb(DATABASE_URL, { connectionLimit: 2 });

interface Run {
  rate: number;
  /** CPU seconds per 1,000 events, per process (when /proc can tell). */
  cpu: { broker?: number; database?: number; consumer?: number };
}

function bodies(n: number, run: string): string[] {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      time_t: 1_700_000_000 + i,
      state: i % 7 === 0 ? 'CRITICAL' : 'OK',
      state_type: 'HARD',
      state_time: 0,
      attempt: 1,
      hostname: `bench-${i % 2000}.example.com`,
      max_attempts: 3,
      service: `svc-${i % 20}`,
      output: 'OK - bench',
      perfdata: `load1=${(i % 100) / 10};4;8;0`,
      event_id: `${run}-${i}`,
      source: 'bench',
    }),
  );
}

const progress = (line: string) => process.stderr.write(`  … ${line}\n`);

/**
 * Measures the broker, the database and one consumer process while `work` runs: `work` first resolves
 * `warm` when the consumer has handled its first PROCESS_WARM_UP events (not counted), then finishes
 * the n that are.
 */
async function measured(n: number, consumerPid: () => number | undefined, work: (warm: () => void) => Promise<void>): Promise<Run> {
  // Found by their ports, so the stack may have been started from another checkout.
  const pids = { broker: pidListeningOn(Number(new URL(STOMP_URL).port || 61613)), database: pidListeningOn(Number(new URL(DATABASE_URL).port || 3306)) };
  const snapshot = () => ({ at: performance.now(), broker: cpuSeconds(pids.broker), database: cpuSeconds(pids.database), consumer: cpuSeconds(consumerPid()) });
  let before = snapshot();
  await work(() => (before = snapshot()));
  const after = snapshot();
  const per1000 = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : ((b - a) * 1000) / n);
  return {
    rate: n / ((after.at - before.at) / 1000),
    cpu: {
      broker: per1000(before.broker, after.broker),
      database: per1000(before.database, after.database),
      consumer: per1000(before.consumer, after.consumer),
    },
  };
}

async function load(n: number): Promise<string> {
  progress(`publishing ${n} persistent events`);
  const queue = `/queue/bench.ingest.${randomUUID()}`;
  const client = await connectTestClient(STOMP_URL);
  const list = bodies(n, queue);
  // Persistent and never expiring, like the events the Nagios commands send.
  for (let i = 0; i < list.length; i += 5000) await publishAll(client, queue, list.slice(i, i + 5000), { lifetimeMs: 0 });
  await client.deactivate();
  return queue;
}

/**
 * The ingester's client, subscription and individual acks, writing nothing: scripts/bench/raw-drain.ts, its
 * own process started as the ingester is, measured the same way (after its first PROCESS_WARM_UP events,
 * until the last ack).
 */
async function rawDrain(n: number): Promise<Run> {
  const queue = await load(PROCESS_WARM_UP + n);
  progress('raw drain');
  const child = spawn(process.execPath, [...INGESTER_NODE_FLAGS, '--import', 'tsx', path.join(import.meta.dirname, 'raw-drain.ts')], {
    env: { ...process.env, STOMP_URL, QUEUE: queue, N: String(PROCESS_WARM_UP + n), WARM: String(PROCESS_WARM_UP), PREFETCH: String(PREFETCH) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const lines = createInterface({ input: child.stdout! });
    const seen = (pattern: RegExp) => {
      const line = new Promise<void>((resolve, reject) => {
        child.once('exit', (code) => reject(new Error(`raw drain exited (${code}) early`)));
        lines.on('line', (text) => pattern.test(text) && resolve());
      });
      line.catch(() => undefined);
      return line;
    };
    const warmed = seen(/^warm$/);
    const drained = seen(/^drained$/);
    await seen(/connected; consuming/);
    return await measured(n, () => child.pid, async (warm) => {
      await Promise.race([warmed, stalled(60_000, `raw drain: no ${PROCESS_WARM_UP} events within 60 s`)]);
      warm();
      await Promise.race([drained, stalled(120_000, `raw drain of ${n} events took over 120 s`)]);
    });
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await purgeQueue(STOMP_URL, queue);
  }
}

function stalled(ms: number, why: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(why)), ms).unref());
}

async function query<T>(text: string): Promise<T> {
  const [rows] = await pool.query<RowDataPacket[]>(text);
  return rows[0] as T;
}

/** Resolves when the process prints `pattern` on stdout; rejects if it exits first. */
async function waitForLine(child: ChildProcess, pattern: RegExp): Promise<void> {
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`ingester exited (${code}) before it connected`)));
    lines.on('line', (line) => {
      if (pattern.test(line)) resolve();
    });
  });
}

/**
 * Polls until `n` events are committed: MAX(id) is a cheap check (ids are given in order, so it is within
 * a batch of the count), COUNT(*) confirms unless `confirm` is false (the end of the uncounted start).
 */
async function committed(n: number, child: ChildProcess, { confirm = true } = {}): Promise<void> {
  let top = 0;
  let done = false;
  const watch = stallWatch('ingester', n, () => top);
  const poll = async () => {
    while (!done) {
      if (child.exitCode !== null) throw new Error(`ingester exited (${child.exitCode}) before storing ${n} events`);
      top = Number((await query<{ top: number | null }>('SELECT MAX(id) AS top FROM monitoring_events')).top);
      if (top >= n && (!confirm || Number((await query<{ n: number }>('SELECT COUNT(*) AS n FROM monitoring_events')).n) >= n)) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  try {
    await Promise.race([poll(), watch.stalled]);
  } finally {
    done = true;
    watch.stop();
  }
}

/**
 * `stalled` rejects when a run makes no progress for 30 s, instead of waiting forever (a broker whose
 * memory limit is taken up by other queues' backlogs can stop dispatching).
 */
function stallWatch(what: string, n: number, progressOf: () => number) {
  let timer: NodeJS.Timeout | undefined;
  let last = -1;
  const stalled = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      const now = progressOf();
      if (now === last) {
        clearInterval(timer);
        reject(new Error(`${what} made no progress for 30 s at ${now} of ${n} events`));
      }
      last = now;
    }, 30_000);
  });
  stalled.catch(() => undefined); // the caller races it; a stopped watch never settles
  return { stalled, stop: () => clearInterval(timer) };
}

async function ingest(n: number, mode: 'batch' | 'single'): Promise<Run> {
  // The one-per-message run is for its rate only: no uncounted start.
  const warmUp = mode === 'batch' ? PROCESS_WARM_UP : 0;
  const queue = await load(warmUp + n);
  for (const table of ['monitoring_events', 'perf_samples', 'service_states', 'alert_outbox']) await pool.query(`TRUNCATE TABLE ${table}`);
  progress(`${mode === 'batch' ? 'batched' : 'one-per-message'} ingester`);
  const { command, args } = ingesterCommand();
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)] : [];
  const child = spawn(command, [...prof, ...args], {
    env: { ...process.env, DATABASE_URL, STOMP_URL, EVENTS_DESTINATION: queue, INGEST_MODE: mode, INGEST_INSTANCE: `bench-${mode}` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await waitForLine(child, /connected; consuming/);
    return await measured(n, () => child.pid, async (warm) => {
      if (warmUp > 0) await committed(warmUp, child, { confirm: false });
      warm();
      await committed(warmUp + n, child);
    });
  } finally {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
    await purgeQueue(STOMP_URL, queue);
    const stored = await query<{ n: number; keys: number }>('SELECT COUNT(*) AS n, COUNT(DISTINCT event_key) AS `keys` FROM monitoring_events');
    if (Number(stored.n) !== warmUp + n || Number(stored.keys) !== warmUp + n) throw new Error(`${mode}: stored ${stored.n} rows (${stored.keys} distinct) of ${warmUp + n}`);
  }
}

const median = (runs: Run[]): Run => [...runs].sort((a, b) => a.rate - b.rate)[Math.floor(runs.length / 2)]!;
const rate = (r: Run) => Math.round(r.rate).toLocaleString('en-US').padStart(7);
const cpu = (r: Run) =>
  (['broker', 'database', 'consumer'] as const)
    .map((k) => `${k} ${r.cpu[k] === undefined ? '?' : r.cpu[k]!.toFixed(3)}`)
    .join(', ');

async function main() {
  await startStack();
  await migrateDatabase(DATABASE_URL);
  // A fresh broker JVM is still compiling its hot paths: one uncounted round first.
  const warmUp = { raw: await rawDrain(WARM_UP_EVENTS), batched: await ingest(WARM_UP_EVENTS, 'batch') };
  const raws: Run[] = [];
  const batched: Run[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    raws.push(await rawDrain(EVENTS));
    batched.push(await ingest(EVENTS, 'batch'));
  }
  const single = await ingest(SINGLE_EVENTS, 'single');
  await pool.end();

  console.log(`bench:ingest — ${EVENTS} events per run, ${ROUNDS} rounds (${SINGLE_EVENTS} events one-per-message), real ActiveMQ + MariaDB\n`);
  console.log(`  warm-up (${WARM_UP_EVENTS} events, not counted): raw drain ${rate(warmUp.raw)} events/s, batched ingester ${rate(warmUp.batched)} events/s`);
  // The consumer's CPU ratio per round: a raw drain and the ingester run one after the other, so each pair
  // sees the same machine; the target takes the median of the rounds' ratios.
  const ownRatios = raws.map((r, i) => (r.cpu.consumer && batched[i]!.cpu.consumer !== undefined ? batched[i]!.cpu.consumer! / r.cpu.consumer : undefined));
  const ownCpu = (r: Run) => (r.cpu.consumer === undefined ? '?' : r.cpu.consumer.toFixed(3));
  raws.forEach((r, i) =>
    console.log(
      `  round ${i + 1}: raw drain ${rate(r)} events/s, batched ingester ${rate(batched[i]!)} events/s; consumer CPU s per 1,000 events ${ownCpu(r)} vs ${ownCpu(batched[i]!)}` +
        (ownRatios[i] === undefined ? '' : ` (${ownRatios[i]!.toFixed(2)}x)`),
    ),
  );
  const raw = median(raws);
  const batch = median(batched);
  console.log('');
  console.log(`  raw drain (acks, no writes), median   ${rate(raw)} events/s   CPU s per 1,000 events: ${cpu(raw)}`);
  console.log(`  batched ingester, median              ${rate(batch)} events/s   CPU s per 1,000 events: ${cpu(batch)}`);
  console.log(`  one insert + ack per message          ${rate(single)} events/s`);
  const check = (label: string, ok: boolean, figure: string) => console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${label}: ${figure}`);
  console.log('');
  check('batched >= 4x one-per-message', batch.rate >= 4 * single.rate, `${(batch.rate / single.rate).toFixed(1)}x`);
  check('batched >= 8,000 events/s', batch.rate >= 8000, `${Math.round(batch.rate)} events/s`);
  console.log(`  (batched ${(batch.rate / raw.rate).toFixed(2)}x the raw drain's rate: on 2 cores the broker, the database and the consumer share them)`);
  const measurable = ownRatios.filter((x): x is number => x !== undefined).sort((a, b) => a - b);
  const own = measurable.length === raws.length ? measurable[Math.floor(measurable.length / 2)] : undefined;
  check(
    "ingester's own CPU per 1,000 events <= 2x the raw drain's (median of the rounds' ratios)",
    own !== undefined && own <= 2,
    own === undefined ? 'not measurable here' : `${own.toFixed(2)}x (rounds: ${measurable.map((x) => x.toFixed(2)).join(', ')})`,
  );
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench:ingest could not run: ${error.message}`);
    process.exit(1);
  },
);
