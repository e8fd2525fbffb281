// npm run bench:publish — how cheap is the Nagios-side publish? Nagios forks one command per event,
// so the built notify-service-by-stomp is compared with a bare `node -e 0` in the same run:
//
//   1. wall time of one event (median of BENCH_RUNS sequential runs, interleaved with the baseline)
//      target: at most 1.8x `node -e 0`
//   2. a burst of BENCH_BURST events through `xargs -P 2`, events per second (in alternating rounds
//      of 100 with the baseline)   target: at least 0.5x the rate of `node -e 0` started the same way
//
// Every event goes to the real broker (STOMP_URL, default the local stack's ActiveMQ) on a queue of
// its own, and is drained and counted afterwards. Prints PASS/FAIL per target; exits 0 unless the
// benchmark could not run (no broker, build failure, events missing).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBrokerUrl } from '@/lib/stomp/broker-url';
import { connectFirst, type StompSession } from '@/lib/stomp/connect';
import { buildCli } from '../build-cli';
import { stackConfig } from '../stack/config';

const RUNS = Number(process.env.BENCH_RUNS || 30);
const BURST = Number(process.env.BENCH_BURST || 500);
const BURST_ROUND = 100;
const WARMUP = 3;
const STOMP_URL = process.env.STOMP_URL || `stomp://127.0.0.1:${stackConfig.stompPort}`;
const MAX_WALL_RATIO = 1.8;
const MIN_BURST_RATIO = 0.5;

const progress = (line: string) => process.stderr.write(`  … ${line}\n`);

/** Wall time of one process, in ms. Throws when it fails. */
function timeOnce(command: string, args: readonly string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'], cwd: '/' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0 || r.stderr.length > 0) throw new Error(`${command} failed (exit ${r.status}): ${r.stderr.toString().trim()}`);
  return ms;
}

/** Runs `seq n | xargs -P 2 -I{} <command…>` through sh; returns events per second. */
function burst(n: number, commandLine: string, env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', `seq ${n} | xargs -P 2 -I{} ${commandLine}`], { env, stdio: ['ignore', 'ignore', 'pipe'], cwd: '/' });
  const s = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`burst failed (exit ${r.status}): ${r.stderr.toString().trim().slice(0, 500)}`);
  return n / s;
}

function stats(xs: number[]): { min: number; median: number; p90: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { min: s[0]!, median: s.length % 2 ? at(0.5) : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2, p90: at(0.9) };
}

/** Takes everything on a queue until it has been quiet for a while; returns the count. */
async function drain(session: StompSession, destination: string, expected: number): Promise<number> {
  let seen = 0;
  await new Promise<void>((resolve) => {
    let timer = setTimeout(() => done(), 5_000);
    const done = () => {
      sub.unsubscribe();
      resolve();
    };
    const sub = session.client.subscribe(destination, () => {
      seen += 1;
      clearTimeout(timer);
      timer = setTimeout(done, seen >= expected ? 300 : 5_000);
    });
  });
  return seen;
}

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main(): Promise<number> {
  const endpoints = parseBrokerUrl(STOMP_URL);
  let rx: StompSession;
  try {
    rx = await connectFirst(endpoints, { connectTimeoutMs: 3_000 });
  } catch (error) {
    console.error(`bench:publish: cannot reach the broker at ${STOMP_URL} (${(error as Error).message}); start it with \`npm run stack:start\` or set STOMP_URL`);
    return 1;
  }
  const work = mkdtempSync(join(tmpdir(), 'porthole-bench-publish-'));
  try {
    progress('building the commands');
    const { files } = await buildCli(join(work, 'bin'));
    const notify = files.find((f) => f.command === 'notify-service-by-stomp')!.path;
    const spool = join(work, 'spool');
    const queue = `/queue/bench.publish.${randomUUID().slice(0, 8)}`;
    const env = { ...process.env, PORTHOLE_SPOOL_DIR: spool, PORTHOLE_SOURCE: 'bench' };
    const eventArgs = (host: string) => [STOMP_URL, queue, host, 'Disk /', 'WARNING', 'HARD', '86492', '3', '3', 'DISK WARNING - free space: / 812 MB (9%):', "'/'=7402MB;6553;7372;0;8192"];

    progress(`${WARMUP} warm-up runs each`);
    for (let i = 0; i < WARMUP; i++) {
      timeOnce('node', ['-e', '0'], env);
      timeOnce(notify, eventArgs(`warmup-${i}`), env);
    }
    progress(`${RUNS} sequential runs each, interleaved`);
    const base: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      base.push(timeOnce('node', ['-e', '0'], env));
      ours.push(timeOnce(notify, eventArgs(`seq-${i}`), env));
    }

    // Alternating rounds, so a change in machine load during the run hits both sides alike.
    const ourLine = [notify, ...eventArgs('burst-{}')].map((a) => (a === 'burst-{}' ? a : sh(a))).join(' ');
    const rounds = Math.max(1, Math.ceil(BURST / BURST_ROUND));
    let baseSeconds = 0;
    let ourSeconds = 0;
    for (let r = 0; r < rounds; r++) {
      const n = Math.min(BURST_ROUND, BURST - r * BURST_ROUND);
      progress(`burst round ${r + 1}/${rounds}: ${n} x node -e 0, then ${n} x notify-service-by-stomp, through xargs -P 2`);
      baseSeconds += n / burst(n, 'node -e 0', env);
      ourSeconds += n / burst(n, ourLine, env);
    }
    const baseRate = BURST / baseSeconds;
    const ourRate = BURST / ourSeconds;

    const expected = WARMUP + RUNS + BURST;
    progress('draining the queue');
    const received = await drain(rx, queue, expected);
    const spooled = (() => {
      try {
        return readdirSync(spool).filter((n) => n.endsWith('.json')).length;
      } catch {
        return 0;
      }
    })();

    const b = stats(base);
    const o = stats(ours);
    const wallRatio = o.median / b.median;
    const burstRatio = ourRate / baseRate;
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    console.log('');
    console.log(`bench:publish  broker ${STOMP_URL}  node ${process.version}  ${RUNS} runs, burst ${BURST}`);
    console.log('');
    console.log('one event, wall time (ms)          min   median    p90');
    console.log(`  node -e 0                    ${fmt(b.min).padStart(7)}  ${fmt(b.median).padStart(7)}  ${fmt(b.p90).padStart(6)}`);
    console.log(`  notify-service-by-stomp      ${fmt(o.min).padStart(7)}  ${fmt(o.median).padStart(7)}  ${fmt(o.p90).padStart(6)}`);
    console.log(`  ratio (median)               ${fmt(wallRatio, 2).padStart(16)}x   target <= ${MAX_WALL_RATIO}x   ${verdict(wallRatio <= MAX_WALL_RATIO)}`);
    console.log('');
    console.log(`burst of ${BURST} via xargs -P 2 (events/s)`);
    console.log(`  node -e 0                    ${fmt(baseRate).padStart(16)}`);
    console.log(`  notify-service-by-stomp      ${fmt(ourRate).padStart(16)}`);
    console.log(`  ratio                        ${fmt(burstRatio, 2).padStart(16)}x   target >= ${MIN_BURST_RATIO}x   ${verdict(burstRatio >= MIN_BURST_RATIO)}`);
    console.log('');
    console.log(`delivered: ${received} of ${expected} events on ${queue}; ${spooled} spooled`);
    if (received + spooled < expected) {
      console.error(`bench:publish: ${expected - received - spooled} events are missing`);
      return 1;
    }
    return 0;
  } finally {
    await rx.close();
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
