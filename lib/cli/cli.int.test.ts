// The Nagios-side commands as shipped (built executables, run from `/`), against the real ActiveMQ
// (STOMP_URL, started by the integration globalSetup). Every test uses its own queue and spool.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StompSession } from '../stomp/connect';
import { parseEventBody } from '../monitoring/event';
import type { CliCommand } from '../../scripts/build-cli';
import { buildCommands, faultyBroker, perfdataLine, receiver, removeTempDirs, run, stompUrl, take, tempDir, uniqueQueue } from './int-test-helpers';

const SEED_FIELDS = ['time_t', 'state', 'state_type', 'state_time', 'attempt', 'hostname', 'max_attempts', 'service'];
const OUR_FIELDS = ['kind', 'output', 'perfdata', 'event_id', 'source'];
const DEAD = '127.0.0.1:1'; // nothing listens there: "the broker is stopped"

let bin: Record<CliCommand, string>;
let rx: StompSession;
let broker: string;

beforeAll(async () => {
  broker = stompUrl();
  bin = await buildCommands();
  rx = await receiver();
});
afterAll(async () => {
  await rx?.close();
  removeTempDirs();
});

const spoolFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.json')) : []);
const seedArgs = (b: string, q: string, host = 'service-host.example.com') => [b, q, host, 'SERVICE NAME', 'WARNING', 'HARD', '86492', '6', '6'];

describe('notify-service-by-stomp', () => {
  it("publishes the seed's arguments as the seed's JSON plus our extensions, persistent, confirmed", async () => {
    const q = uniqueQueue('seed');
    const spool = tempDir('spool');
    const before = Math.floor(Date.now() / 1000);
    const r = await run(bin['notify-service-by-stomp'], seedArgs(broker, q), { PORTHOLE_SPOOL_DIR: spool });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });

    const [m, extra] = await take(rx, q, 1);
    expect(extra).toBeUndefined();
    expect(m!.headers['content-type']).toBe('application/json');
    expect(m!.headers.persistent).toBe('true');
    const wire = JSON.parse(m!.body);
    expect(Object.keys(wire)).toEqual([...SEED_FIELDS, ...OUR_FIELDS]);
    expect(wire).toEqual({
      time_t: expect.any(Number),
      state: 'WARNING',
      state_type: 'HARD',
      state_time: 86492,
      attempt: 6,
      hostname: 'service-host.example.com',
      max_attempts: 6,
      service: 'SERVICE NAME',
      kind: 'service',
      output: '',
      perfdata: '',
      event_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      source: 'int-test',
    });
    expect(wire.time_t).toBeGreaterThanOrEqual(before);
    expect(wire.time_t).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(parseEventBody(m!.body).ok).toBe(true);
    expect(spoolFiles(spool)).toEqual([]);
  });

  it('adds output and perfdata, and gives every event its own id', async () => {
    const q = uniqueQueue('output');
    const args = [...seedArgs(broker, q), 'DISK WARNING - free space: / 812 MB (9%):', "'/'=7402MB;6553;7372;0;8192"];
    const runs = await Promise.all([1, 2, 3].map(() => run(bin['notify-service-by-stomp'], args, { PORTHOLE_SPOOL_DIR: tempDir('spool') })));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    const got = (await take(rx, q, 3)).map((m) => JSON.parse(m.body));
    expect(got).toHaveLength(3);
    expect(new Set(got.map((w) => w.event_id)).size).toBe(3);
    expect(got[0]).toMatchObject({ output: 'DISK WARNING - free space: / 812 MB (9%):', perfdata: "'/'=7402MB;6553;7372;0;8192" });
  });

  it('tries the brokers of a failover list in order', async () => {
    const q = uniqueQueue('failover');
    const list = `failover:(stomp://${DEAD},${broker.includes('://') ? broker : `stomp://${broker}`})?randomize=false`;
    const r = await run(bin['notify-service-by-stomp'], seedArgs(list, q), { PORTHOLE_SPOOL_DIR: tempDir('spool') });
    expect(r.code).toBe(0);
    expect(await take(rx, q, 1)).toHaveLength(1);
  });

  it.each([
    ['too few arguments', (b: string, q: string) => seedArgs(b, q).slice(0, 8), /expected at least 9 arguments/],
    ['a bad state', (b: string, q: string) => seedArgs(b, q).map((a) => (a === 'WARNING' ? 'WARN' : a)), /SERVICESTATE must be one of/],
    ['a bad destination', (b: string) => seedArgs(b, 'nagios.events'), /DESTINATION must start with/],
    ['a bad broker', (_b: string, q: string) => seedArgs('tcp://127.0.0.1:61616', q), /OpenWire/],
    ['a negative duration', (b: string, q: string) => seedArgs(b, q).map((a) => (a === '86492' ? '-5' : a)), /SERVICEDURATIONSEC/],
  ])('rejects %s: usage on stderr, exit 2, nothing sent or spooled', async (_what, argv, reason) => {
    const q = uniqueQueue('usage');
    const spool = join(tempDir('spool'), 'never-created');
    const r = await run(bin['notify-service-by-stomp'], argv(broker, q), { PORTHOLE_SPOOL_DIR: spool });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(reason);
    expect(r.stderr).toContain('usage: notify-service-by-stomp BROKER DESTINATION');
    expect(existsSync(spool)).toBe(false);
    expect(await take(rx, q, 0)).toEqual([]);
  });

  it('rejects a bad environment the same way', async () => {
    const q = uniqueQueue('env');
    const envs: Array<Record<string, string>> = [{ PORTHOLE_SPOOL_DIR: 'relative/spool' }, { PORTHOLE_SPOOL_DIR: tempDir('spool'), PORTHOLE_CONNECT_TIMEOUT_MS: 'soon' }];
    for (const env of envs) {
      const r = await run(bin['notify-service-by-stomp'], seedArgs(broker, q), env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/PORTHOLE_/);
    }
    expect(await take(rx, q, 0)).toEqual([]);
  });
});

describe('notify-host-by-stomp', () => {
  it('publishes host events with service null and kind host', async () => {
    const q = uniqueQueue('host');
    const r = await run(bin['notify-host-by-stomp'], [broker, q, '10.0.0.7', 'DOWN', 'SOFT', '0', '1', '3', 'PING CRITICAL - Packet loss = 100%', 'pl=100%;80;100;0'], {
      PORTHOLE_SPOOL_DIR: tempDir('spool'),
    });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const [m] = await take(rx, q, 1);
    const wire = JSON.parse(m!.body);
    expect(Object.keys(wire)).toEqual([...SEED_FIELDS, ...OUR_FIELDS]);
    expect(wire).toMatchObject({ hostname: '10.0.0.7', service: null, kind: 'host', state: 'DOWN', state_type: 'SOFT', state_time: 0, attempt: 1, max_attempts: 3, output: 'PING CRITICAL - Packet loss = 100%', perfdata: 'pl=100%;80;100;0' });
    expect(parseEventBody(m!.body)).toMatchObject({ ok: true, value: { kind: 'host', state: 'DOWN' } });
  });

  it('rejects a service state', async () => {
    const q = uniqueQueue('host-usage');
    const r = await run(bin['notify-host-by-stomp'], [broker, q, '10.0.0.7', 'CRITICAL', 'HARD', '0', '1', '3'], { PORTHOLE_SPOOL_DIR: tempDir('spool') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/HOSTSTATE must be one of UP, DOWN, UNREACHABLE/);
  });
});

describe('spool: the broker is stopped', () => {
  it('exits 0 and spools; the next run sends the spool first, then its own event, in order', async () => {
    const q = uniqueQueue('spool-order');
    const spool = tempDir('spool');
    for (const host of ['h1', 'h2', 'h3']) {
      const r = await run(bin['notify-service-by-stomp'], seedArgs(DEAD, q, host), { PORTHOLE_SPOOL_DIR: spool });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/no broker answered: 127\.0\.0\.1:1 \(ECONNREFUSED\); event [0-9a-f-]{36} spooled to /);
      expect(r.ms).toBeLessThan(2_000);
    }
    expect(spoolFiles(spool)).toHaveLength(3);
    expect(await take(rx, q, 0)).toEqual([]);

    const r = await run(bin['notify-service-by-stomp'], seedArgs(broker, q, 'h4'), { PORTHOLE_SPOOL_DIR: spool });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/sent 3 spooled file\(s\)/);
    const got = await take(rx, q, 4);
    expect(got.map((m) => JSON.parse(m.body).hostname)).toEqual(['h1', 'h2', 'h3', 'h4']);
    expect(spoolFiles(spool)).toEqual([]);
  });

  it('porthole-spool-flush sends every spooled event, in order, once the broker is back', async () => {
    const q1 = uniqueQueue('flush-a');
    const q2 = uniqueQueue('flush-b');
    const spool = tempDir('spool');
    const hosts = Array.from({ length: 12 }, (_, i) => `host-${String(i).padStart(2, '0')}`);
    for (const [i, host] of hosts.entries()) {
      const cmd = i % 3 === 2 ? 'notify-host-by-stomp' : 'notify-service-by-stomp';
      const args = cmd === 'notify-host-by-stomp' ? [DEAD, i % 2 ? q2 : q1, host, 'UP', 'HARD', '0', '1', '1'] : seedArgs(DEAD, i % 2 ? q2 : q1, host);
      expect((await run(bin[cmd], args, { PORTHOLE_SPOOL_DIR: spool })).code).toBe(0);
    }
    expect(spoolFiles(spool)).toHaveLength(12);

    const down = await run(bin['porthole-spool-flush'], [DEAD], { PORTHOLE_SPOOL_DIR: spool });
    expect(down.code).toBe(0);
    expect(down.stderr).toMatch(/no broker answered.*12 left/);

    const r = await run(bin['porthole-spool-flush'], [], { PORTHOLE_SPOOL_DIR: spool, PORTHOLE_BROKER: broker });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/sent 12 spooled file\(s\) \(12 message\(s\)\); 0 left/);
    const a = await take(rx, q1, 6);
    const b = await take(rx, q2, 6);
    expect(a.map((m) => JSON.parse(m.body).hostname)).toEqual(hosts.filter((_, i) => i % 2 === 0));
    expect(b.map((m) => JSON.parse(m.body).hostname)).toEqual(hosts.filter((_, i) => i % 2 === 1));
    expect(a.map((m) => JSON.parse(m.body).kind)).toEqual(['service', 'host', 'service', 'service', 'host', 'service']);
    expect(spoolFiles(spool)).toEqual([]);
  });

  it('two flushes at the same time send each spooled event exactly once, in order', async () => {
    const q = uniqueQueue('flush-race');
    const spool = tempDir('spool');
    for (let i = 0; i < 40; i++) {
      expect((await run(bin['notify-service-by-stomp'], seedArgs(DEAD, q, `h${i}`), { PORTHOLE_SPOOL_DIR: spool })).code).toBe(0);
    }
    const runs = await Promise.all([1, 2].map(() => run(bin['porthole-spool-flush'], [broker], { PORTHOLE_SPOOL_DIR: spool })));
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const got = await take(rx, q, 40, 20_000, 1_000);
    expect(got.map((m) => JSON.parse(m.body).hostname)).toEqual(Array.from({ length: 40 }, (_, i) => `h${i}`));
    expect(spoolFiles(spool)).toEqual([]);
  });

  it('moves a corrupt spool file aside without blocking the others', async () => {
    const q = uniqueQueue('bad-spool');
    const spool = tempDir('spool');
    for (const host of ['a', 'b', 'c']) await run(bin['notify-service-by-stomp'], seedArgs(DEAD, q, host), { PORTHOLE_SPOOL_DIR: spool });
    const [, middle] = spoolFiles(spool).sort();
    writeFileSync(join(spool, middle!), '{"v":1,"destination":"/queue/x","bodies":[');
    const r = await run(bin['porthole-spool-flush'], [broker], { PORTHOLE_SPOOL_DIR: spool });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`spool file ${middle} is unreadable (not valid JSON); moved to ${join(spool, 'bad', middle!)}`);
    expect((await take(rx, q, 2)).map((m) => JSON.parse(m.body).hostname)).toEqual(['a', 'c']);
    expect(readdirSync(join(spool, 'bad'))).toEqual([middle]);
  });

  it('gives up on a broker that accepts TCP but never answers after the connect timeout', async () => {
    const hung = await faultyBroker('silent');
    try {
      const spool = tempDir('spool');
      const r = await run(bin['notify-service-by-stomp'], seedArgs(hung.url, uniqueQueue('hung')), { PORTHOLE_SPOOL_DIR: spool, PORTHOLE_CONNECT_TIMEOUT_MS: '300' });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/no answer within 300 ms/);
      expect(r.ms).toBeLessThan(1_500);
      expect(spoolFiles(spool)).toHaveLength(1);
    } finally {
      await hung.close();
    }
  });

  it('spools an event whose receipt never comes (the broker did not confirm it)', async () => {
    const stalled = await faultyBroker('no-receipt');
    try {
      const q = uniqueQueue('no-receipt');
      const spool = tempDir('spool');
      const r = await run(bin['notify-service-by-stomp'], seedArgs(stalled.url, q, 'unconfirmed'), { PORTHOLE_SPOOL_DIR: spool, PORTHOLE_RECEIPT_TIMEOUT_MS: '300' });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/no receipt from the broker within 300 ms/);
      expect(spoolFiles(spool)).toHaveLength(1);
      expect((await run(bin['porthole-spool-flush'], [broker], { PORTHOLE_SPOOL_DIR: spool })).code).toBe(0);
      expect((await take(rx, q, 1)).map((m) => JSON.parse(m.body).hostname)).toEqual(['unconfirmed']);
    } finally {
      await stalled.close();
    }
  });

  it('exits 1 and prints the event when it can neither send nor spool', async () => {
    const r = await run(bin['notify-service-by-stomp'], seedArgs(DEAD, uniqueQueue('lost')), { PORTHOLE_SPOOL_DIR: '/proc/porthole-cannot-exist/spool' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/event NOT sent and NOT spooled .*"hostname":"service-host.example.com"/);
  });
});

describe('porthole-perfdata', () => {
  const LINES = 10_000;
  const fileText = (n: number, extra: string[] = []) => [...Array.from({ length: n }, (_, i) => perfdataLine(i)), ...extra].join('\n') + '\n';

  it('sends a file of 10,000 lines over one connection and removes it once the broker confirmed them', async () => {
    const q = uniqueQueue('perfdata');
    const dir = tempDir('perfdata');
    const file = join(dir, 'service-perfdata');
    writeFileSync(file, fileText(LINES, ['garbage line', '1795000000\tonly\tthree']));
    const r = await run(bin['porthole-perfdata'], [broker, q, file], { PORTHOLE_SPOOL_DIR: tempDir('spool') });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/sent 10000 check result\(s\) from 10002 line\(s\), 2 malformed line\(s\) skipped/);
    expect(r.stderr).toMatch(/skipped malformed service-perfdata\.porthole-claim-\d+-\d+-[0-9a-f]+ line 10001: expected 11 tab-separated fields, got 1/);
    expect(r.ms).toBeLessThan(10_000);
    expect(readdirSync(dir)).toEqual([]);

    const got = await take(rx, q, LINES, 30_000);
    expect(got).toHaveLength(LINES);
    const wires = got.map((m) => JSON.parse(m.body));
    expect(wires.map((w) => w.time_t)).toEqual(Array.from({ length: LINES }, (_, i) => 1_795_000_000 + i)); // in file order
    expect(new Set(wires.map((w) => w.event_id)).size).toBe(LINES);
    expect(wires[1]).toMatchObject({ check: true, kind: 'service', hostname: '10.1.1.1', host_name: 'vm-1', address: '10.1.1.1', service: 'Disk /', state: 'WARNING', perfdata: "'/'=1MB;6553;7372;0;8192" });
    expect(parseEventBody(got[0]!.body).ok).toBe(true);
  });

  it('with no broker, moves the lines into the spool (file removed, nothing lost); the flush sends them', async () => {
    const q = uniqueQueue('perfdata-spool');
    const dir = tempDir('perfdata');
    const file = join(dir, 'service-perfdata');
    const spool = tempDir('spool');
    writeFileSync(file, fileText(2_500));
    const r = await run(bin['porthole-perfdata'], [DEAD, q, file], { PORTHOLE_SPOOL_DIR: spool });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/no broker answered.*spooled 2500 check result\(s\)/);
    expect(readdirSync(dir)).toEqual([]);
    const [spooled] = spoolFiles(spool);
    expect(JSON.parse(readFileSync(join(spool, spooled!), 'utf8')).bodies).toHaveLength(2_500);

    const flush = await run(bin['porthole-spool-flush'], [broker], { PORTHOLE_SPOOL_DIR: spool });
    expect(flush.stderr).toMatch(/sent 1 spooled file\(s\) \(2500 message\(s\)\); 0 left/);
    expect(await take(rx, q, 2_500)).toHaveLength(2_500);
  });

  it('does not delete the file before the broker confirmed: an unconfirmed send ends up in the spool', async () => {
    const stalled = await faultyBroker('no-receipt');
    try {
      const q = uniqueQueue('perfdata-stalled');
      const dir = tempDir('perfdata');
      const file = join(dir, 'service-perfdata');
      const spool = tempDir('spool');
      writeFileSync(file, fileText(100));
      const r = await run(bin['porthole-perfdata'], [stalled.url, q, file], { PORTHOLE_SPOOL_DIR: spool, PORTHOLE_RECEIPT_TIMEOUT_MS: '300' });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/no receipt from the broker within 300 ms; spooled 100 check result/);
      expect(readdirSync(dir)).toEqual([]);
      await run(bin['porthole-spool-flush'], [broker], { PORTHOLE_SPOOL_DIR: spool });
      expect(await take(rx, q, 100)).toHaveLength(100);
    } finally {
      await stalled.close();
    }
  });

  it('takes over a file claimed by a run that died, before the new file', async () => {
    const q = uniqueQueue('perfdata-leftover');
    const dir = tempDir('perfdata');
    const file = join(dir, 'service-perfdata');
    writeFileSync(join(dir, 'service-perfdata.porthole-claim-999999-000000000000001-deadbeef'), `${perfdataLine(1)}\n`);
    writeFileSync(file, `${perfdataLine(2)}\n`);
    const r = await run(bin['porthole-perfdata'], [broker, q, file], { PORTHOLE_SPOOL_DIR: tempDir('spool') });
    expect(r.code).toBe(0);
    expect((await take(rx, q, 2)).map((m) => JSON.parse(m.body).time_t)).toEqual([1_795_000_001, 1_795_000_002]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('does nothing, quietly, when there is no file and no spool', async () => {
    const r = await run(bin['porthole-perfdata'], [DEAD, uniqueQueue('none'), join(tempDir('perfdata'), 'missing')], { PORTHOLE_SPOOL_DIR: tempDir('spool') });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('insists on an absolute file path', async () => {
    const r = await run(bin['porthole-perfdata'], [broker, uniqueQueue('rel'), 'service-perfdata'], { PORTHOLE_SPOOL_DIR: tempDir('spool') });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/FILE must be an absolute file path/);
  });
});

describe('stompcat', () => {
  it('prints each body like the seed (">>> " + body), or the body alone with --raw', async () => {
    const q = uniqueQueue('stompcat');
    for (const host of ['one', 'two', 'three']) {
      expect((await run(bin['notify-service-by-stomp'], seedArgs(broker, q, host), { PORTHOLE_SPOOL_DIR: tempDir('spool') })).code).toBe(0);
    }
    const cat = await run(bin.stompcat, ['--count', '2', broker, q]);
    expect(cat.code).toBe(0);
    const lines = cat.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.startsWith('>>> {"time_t":'))).toBe(true);
    expect(lines.map((l) => JSON.parse(l.slice(4)).hostname)).toEqual(['one', 'two']);

    const raw = await run(bin.stompcat, ['--raw', '--count=1', broker, q]);
    expect(JSON.parse(raw.stdout).hostname).toBe('three'); // the third was not swallowed by the first reader
  });

  it('rejects bad options', async () => {
    const r = await run(bin.stompcat, ['--count', '0', broker, '/queue/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: stompcat');
  });
});
