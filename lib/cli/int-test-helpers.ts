// Helpers for the integration tests of the Nagios-side commands (*.int.test.ts): build the real
// executables, run them like Nagios does (arbitrary working directory, environment only), and read
// what reached the real broker. Test-only; not bundled into any command.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IMessage } from '@stomp/stompjs';
import { buildCli, type CliCommand } from '../../scripts/build-cli';
import { parseBrokerUrl } from '../stomp/broker-url';
import { connectFirst, type StompSession } from '../stomp/connect';

export function stompUrl(): string {
  const url = process.env.STOMP_URL;
  if (!url) throw new Error('STOMP_URL is not set (the integration globalSetup starts ActiveMQ and sets it)');
  return url;
}

/** Builds every command into a fresh temporary directory; returns command → path. */
export async function buildCommands(): Promise<Record<CliCommand, string>> {
  const outDir = join(tempDir('cli-build'), 'bin');
  const { files } = await buildCli(outDir);
  return Object.fromEntries(files.map((f) => [f.command, f.path])) as Record<CliCommand, string>;
}

export const uniqueQueue = (what: string) => `/queue/test.cli.${what}.${randomUUID().slice(0, 8)}`;
const created: string[] = [];

/** A fresh temporary directory, removed by `removeTempDirs()`. */
export function tempDir(what: string): string {
  const dir = mkdtempSync(join(tmpdir(), `porthole-${what}-`));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs an executable from `/` with `env` added to a minimal environment. */
export function run(path: string, args: readonly string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, {
      cwd: '/',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PORTHOLE_SOURCE: 'int-test', ...env } as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** A receiving connection to the real broker. */
export async function receiver(): Promise<StompSession> {
  return connectFirst(parseBrokerUrl(stompUrl()), { connectTimeoutMs: 5_000 });
}

/**
 * Takes up to `count` messages from a queue (acking each), waiting at most `timeoutMs`, then
 * `quietMs` more to catch any extra message that should not be there.
 */
export function take(session: StompSession, destination: string, count: number, timeoutMs = 20_000, quietMs = 300): Promise<IMessage[]> {
  const got: IMessage[] = [];
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout>;
    const done = () => {
      clearTimeout(timer);
      sub.unsubscribe();
      resolve(got);
    };
    const sub = session.client.subscribe(
      destination,
      (m) => {
        got.push(m);
        m.ack();
        if (got.length === count) {
          clearTimeout(timer);
          timer = setTimeout(done, quietMs);
        }
      },
      { ack: 'client-individual' },
    );
    timer = setTimeout(done, count === 0 ? quietMs : timeoutMs);
  });
}

/**
 * A TCP server for fault injection: `silent` accepts and never answers (a hung broker);
 * `no-receipt` answers CONNECT but never confirms anything (a broker that stalls on its store).
 */
export async function faultyBroker(mode: 'silent' | 'no-receipt'): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (mode === 'no-receipt') {
      let greeted = false;
      socket.on('data', (data) => {
        if (!greeted && data.toString().startsWith('CONNECT')) {
          greeted = true;
          socket.write('CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0');
        }
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** One line of Nagios' service_perfdata_file in our template. */
export function perfdataLine(i: number, timeT = 1_795_000_000): string {
  const state = ['OK', 'WARNING', 'CRITICAL'][i % 3]!;
  return [String(timeT + i), `vm-${i % 50}`, `10.1.${i % 50}.1`, 'Disk /', state, 'HARD', String(60 * i), '1', '3', `DISK ${state} - free space: / ${i} MB`, `'/'=${i}MB;6553;7372;0;8192`].join('\t');
}
