import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';

// A real Postfix (Debian's postfix package) as a project-local backup MX for tests: its own config
// directory, queue and log under .data/postfix/<name>, listening on a loopback port, foreground master
// as our child (SIGTERM stops it and every smtpd). Nothing global changes: /etc/postfix is only read
// for Debian's master.cf. smtpd runs chrooted into the queue directory and resolves MX records through
// <queue>/etc/resolv.conf, which points at a test dnsmasq on its own loopback address (resolv.conf has
// no port). See SERVICES.md, "Postfix 3.7.11 as a project-local MX backup".

const POSTFIX = '/usr/sbin/postfix';
const MASTER = '/usr/lib/postfix/sbin/master';
const DEBIAN_MASTER_CF = '/etc/postfix/master.cf';
const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface TestPostfix {
  port: number;
  dir: string;
  /** Postfix's own log (maillog_file): what smtpd decided and why. */
  log(): string;
  stop(): Promise<void>;
}

export interface TestPostfixOptions {
  /** A short name for the directory (.data/postfix/<name>). */
  name: string;
  port: number;
  /**
   * The loopback address it listens on, 127.0.0.1 unless given. Postfix knows itself as an MX by
   * address, and only 127.0.0.1 counts as its own: use another address only for an instance whose
   * permit_mx_backup does not matter (an open relay).
   */
  address?: string;
  /** The main.cf under test, e.g. what Porthole generates for one MX host. */
  mainCf: string;
  /** main.cf lines that come after it (later settings win), e.g. to break it on purpose. */
  overrides?: string[];
  /** The dnsmasq address smtpd asks (port 53). */
  nameserver: string;
  /** The env variable that moves the port, named in errors. */
  portVariable: string;
}

function answers(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('data', (chunk) => done(chunk.toString().startsWith('220')));
    socket.once('error', () => done(false));
  });
}

/** Unix sockets under the queue directory must stay below 108 bytes: a deep checkout uses /tmp instead. */
function baseDir(name: string): string {
  const local = path.join(PROJECT_ROOT, '.data', 'postfix', name);
  return `${local}/spool/private/scache`.length < 100 ? local : path.join(tmpdir(), `porthole-postfix-${name}`);
}

export async function startTestPostfix(options: TestPostfixOptions): Promise<TestPostfix> {
  if (!existsSync(POSTFIX) || !existsSync(MASTER)) {
    throw new Error(
      `Postfix is missing. npm test (scripts/stack/apt.ts) installs it; by hand: echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections; apt-get install --no-install-recommends postfix`,
    );
  }
  const address = options.address ?? '127.0.0.1';
  if (await answers(options.port, address)) {
    throw new Error(`Port ${options.port} already answers SMTP: another test Postfix? Stop it or set ${options.portVariable}.`);
  }
  const dir = baseDir(options.name);
  rmSync(dir, { recursive: true, force: true });
  const etc = path.join(dir, 'etc');
  const spool = path.join(dir, 'spool');
  const data = path.join(dir, 'data');
  for (const d of [etc, path.join(spool, 'etc'), data]) mkdirSync(d, { recursive: true });
  const log = path.join(dir, 'maillog');

  const masterCf = readFileSync(DEBIAN_MASTER_CF, 'utf8').replace(/^smtp(\s+inet\s)/m, `${address}:${options.port}$1`);
  if (!masterCf.includes(`${address}:${options.port}`)) throw new Error(`${DEBIAN_MASTER_CF} has no "smtp inet" line to move to port ${options.port}`);
  writeFileSync(path.join(etc, 'master.cf'), masterCf);
  // The sink port is never listened on: nothing is ever queued (the check stops at RCPT TO), and if
  // something were, it would wait in this queue, never leave the machine.
  const sink = `smtp:[127.0.0.1]:${options.port + 1}`;
  writeFileSync(
    path.join(etc, 'main.cf'),
    [
      options.mainCf,
      '# --- the test instance: its own directories, loopback only, nothing delivered ---',
      'compatibility_level = 3.6',
      `queue_directory = ${spool}`,
      `data_directory = ${data}`,
      `maillog_file = ${log}`,
      `maillog_file_prefixes = ${dir}`,
      // Postfix only accepts addresses of a real interface here, and lo has just 127.0.0.1: another
      // loopback address is bound by master.cf alone (permit_mx_backup then doesn't know it as its own).
      `inet_interfaces = ${address === '127.0.0.1' ? address : 'all'}`,
      'inet_protocols = ipv4',
      `relay_transport = ${sink}`,
      `default_transport = ${sink}`,
      'alias_maps =',
      'alias_database =',
      ...(options.overrides ?? []),
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(spool, 'etc', 'resolv.conf'), `nameserver ${options.nameserver}\n`);
  for (const f of ['hosts', 'nsswitch.conf', 'services', 'host.conf', 'localtime']) {
    if (existsSync(`/etc/${f}`)) copyFileSync(`/etc/${f}`, path.join(spool, 'etc', f));
  }
  // data_directory must belong to the postfix user (master.lock); `postfix check` creates the queue.
  spawnSync('chown', ['postfix', data]);
  const check = spawnSync(POSTFIX, ['-c', etc, 'check'], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`postfix check failed: ${check.stderr || check.stdout}`);

  let stderr = '';
  const child: ChildProcess = spawn(MASTER, ['-d', '-c', etc], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const readLog = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    }
  };

  const deadline = Date.now() + 15_000;
  while (!(await answers(options.port, address))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Postfix master exited (${child.exitCode ?? child.signalCode}): ${stderr.trim()}\n${readLog().slice(-2000)}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Postfix did not greet on ${address}:${options.port} within 15 s: ${stderr.trim()}\n${readLog().slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port: options.port, dir, log: readLog, stop };
}
