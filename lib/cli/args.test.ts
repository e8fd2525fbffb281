import { describe, expect, it } from 'vitest';
import { parseCliEnv, parseCount, parseDestination, parseNotifyArgs } from './args';

// The seed's example invocation (DESIGN.md, seed post): BROKER DESTINATION host "SERVICE NAME" WARNING HARD 86492 6 6
const SEED_ARGS = ['mq.example.com', '/topic/foo.bar.baz.quux', 'service-host.example.com', 'SERVICE NAME', 'WARNING', 'HARD', '86492', '6', '6'];
const HOST_ARGS = ['mq.example.com', '/queue/nagios.events', '10.0.0.7', 'DOWN', 'SOFT', '0', '1', '3'];

describe('parseNotifyArgs (service)', () => {
  it("accepts the seed's arguments", () => {
    const r = parseNotifyArgs('service', SEED_ARGS);
    expect(r).toEqual({
      ok: true,
      value: {
        kind: 'service',
        endpoints: [{ host: 'mq.example.com', port: 61613 }],
        destination: '/topic/foo.bar.baz.quux',
        hostname: 'service-host.example.com',
        service: 'SERVICE NAME',
        state: 'WARNING',
        stateType: 'HARD',
        stateDurationSec: 86492,
        attempt: 6,
        maxAttempts: 6,
        output: '',
        perfdata: '',
        lastStateChange: null,
      },
    });
  });

  it('takes optional output and perfdata, kept verbatim', () => {
    const r = parseNotifyArgs('service', [...SEED_ARGS, 'DISK WARNING - free space: / 812 MB (9%):', "'/'=7402MB;6553;7372;0;8192"]);
    expect(r.ok && r.value.output).toBe('DISK WARNING - free space: / 812 MB (9%):');
    expect(r.ok && r.value.perfdata).toBe("'/'=7402MB;6553;7372;0;8192");
    expect(parseNotifyArgs('service', [...SEED_ARGS, '']).ok).toBe(true);
  });

  it('takes $LASTSERVICESTATECHANGE$ after the perfdata', () => {
    const r = parseNotifyArgs('service', [...SEED_ARGS, 'out', 'perf', '1795543186']);
    expect(r.ok && r.value.lastStateChange).toBe(1795543186);
    const without = parseNotifyArgs('service', [...SEED_ARGS, 'out', 'perf']);
    expect(without.ok && without.value.lastStateChange).toBeNull();
  });

  it('normalizes the case of states', () => {
    const args = [...SEED_ARGS];
    args[4] = 'critical';
    args[5] = 'soft';
    const r = parseNotifyArgs('service', args);
    expect(r.ok && [r.value.state, r.value.stateType]).toEqual(['CRITICAL', 'SOFT']);
  });

  it.each([
    [SEED_ARGS.slice(0, 8), /at least 9 arguments/],
    [[...SEED_ARGS, 'out', 'perf', '1795543186', 'extra'], /at most 12/],
    [[...SEED_ARGS, 'out', 'perf', 'yesterday'], /LASTSERVICESTATECHANGE must be a non-negative integer/],
    [replace(SEED_ARGS, 0, 'tcp://mq:61616'), /BROKER: .*OpenWire/],
    [replace(SEED_ARGS, 1, 'foo.bar'), /DESTINATION must start with \/queue\/ or \/topic\//],
    [replace(SEED_ARGS, 1, '/queue/'), /DESTINATION must start/],
    [replace(SEED_ARGS, 1, '/queue/a b'), /printable ASCII without spaces/],
    [replace(SEED_ARGS, 1, '/queue/a,/queue/b'), /one destination/],
    [replace(SEED_ARGS, 1, '/topic/events.>'), /one destination/],
    [replace(SEED_ARGS, 2, ''), /HOSTADDRESS is empty/],
    [replace(SEED_ARGS, 2, 'a\nb'), /HOSTADDRESS contains control characters/],
    [replace(SEED_ARGS, 2, 'h'.repeat(256)), /HOSTADDRESS is longer than 255/],
    [replace(SEED_ARGS, 3, '  '), /SERVICEDESC is empty/],
    [replace(SEED_ARGS, 4, 'UP'), /SERVICESTATE must be one of OK, WARNING, CRITICAL, UNKNOWN/],
    [replace(SEED_ARGS, 5, 'HARDER'), /SERVICESTATETYPE must be one of HARD, SOFT/],
    [replace(SEED_ARGS, 6, '-1'), /SERVICEDURATIONSEC must be a non-negative integer/],
    [replace(SEED_ARGS, 6, '1.5'), /SERVICEDURATIONSEC must be a non-negative integer/],
    [replace(SEED_ARGS, 7, ''), /SERVICEATTEMPT must be a non-negative integer/],
    [replace(SEED_ARGS, 8, '$MAXSERVICEATTEMPTS$'), /MAXSERVICEATTEMPTS must be a non-negative integer/],
    [replace(SEED_ARGS, 8, '9999999999'), /MAXSERVICEATTEMPTS is too large/],
  ])('rejects %j', (argv, reason) => {
    const r = parseNotifyArgs('service', argv);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(reason);
  });
});

describe('parseNotifyArgs (host)', () => {
  it('accepts host arguments; service is null', () => {
    const r = parseNotifyArgs('host', [...HOST_ARGS, 'PING CRITICAL - Packet loss = 100%', 'rta=0.000ms;3000;5000;0 pl=100%;80;100;0']);
    expect(r.ok && r.value).toMatchObject({ kind: 'host', hostname: '10.0.0.7', service: null, state: 'DOWN', stateType: 'SOFT', stateDurationSec: 0, attempt: 1, maxAttempts: 3, output: 'PING CRITICAL - Packet loss = 100%' });
  });

  it.each([
    [HOST_ARGS.slice(0, 7), /at least 8/],
    [[...HOST_ARGS, 'o', 'p', '1', 'x'], /at most 11/],
    [[...HOST_ARGS, 'o', 'p', 'x'], /LASTHOSTSTATECHANGE must be a non-negative integer/],
    [replace(HOST_ARGS, 3, 'WARNING'), /HOSTSTATE must be one of UP, DOWN, UNREACHABLE/],
    [replace(HOST_ARGS, 5, 'x'), /HOSTDURATIONSEC/],
    [replace(HOST_ARGS, 7, ''), /MAXHOSTATTEMPTS/],
  ])('rejects %j', (argv, reason) => {
    const r = parseNotifyArgs('host', argv);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(reason);
  });
});

describe('single values', () => {
  it('destinations', () => {
    expect(parseDestination('/queue/nagios.events')).toEqual({ ok: true, value: '/queue/nagios.events' });
    expect(parseDestination('/topic/foo.bar.baz.quux').ok).toBe(true);
    expect(parseDestination(undefined)).toEqual({ ok: false, error: 'DESTINATION is missing' });
    expect(parseDestination('/temp-queue/x').ok).toBe(false);
    expect(parseDestination(`/queue/${'x'.repeat(201)}`).ok).toBe(false);
  });

  it('counts', () => {
    expect(parseCount('N', '0')).toEqual({ ok: true, value: 0 });
    expect(parseCount('N', '2147483647')).toEqual({ ok: true, value: 2147483647 });
    expect(parseCount('N', '2147483648').ok).toBe(false);
    expect(parseCount('N', ' 1').ok).toBe(false);
    expect(parseCount('N', '1e3').ok).toBe(false);
  });
});

describe('parseCliEnv', () => {
  it('has defaults', () => {
    expect(parseCliEnv({}, 'nagios1')).toEqual({
      ok: true,
      value: { spoolDir: '/var/spool/porthole', connectTimeoutMs: 2000, receiptTimeoutMs: 10000, source: 'nagios1' },
    });
  });

  it('reads overrides; empty values count as unset', () => {
    expect(
      parseCliEnv({ PORTHOLE_SPOOL_DIR: '/tmp/s', PORTHOLE_CONNECT_TIMEOUT_MS: '500', PORTHOLE_RECEIPT_TIMEOUT_MS: '', PORTHOLE_SOURCE: 'nagios-b' }, 'h'),
    ).toEqual({ ok: true, value: { spoolDir: '/tmp/s', connectTimeoutMs: 500, receiptTimeoutMs: 10000, source: 'nagios-b' } });
  });

  it.each([
    [{ PORTHOLE_SPOOL_DIR: 'spool' }, /absolute path/],
    [{ PORTHOLE_SPOOL_DIR: './spool' }, /absolute path/],
    [{ PORTHOLE_CONNECT_TIMEOUT_MS: '0' }, /PORTHOLE_CONNECT_TIMEOUT_MS/],
    [{ PORTHOLE_CONNECT_TIMEOUT_MS: '2s' }, /PORTHOLE_CONNECT_TIMEOUT_MS/],
    [{ PORTHOLE_RECEIPT_TIMEOUT_MS: '600001' }, /PORTHOLE_RECEIPT_TIMEOUT_MS/],
    [{ PORTHOLE_SOURCE: 'a\tb' }, /PORTHOLE_SOURCE contains control characters/],
    [{ PORTHOLE_SOURCE: 's'.repeat(129) }, /PORTHOLE_SOURCE is longer than 128/],
  ])('rejects %j', (env, reason) => {
    const r = parseCliEnv(env, 'h');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(reason);
  });
});

function replace(args: readonly string[], index: number, value: string): string[] {
  const copy = [...args];
  copy[index] = value;
  return copy;
}
