import { type ChildProcess, spawn } from 'node:child_process';
import { promises as dns } from 'node:dns';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DNSMASQ = '/usr/sbin/dnsmasq';

export interface TestDns {
  /** `address:port`, for Resolver.setServers and DNS_SERVERS. */
  server: string;
  stop(): Promise<void>;
}

/**
 * A real dnsmasq serving made-up `.test` zones on loopback (nothing else is contacted), ready when
 * it answers an MX query for `probeName`. `portVariable` names the env variable that moves it.
 */
export async function startTestDns(options: {
  port: number;
  portVariable: string;
  records: string[];
  probeName: string;
  /** A loopback address of its own (e.g. 127.53.0.1 on port 53, for a resolv.conf, which has no port). */
  address?: string;
}): Promise<TestDns> {
  if (!existsSync(DNSMASQ)) {
    throw new Error(`${DNSMASQ} is missing. Install it with "apt-get install --no-install-recommends dnsmasq-base" (npm run stack does this).`);
  }
  const address = options.address ?? '127.0.0.1';
  const server = `${address}:${options.port}`;
  const dir = await mkdtemp(join(tmpdir(), 'porthole-dns-'));
  const conf = join(dir, 'dnsmasq.conf');
  await writeFile(
    conf,
    [
      `port=${options.port}`,
      `listen-address=${address}`,
      'bind-interfaces',
      'no-resolv',
      'no-hosts',
      'no-poll',
      `pid-file=${join(dir, 'dnsmasq.pid')}`,
      `log-facility=${join(dir, 'dnsmasq.log')}`,
      // Anything else under .test is NXDOMAIN, never forwarded.
      'local=/test/',
      ...options.records,
      '',
    ].join('\n'),
  );
  let stderr = '';
  const child: ChildProcess = spawn(DNSMASQ, [`--conf-file=${conf}`, '--keep-in-foreground', '--user=root'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    }
    await rm(dir, { recursive: true, force: true });
  };

  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) =>
      reject(
        new Error(
          `dnsmasq exited (code ${code}, signal ${signal}) before answering on ${server}: ${stderr.trim()}\n` +
            `If the port is taken, set ${options.portVariable} to a free one.`,
        ),
      ),
    );
    child.once('error', reject);
  });
  const answering = (async () => {
    const resolver = new dns.Resolver({ timeout: 200, tries: 1 });
    resolver.setServers([server]);
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await resolver.resolveMx(options.probeName);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`dnsmasq did not answer on ${server} within 10 s: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  })();
  try {
    await Promise.race([answering, exited]);
  } catch (error) {
    await stop();
    throw error;
  }
  exited.catch(() => undefined); // exits later, at stop(), are expected
  return { server, stop };
}
