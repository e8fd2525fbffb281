import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ingesterCommand } from '../lib/ingest/command';
import { TEST_ENV } from '../scripts/test-setup/test-env';

// The monitoring pipeline for browser tests: Nagios' command publishes to ActiveMQ, an ingester stores
// it in the test database. The ingester here consumes a destination named after the test database, so
// two test runs on one broker (each with its own database) never take each other's events.

const ROOT = path.join(import.meta.dirname, '..');
const DATABASE = new URL(TEST_ENV.DATABASE_URL!).pathname.slice(1);
export const DESTINATION = `/queue/${DATABASE}.vm-e2e.events`;
const CLI = path.join(ROOT, 'dist', 'bin', 'notify-service-by-stomp');
const run = promisify(execFile);

/** Starts the ingester the way the demo and the tests do (lib/ingest/command.ts) on DESTINATION; resolves once it is consuming. */
export async function startIngester(): Promise<ChildProcess> {
  const { command, args } = ingesterCommand();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...TEST_ENV, EVENTS_DESTINATION: DESTINATION, INGEST_INSTANCE: `vm-e2e-${DATABASE}`, INGEST_SUBSCRIPTION: `vm-e2e-${DATABASE}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`ingester did not connect within 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/connected; consuming/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ingester exited (${code}):\n${output}`));
    });
  });
  return child;
}

export async function stopIngester(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export interface ServiceEvent {
  address: string;
  service: string;
  state: 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
  stateType: 'HARD' | 'SOFT';
  attempt: number;
  maxAttempts: number;
  output: string;
}

/**
 * Publishes a service event the way Nagios does, with dist/bin/notify-service-by-stomp (`npm test`
 * builds it before the browser tests; `npm run build:cli` by hand). There is no fallback: a test that
 * claims the pipeline works end to end must go through the real command.
 */
export async function publishServiceEvent(e: ServiceEvent): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${path.relative(ROOT, CLI)} is missing: run npm run build:cli first`);
  await run(CLI, [TEST_ENV.STOMP_URL!, DESTINATION, e.address, e.service, e.state, e.stateType, '0', String(e.attempt), String(e.maxAttempts), e.output, ''], {
    // A spool of its own: the command sends anything spooled first, and other runs' leftovers are not ours.
    env: { ...process.env, PORTHOLE_SPOOL_DIR: `/tmp/porthole-${DATABASE}-spool`, PORTHOLE_SOURCE: 'vm-e2e' },
    timeout: 15_000,
  });
}
