// npm run bench:publish — what the Nagios-side publish costs the Nagios server, in one run:
//
//   1. one event's wall time (median of BENCH_RUNS sequential runs, interleaved): notify-service-by-stomp
//      against `node -e 0` (target at most 1.5x) and against the seed's Ruby publisher (the seed's
//      script with Debian's ruby-stomp instead of smqueue, installed when missing; target at most 0.5x);
//   2. a storm of BENCH_STORM (5,000) service state changes, once through the event handler (one
//      notify-service-by-stomp per event, 4 at a time like Nagios' workers) and once through the
//      zero-fork path (the same events as lines of the perfdata file, one porthole-perfdata run):
//      CPU seconds of the Nagios-side processes per 1,000 events (target: the file path at least 20x
//      cheaper) and the time until the last event is stored by the ingester.
//
// Every timed process runs without NODE_EXTRA_CA_CERTS (a Nagios server does not set it; loading the
// bundle of CA certificates costs each Node.js start ~70 ms). Events go to the real broker (STOMP_URL)
// and, for the storm, through the real ingester into MariaDB (database porthole_bench_publish). Prints
// PASS/FAIL per target; exits 0 unless the benchmark could not run.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RowDataPacket } from 'mysql2';
import { createDb } from '@/lib/db/connection';
import { migrateDatabase } from '@/lib/db/migrate';
import { SERVICE_STATE_FILE_TEMPLATE } from '@/lib/cli/perfdata-file';
import { Ingester } from '@/lib/ingest/ingester';
import { parseBrokerUrl } from '@/lib/stomp/broker-url';
import { buildCli } from '../build-cli';
import { ensurePackages } from '../stack/apt';
import { stackConfig } from '../stack/config';

const RUNS = Number(process.env.BENCH_RUNS || 30);
const STORM = Number(process.env.BENCH_STORM || 5_000);
const WARMUP = 3;
const STOMP_URL = process.env.STOMP_URL || `stomp://127.0.0.1:${stackConfig.stompPort}`;
const DATABASE_URL = `mysql://${stackConfig.dbUser}:${stackConfig.dbPassword}@127.0.0.1:${stackConfig.mariadbPort}/porthole_bench_publish`;
const MAX_NODE_RATIO = 1.5;
const MAX_RUBY_RATIO = 0.5;
const MIN_STORM_CPU_RATIO = 20;
const RUBY_STOMP = { pkg: 'ruby-stomp', probe: '/usr/lib/ruby/vendor_ruby/stomp.rb' };

const progress = (line: string) => process.stderr.write(`  … ${line}\n`);

// The seed's notify-service-by-stomp.rb, with the stomp gem's client in place of smqueue's.
const SEED_RUBY = `require 'stomp'
require 'json'

message = {
  :hostname => ARGV[2],
  :service => ARGV[3],
  :state => ARGV[4],
  :state_type => ARGV[5],
  :state_time => ARGV[6].to_i,
  :attempt => ARGV[7].to_i,
  :max_attempts => ARGV[8].to_i,
  :time_t => Time.now.to_i
}

host, port = ARGV[0].split(':')
broadcast = Stomp::Connection.new('', '', host, (port || 61613).to_i)
broadcast.publish ARGV[1], message.to_json, 'content-type' => 'application/json'
broadcast.disconnect
`;

/** The environment of every timed process: this one's, without NODE_EXTRA_CA_CERTS. */
function timedEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** Wall time of one process, in ms. Throws when it fails. */
function timeOnce(command: string, args: readonly string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'], cwd: '/' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0 || r.stderr.length > 0) throw new Error(`${command} failed (exit ${r.status}): ${r.stderr.toString().trim()}`);
  return ms;
}

/** Runs a shell command line; returns its wall seconds and the user + system CPU seconds of everything it ran. */
function cpuOf(commandLine: string, env: NodeJS.ProcessEnv): { wall: number; cpu: number } {
  const started = process.hrtime.bigint();
  // bash's `times`: line 2 is the CPU of the children it waited for (and theirs).
  const r = spawnSync('bash', ['-c', `${commandLine}\ntimes`], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`failed (exit ${r.status}): ${r.stderr.toString().trim().slice(0, 500)}`);
  const line = r.stdout.toString().trim().split('\n').at(-1)!;
  const seconds = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (seconds.length !== 2) throw new Error(`cannot read the CPU times from ${JSON.stringify(line)}`);
  return { wall, cpu: seconds[0]! + seconds[1]! };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const fmt = (n: number, digits = 1) => n.toFixed(digits);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

async function main(): Promise<number> {
  ensurePackages([RUBY_STOMP]);
  await migrateDatabase(DATABASE_URL);
  const { db, pool } = createDb(DATABASE_URL, { connectionLimit: 4 });
  const work = mkdtempSync(join(tmpdir(), 'porthole-bench-publish-'));
  const ingesters: Ingester[] = [];
  try {
    progress('building the commands');
    const { files } = await buildCli(join(work, 'bin'));
    const cmd = (name: string) => files.find((f) => f.command === name)!.path;
    const notify = cmd('notify-service-by-stomp');
    const perfdata = cmd('porthole-perfdata');
    const ruby = join(work, 'notify-service-by-stomp.rb');
    writeFileSync(ruby, SEED_RUBY);
    const spool = join(work, 'spool');
    const run = randomUUID().slice(0, 8);
    const queue = `/queue/bench.publish.${run}`;
    const env = timedEnv({ PORTHOLE_SPOOL_DIR: spool, PORTHOLE_SOURCE: `bench-${run}` });
    const broker = STOMP_URL.replace(/^stomp:\/\//, '');
    const eventArgs = (host: string) => [STOMP_URL, queue, host, 'Disk /', 'WARNING', 'HARD', '86492', '3', '3', 'DISK WARNING - free space: / 812 MB (9%):', "'/'=7402MB;6553;7372;0;8192"];
    const seedArgs = (host: string) => [broker, queue, host, 'Disk /', 'WARNING', 'HARD', '86492', '3', '3'];

    // 1. One event.
    progress(`${WARMUP} warm-up runs each`);
    for (let i = 0; i < WARMUP; i++) {
      timeOnce('node', ['-e', '0'], env);
      timeOnce(notify, eventArgs(`warmup-${i}`), env);
      timeOnce('ruby', [ruby, ...seedArgs(`warmup-rb-${i}`)], env);
    }
    progress(`${RUNS} sequential runs each, interleaved`);
    const base: number[] = [];
    const ours: number[] = [];
    const seed: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      base.push(timeOnce('node', ['-e', '0'], env));
      ours.push(timeOnce(notify, eventArgs(`seq-${i}`), env));
      seed.push(timeOnce('ruby', [ruby, ...seedArgs(`seq-rb-${i}`)], env));
    }

    // 2. The storm: two sets of STORM distinct services (new host names), one per path.
    const stored = async (prefix: string) => {
      const [rows] = await pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM monitoring_events WHERE hostname LIKE ?', [`${prefix}%`]);
      return Number(rows[0]!.n);
    };
    const storeTime = async (prefix: string, startedMs: number) => {
      const deadline = Date.now() + 300_000;
      while ((await stored(prefix)) < STORM) {
        if (Date.now() > deadline) throw new Error(`only ${await stored(prefix)} of ${STORM} events of ${prefix} stored after 300 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return (performance.now() - startedMs) / 1000;
    };
    // The ingester also stores the single events of part 1 (their queue), before the storms start.
    const stormQueue = queue;
    const ingester = new Ingester(db, {
      endpoints: parseBrokerUrl(STOMP_URL),
      destination: stormQueue,
      batchSize: 500,
      batchMs: 25,
      prefetch: 1000,
      concurrency: 2,
      subscriptionName: `bench-${run}`,
      instance: `bench-publish-${run}`,
      mode: 'batch',
      maxClockSkewSec: 300,
      log: () => undefined,
    });
    ingesters.push(ingester);
    ingester.start();

    const handlerPrefix = `storm-h-${run}-`;
    progress(`storm through the event handler: ${STORM} x notify-service-by-stomp, 4 at a time`);
    const handlerLine = `seq ${STORM} | xargs -P 4 -I{} ${[notify, STOMP_URL, stormQueue].map(sh).join(' ')} ${handlerPrefix}{} 'Disk /' CRITICAL SOFT 0 1 3 'DISK CRITICAL - free space: / 12 MB (0%):' "'/'=8180MB;6553;7372;0;8192"`;
    const handlerStart = performance.now();
    const handler = cpuOf(handlerLine, env);
    const handlerStored = await storeTime(handlerPrefix, handlerStart);

    const filePrefix = `storm-f-${run}-`;
    progress(`storm through the perfdata file: ${STORM} lines, one porthole-perfdata run`);
    const now = Math.floor(Date.now() / 1000);
    const fields = SERVICE_STATE_FILE_TEMPLATE.split('\\t').length;
    const lines = Array.from({ length: STORM }, (_, i) =>
      ['SERVICE', now, `vm-${i}`, `${filePrefix}${i}`, 'Disk /', 'CRITICAL', 'SOFT', 0, 1, 3, now, now, 'DISK CRITICAL - free space: / 12 MB (0%):', "'/'=8180MB;6553;7372;0;8192"].join('\t'),
    );
    if (lines[0]!.split('\t').length !== fields) throw new Error('the storm lines do not follow SERVICE_STATE_FILE_TEMPLATE');
    const file = join(work, 'service-perfdata');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const fileStart = performance.now();
    const fileRun = cpuOf([perfdata, STOMP_URL, stormQueue, file].map(sh).join(' '), env);
    const fileStored = await storeTime(filePrefix, fileStart);
    await ingester.stop();

    const b = median(base);
    const o = median(ours);
    const r = median(seed);
    const handlerPer1000 = (handler.cpu * 1000) / STORM;
    const filePer1000 = (fileRun.cpu * 1000) / STORM;
    const cpuRatio = handlerPer1000 / filePer1000;
    console.log('');
    console.log(`bench:publish  broker ${STOMP_URL}  node ${process.version}  ${RUNS} runs, storm ${STORM}`);
    console.log(`timed processes run WITHOUT NODE_EXTRA_CA_CERTS (this environment ${process.env.NODE_EXTRA_CA_CERTS ? 'sets it; removed for them' : 'does not set it'})`);
    console.log('');
    console.log('one event, wall time (ms), median of interleaved runs');
    console.log(`  node -e 0                                ${fmt(b).padStart(7)}`);
    console.log(`  notify-service-by-stomp                  ${fmt(o).padStart(7)}   ${fmt(o / b, 2)}x node -e 0   target <= ${MAX_NODE_RATIO}x   ${verdict(o / b <= MAX_NODE_RATIO)}`);
    console.log(`  seed's Ruby publisher (ruby-stomp)       ${fmt(r).padStart(7)}   ours ${fmt(o / r, 2)}x of it  target <= ${MAX_RUBY_RATIO}x   ${verdict(o / r <= MAX_RUBY_RATIO)}`);
    console.log('');
    console.log(`storm of ${STORM} service state changes        Nagios-side CPU s per 1,000   last event stored after`);
    console.log(`  event handler (${STORM} processes, -P 4)   ${fmt(handlerPer1000, 3).padStart(10)}                 ${fmt(handlerStored, 1).padStart(6)} s (sending took ${fmt(handler.wall, 1)} s)`);
    console.log(`  perfdata file (1 process)              ${fmt(filePer1000, 3).padStart(10)}                 ${fmt(fileStored, 1).padStart(6)} s (+ up to the processing interval)`);
    console.log(`  file path ${fmt(cpuRatio, 1)}x cheaper   target >= ${MIN_STORM_CPU_RATIO}x   ${verdict(cpuRatio >= MIN_STORM_CPU_RATIO)}`);
    return 0;
  } finally {
    await Promise.all(ingesters.map((i) => i.stop()));
    await pool.end();
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`bench:publish: ${error.message}`);
    process.exit(1);
  },
);
