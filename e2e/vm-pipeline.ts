import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { TEST_ENV } from '../scripts/test-setup/test-env';
import { connectTestClient, publishAll } from '../lib/testing/stomp-test-client';

// The monitoring pipeline for browser tests: Nagios' command publishes to ActiveMQ, an ingester stores
// it in the test database. The ingester here consumes a destination named after the test database, so
// two test runs on one broker (each with its own database) never take each other's events.

const ROOT = path.join(import.meta.dirname, '..');
const DATABASE = new URL(TEST_ENV.DATABASE_URL!).pathname.slice(1);
export const DESTINATION = `/queue/${DATABASE}.vm-e2e.events`;
const CLI = path.join(ROOT, 'dist', 'bin', 'notify-service-by-stomp');
const run = promisify(execFile);

/** Starts `node lib/ingest/main.ts` on DESTINATION and resolves once it is consuming. */
export async function startIngester(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/ingest/main.ts'], {
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
 * Publishes a service event the way Nagios does: with dist/bin/notify-service-by-stomp (`npm run
 * build:cli`) when it is built, else the same seed-format JSON over STOMP. Returns which was used.
 */
export async function publishServiceEvent(e: ServiceEvent): Promise<'cli' | 'stomp'> {
  if (existsSync(CLI)) {
    await run(CLI, [TEST_ENV.STOMP_URL!, DESTINATION, e.address, e.service, e.state, e.stateType, '0', String(e.attempt), String(e.maxAttempts), e.output, ''], {
      // A spool of its own: the command sends anything spooled first, and other runs' leftovers are not ours.
      env: { ...process.env, PORTHOLE_SPOOL_DIR: `/tmp/porthole-${DATABASE}-spool`, PORTHOLE_SOURCE: 'vm-e2e' },
      timeout: 15_000,
    });
    return 'cli';
  }
  const client = await connectTestClient(TEST_ENV.STOMP_URL);
  try {
    const body = {
      time_t: Math.floor(Date.now() / 1000),
      state: e.state,
      state_type: e.stateType,
      state_time: 0,
      attempt: e.attempt,
      hostname: e.address,
      max_attempts: e.maxAttempts,
      service: e.service,
      output: e.output,
      event_id: randomUUID(),
      source: 'vm-e2e',
    };
    await publishAll(client, DESTINATION, [JSON.stringify(body)]);
  } finally {
    await client.deactivate();
  }
  return 'stomp';
}
