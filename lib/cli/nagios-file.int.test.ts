// The zero-fork path against a real Nagios 4 (Debian's nagios4-core): Nagios writes the host and
// service perfdata files in our state templates and runs the built porthole-perfdata on them; the real
// ActiveMQ carries the events, the real ingester stores them in MariaDB. Covers: state changes arrive as
// state events with no event handler, an event both paths report is stored once, a file processed twice
// changes nothing, and a broker that is down while Nagios processes the files (spooled, then delivered
// in order).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/connection';
import { monitoringEvents, perfSamples, serviceStates } from '../db/schema';
import { Ingester } from '../ingest/ingester';
import { parseBrokerUrl } from '../stomp/broker-url';
import type { StompSession } from '../stomp/connect';
import { TcpProxy } from '../testing/tcp-proxy';
import type { CliCommand } from '../../scripts/build-cli';
import { stateEventId } from './event-id';
import { HOST_STATE_FILE_TEMPLATE, SERVICE_STATE_FILE_TEMPLATE, perfdataLineToMessage } from './perfdata-file';
import { buildCommands, receiver, removeTempDirs, run, stompUrl, take, tempDir, uniqueQueue } from './int-test-helpers';

const NAGIOS = '/usr/sbin/nagios4';
const SOURCE = 'int-nagios';

let bin: Record<CliCommand, string>;
const nagiosProcesses: ChildProcess[] = [];

interface NagiosRun {
  dir: string;
  address: string;
  /** Sets what the host (0 UP, 2 DOWN: Nagios counts 1 as UP) and the service (0 OK, 2 CRITICAL) checks return from now on. */
  setHost: (code: number) => void;
  setService: (code: number) => void;
  serviceFile: string;
  hostFile: string;
  stop: () => Promise<void>;
}

const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function script(path: string, body: string): string {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/**
 * Starts Nagios in a directory of its own: one host (check every 2 s, max 2 attempts) with one
 * service (likewise), both perfdata files processed every second by porthole-perfdata sending to
 * `brokerFile`'s content (so a test can point it at a dead port), and, when `handlerQueue` is given,
 * the event handlers sending to that queue as well.
 */
async function startNagios(opts: { queue: string; broker: () => string; handlers: boolean; spool: string }): Promise<NagiosRun> {
  // Short: the query-handler socket path must stay under 108 bytes.
  const dir = tempDir('ngf');
  for (const d of ['rw', 'checkresults']) mkdirSync(join(dir, d));
  const address = `ngf-${randomUUID().slice(0, 8)}.test`;
  const brokerFile = join(dir, 'broker');
  const writeBroker = () => writeFileSync(brokerFile, opts.broker());
  writeBroker();
  writeFileSync(join(dir, 'host-code'), '0');
  writeFileSync(join(dir, 'service-code'), '0');
  const env = `PATH=/usr/bin:/bin PORTHOLE_SPOOL_DIR=${sh(opts.spool)} PORTHOLE_SOURCE=${SOURCE} PORTHOLE_CONNECT_TIMEOUT_MS=500`;
  const check = (what: string) => script(join(dir, `check-${what}.sh`), `c=$(cat ${dir}/${what}-code); echo "${what.toUpperCase()} code $c|value=$c;1;2;0"; exit $c`);
  const serviceFile = join(dir, 'service-perfdata');
  const hostFile = join(dir, 'host-perfdata');
  // Every processed file is also appended to <file>.seen, so a test can process the same lines again.
  const processor = (file: string) =>
    script(join(dir, `process-${file.endsWith('host-perfdata') ? 'host' : 'service'}.sh`), `[ -f ${file} ] && cat ${file} >> ${file}.seen\nexec env ${env} ${bin['porthole-perfdata']} "$(cat ${brokerFile})" ${opts.queue} ${file}`);
  const handler = (kind: 'service' | 'host') =>
    script(join(dir, `handler-${kind}.sh`), `echo "$@" >> ${dir}/handler.log\nexec env ${env} ${bin[`notify-${kind}-by-stomp`]} "$(cat ${brokerFile})" ${opts.queue} "$@"`);

  const me = process.getuid?.() === 0 ? 'root' : String(process.getuid?.());
  const group = process.getgid?.() === 0 ? 'root' : String(process.getgid?.());
  writeFileSync(
    join(dir, 'objects.cfg'),
    `
define command {
  command_name check-host
  command_line ${check('host')}
}
define command {
  command_name check-service
  command_line ${check('service')}
}
define command {
  command_name process-service
  command_line ${processor(serviceFile)}
}
define command {
  command_name process-host
  command_line ${processor(hostFile)}
}
define command {
  command_name handle-service
  command_line ${handler('service')} $HOSTADDRESS$ "$SERVICEDESC$" $SERVICESTATE$ $SERVICESTATETYPE$ $SERVICEDURATIONSEC$ $SERVICEATTEMPT$ $MAXSERVICEATTEMPTS$ "$SERVICEOUTPUT$" "$SERVICEPERFDATA$" $LASTSERVICESTATECHANGE$
}
define command {
  command_name handle-host
  command_line ${handler('host')} $HOSTADDRESS$ $HOSTSTATE$ $HOSTSTATETYPE$ $HOSTDURATIONSEC$ $HOSTATTEMPT$ $MAXHOSTATTEMPTS$ "$HOSTOUTPUT$" "$HOSTPERFDATA$" $LASTHOSTSTATECHANGE$
}
define command {
  command_name noop
  command_line /bin/true
}
define timeperiod {
  timeperiod_name 24x7
  alias 24x7
  sunday 00:00-24:00
  monday 00:00-24:00
  tuesday 00:00-24:00
  wednesday 00:00-24:00
  thursday 00:00-24:00
  friday 00:00-24:00
  saturday 00:00-24:00
}
define contact {
  contact_name ops
  host_notifications_enabled 0
  service_notifications_enabled 0
  host_notification_period 24x7
  service_notification_period 24x7
  host_notification_options n
  service_notification_options n
  host_notification_commands noop
  service_notification_commands noop
}
define host {
  host_name vm-file
  address ${address}
  check_command check-host
  max_check_attempts 2
  check_interval 2
  retry_interval 1
  check_period 24x7
  notification_period 24x7
  contacts ops
}
define service {
  host_name vm-file
  service_description portal-file
  check_command check-service
  max_check_attempts 2
  check_interval 2
  retry_interval 1
  check_period 24x7
  notification_period 24x7
  contacts ops
}
`,
  );
  writeFileSync(
    join(dir, 'nagios.cfg'),
    [
      `cfg_file=${dir}/objects.cfg`,
      `log_file=${dir}/nagios.log`,
      `object_cache_file=${dir}/objects.cache`,
      `precached_object_file=${dir}/objects.precache`,
      `status_file=${dir}/status.dat`,
      `lock_file=${dir}/nagios.lock`,
      `temp_file=${dir}/nagios.tmp`,
      `temp_path=${dir}`,
      `state_retention_file=${dir}/retention.dat`,
      `check_result_path=${dir}/checkresults`,
      `query_socket=${dir}/rw/nagios.qh`,
      `command_file=${dir}/rw/nagios.cmd`,
      `nagios_user=${me}`,
      `nagios_group=${group}`,
      'illegal_macro_output_chars=`~$&|\'"<>',
      'check_external_commands=0',
      'enable_notifications=0',
      'retain_state_information=0',
      'use_syslog=0',
      'check_for_updates=0',
      'interval_length=1',
      'service_inter_check_delay_method=n',
      'host_inter_check_delay_method=n',
      'max_service_check_spread=1',
      'max_host_check_spread=1',
      'check_result_reaper_frequency=1',
      'max_check_result_reaper_time=2',
      'cached_host_check_horizon=0',
      'cached_service_check_horizon=0',
      `enable_event_handlers=${opts.handlers ? 1 : 0}`,
      ...(opts.handlers ? ['global_service_event_handler=handle-service', 'global_host_event_handler=handle-host'] : []),
      'process_performance_data=1',
      `service_perfdata_file=${serviceFile}`,
      `service_perfdata_file_template=${SERVICE_STATE_FILE_TEMPLATE}`,
      'service_perfdata_file_mode=a',
      'service_perfdata_file_processing_interval=1',
      'service_perfdata_file_processing_command=process-service',
      `host_perfdata_file=${hostFile}`,
      `host_perfdata_file_template=${HOST_STATE_FILE_TEMPLATE}`,
      'host_perfdata_file_mode=a',
      'host_perfdata_file_processing_interval=1',
      'host_perfdata_file_processing_command=process-host',
      '',
    ].join('\n'),
  );
  const nagios = spawn(NAGIOS, [join(dir, 'nagios.cfg')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  nagiosProcesses.push(nagios);
  let output = '';
  nagios.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  nagios.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<void>((resolve) => nagios.on('exit', () => resolve()));
  await until('Nagios started', async () => output, (o) => o.includes('Successfully launched command file worker') || nagios.exitCode !== null, 20_000);
  if (nagios.exitCode !== null) throw new Error(`Nagios exited:\n${output}`);
  return {
    dir,
    address,
    serviceFile,
    hostFile,
    setHost: (code) => writeFileSync(join(dir, 'host-code'), String(code)),
    setService: (code) => writeFileSync(join(dir, 'service-code'), String(code)),
    stop: async () => {
      if (nagios.exitCode === null) nagios.kill('SIGTERM');
      await exited;
    },
  };
}

async function until<T>(what: string, fn: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${typeof value === 'string' ? value.slice(-2000) : JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 4 });
const ingesters: Ingester[] = [];

function startIngester(destination: string): Ingester {
  const ingester = new Ingester(db, {
    endpoints: parseBrokerUrl(stompUrl()),
    destination,
    batchSize: 200,
    batchMs: 10,
    prefetch: 1000,
    concurrency: 2,
    subscriptionName: `test-${randomUUID().slice(0, 8)}`,
    instance: `test-${randomUUID().slice(0, 8)}`,
    mode: 'batch',
    maxClockSkewSec: 300,
    log: () => undefined,
  });
  ingester.start();
  ingesters.push(ingester);
  return ingester;
}

const history = (hostname: string) =>
  db
    .select({ service: monitoringEvents.service, state: monitoringEvents.state, stateType: monitoringEvents.stateType, attempt: monitoringEvents.attempt, eventId: monitoringEvents.eventId })
    .from(monitoringEvents)
    .where(eq(monitoringEvents.hostname, hostname))
    .orderBy(asc(monitoringEvents.occurredAt), asc(monitoringEvents.id));
const sampleCount = async (hostname: string) =>
  Number((await db.select({ n: sql<number>`COUNT(*)` }).from(perfSamples).where(eq(perfSamples.hostname, hostname)))[0]!.n);
const currentState = async (hostname: string, service: string) =>
  (await db.select({ state: serviceStates.state, stateType: serviceStates.stateType }).from(serviceStates).where(and(eq(serviceStates.hostname, hostname), eq(serviceStates.service, service))))[0] ?? null;
/** History rows as "service STATE TYPE", the host's service being ''. */
const steps = (rows: Awaited<ReturnType<typeof history>>) => rows.map((r) => `${r.service || 'host'} ${r.state} ${r.stateType}`);

beforeAll(async () => {
  bin = await buildCommands();
}, 120_000);
afterAll(async () => {
  for (const n of nagiosProcesses) if (n.exitCode === null) n.kill('SIGTERM');
  await Promise.all(ingesters.map((i) => i.stop()));
  await pool.end();
  removeTempDirs();
});

describe.skipIf(!existsSync(NAGIOS))('the zero-fork path with a real Nagios 4', () => {
  it('stores the state changes once when both the file and the event handlers report them, and a file processed twice adds nothing', async () => {
    const queue = uniqueQueue('nagios-both');
    const ingester = startIngester(queue);
    const spool = tempDir('spool');
    const nagios = await startNagios({ queue, broker: () => stompUrl(), handlers: true, spool });
    try {
      // The first checks (no state change: check results) are stored before anything flips.
      await until('first checks stored', () => currentState(nagios.address, 'portal-file'), (s) => s?.state === 'OK', 30_000);
      await until('first host check stored', () => currentState(nagios.address, ''), (s) => s?.state === 'UP', 30_000);
      const before = steps(await history(nagios.address));
      const duplicatesBefore = ingester.stats.duplicates;

      nagios.setService(2);
      await until('service HARD CRITICAL stored', async () => steps(await history(nagios.address)), (s) => s.includes('portal-file CRITICAL HARD'));
      nagios.setService(0);
      await until('service recovery stored', async () => steps(await history(nagios.address)), (s) => s.includes('portal-file OK HARD') && s.indexOf('portal-file OK HARD', before.length) >= 0 && s.lastIndexOf('portal-file OK HARD') > s.indexOf('portal-file CRITICAL HARD'));
      nagios.setHost(2);
      await until('host HARD DOWN stored', async () => steps(await history(nagios.address)), (s) => s.includes('host DOWN HARD'));
      nagios.setHost(0);
      await until('host recovery stored', async () => steps(await history(nagios.address)), (s) => s.filter((x) => x === 'host UP HARD').length > before.filter((x) => x === 'host UP HARD').length);
      // Let both paths finish: the last file of the recovery is processed within a few seconds.
      await new Promise((r) => setTimeout(r, 4_000));
      await nagios.stop();
      await until('queue drained', async () => ingester.stats.lastMessageAt?.getTime() ?? 0, (t) => Date.now() - t > 1500, 20_000);

      const rows = await history(nagios.address);
      const flipped = steps(rows).slice(before.length);
      expect(flipped).toEqual(['portal-file CRITICAL SOFT', 'portal-file CRITICAL HARD', 'portal-file OK HARD', 'host DOWN SOFT', 'host DOWN HARD', 'host UP HARD']);
      // Each of them came twice, from the event handler and from the file, with one id, and was stored once.
      const flippedIds = rows.slice(before.length).map((r) => r.eventId);
      const handlerIds = readFileSync(join(nagios.dir, 'handler.log'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const a = line.split(' ');
          const service = a[1] === 'portal-file';
          const [state, stateType, , attempt] = a.slice(service ? 2 : 1);
          return stateEventId(SOURCE, { kind: service ? 'service' : 'host', hostname: a[0]!, service: service ? 'portal-file' : null, state: state!, stateType: stateType!, attempt: Number(attempt), lastStateChange: Number(a.at(-1)) });
        });
      expect(handlerIds).toEqual(flippedIds);
      const fileIds = new Set(
        [nagios.serviceFile, nagios.hostFile]
          .flatMap((f) => readFileSync(`${f}.seen`, 'utf8').split('\n').filter(Boolean))
          .flatMap((line) => {
            const m = perfdataLineToMessage(line, SOURCE);
            return m.ok && m.value.stateEvent ? [JSON.parse(m.value.body).event_id as string] : [];
          }),
      );
      for (const id of flippedIds) expect(fileIds.has(id!)).toBe(true);
      expect(ingester.stats.duplicates - duplicatesBefore).toBeGreaterThanOrEqual(flipped.length);
      expect(new Set(rows.map((r) => r.eventId)).size).toBe(rows.length);
      expect(readdirSync(spool).filter((n) => n.endsWith('.json'))).toEqual([]);

      // The same lines processed again, as after a crash before the file was removed: nothing new.
      const samples = await sampleCount(nagios.address);
      const stored = ingester.stats.stored;
      const replay = join(nagios.dir, 'replay');
      writeFileSync(replay, readFileSync(`${nagios.serviceFile}.seen`, 'utf8') + readFileSync(`${nagios.hostFile}.seen`, 'utf8'));
      const lines = readFileSync(replay, 'utf8').split('\n').filter(Boolean).length;
      const r = await run(bin['porthole-perfdata'], [stompUrl(), queue, replay], { PORTHOLE_SPOOL_DIR: spool, PORTHOLE_SOURCE: SOURCE });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`sent \\d+ state event\\(s\\) and \\d+ check result\\(s\\) from ${lines} line\\(s\\)`));
      await until('replay consumed', async () => ingester.stats.acked, (n) => n >= lines + stored, 20_000).catch(() => undefined);
      await new Promise((res) => setTimeout(res, 1_000));
      expect(steps(await history(nagios.address))).toEqual(steps(rows));
      expect(await sampleCount(nagios.address)).toBe(samples);
      expect(ingester.stats.stored).toBe(stored);
      expect(existsSync(replay)).toBe(false);
    } finally {
      await nagios.stop();
    }
  }, 120_000);

  it('sends state changes with no event handler; with the broker down they are spooled, then delivered in order', async () => {
    const queue = uniqueQueue('nagios-down');
    const spool = tempDir('spool');
    const proxy = await new TcpProxy(parseBrokerUrl(stompUrl())[0]!.port).start();
    const rx: StompSession = await receiver();
    const nagios = await startNagios({ queue, broker: () => `127.0.0.1:${proxy.port}`, handlers: false, spool });
    try {
      // Up: the first checks arrive.
      const first = await take(rx, queue, 2, 20_000, 0);
      expect(first.length).toBe(2);
      await proxy.cut();
      // Down while the service fails and recovers: each processing run spools its lines.
      nagios.setService(2);
      await until('spooled while the broker is down', async () => readFileSync(join(nagios.dir, 'nagios.log'), 'utf8'), (log) => /SERVICE ALERT: vm-file;portal-file;CRITICAL;HARD/.test(log));
      nagios.setService(0);
      await until('recovered in Nagios', async () => readFileSync(join(nagios.dir, 'nagios.log'), 'utf8'), (log) => /SERVICE ALERT: vm-file;portal-file;OK;HARD/.test(log));
      await new Promise((r) => setTimeout(r, 2_500));
      expect(readdirSync(spool).filter((n) => n.endsWith('.json')).length).toBeGreaterThan(0);
      await proxy.start();
      await new Promise((r) => setTimeout(r, 4_000));
      await nagios.stop();
      // Whatever Nagios still wrote after its last run.
      let leftover = 0;
      for (const file of [nagios.serviceFile, nagios.hostFile]) {
        if (existsSync(file)) leftover += readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
        await run(bin['porthole-perfdata'], [`127.0.0.1:${proxy.port}`, queue, file], { PORTHOLE_SPOOL_DIR: spool, PORTHOLE_SOURCE: SOURCE });
      }
      expect(readdirSync(spool).filter((n) => n.endsWith('.json'))).toEqual([]);
      const lines = [nagios.serviceFile, nagios.hostFile].map((f) => readFileSync(`${f}.seen`, 'utf8').split('\n').filter(Boolean).length).reduce((a, b) => a + b) + leftover;
      const rest = await take(rx, queue, lines - first.length, 20_000, 500);
      const received = [...first, ...rest].map((m) => JSON.parse(m.body) as { event_id: string; kind: string; state: string; state_type: string; time_t: number; check?: boolean });
      // Every line (the spool was sent before the newer lines) and in order per file. Sending is at least
      // once: a message whose receipt the cut swallowed is spooled and sent again, with the same event id,
      // which the ingester stores once; so count distinct ids, and allow that one repeat.
      const all = [...new Map(received.map((w) => [w.event_id, w])).values()];
      expect(all.length).toBe(lines);
      expect(received.length - all.length).toBeLessThanOrEqual(1);
      for (const kind of ['service', 'host']) {
        const times = all.filter((w) => w.kind === kind).map((w) => w.time_t);
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }
      const stateEvents = all.filter((w) => w.kind === 'service' && !w.check).map((w) => `${w.state} ${w.state_type}`);
      expect(stateEvents).toEqual(['CRITICAL SOFT', 'CRITICAL HARD', 'OK HARD']);
    } finally {
      await nagios.stop();
      await proxy.cut();
      await rx.close();
    }
  }, 120_000);
});

if (!existsSync(NAGIOS)) it.skip('the zero-fork path: needs /usr/sbin/nagios4 (apt-get install --no-install-recommends nagios4-core)', () => {});
