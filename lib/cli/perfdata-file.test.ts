import { describe, expect, it } from 'vitest';
import { parseEventBody } from '../monitoring/event';
import { stateEventId } from './event-id';
import { HOST_STATE_FILE_TEMPLATE, SERVICE_PERFDATA_FILE_TEMPLATE, SERVICE_STATE_FILE_TEMPLATE, parsePerfdataText, perfdataLineToBody, perfdataLineToMessage } from './perfdata-file';

const LINE = ['1795543186', 'web1', '10.0.0.1', 'Disk /', 'WARNING', 'HARD', '3600', '3', '3', 'DISK WARNING - free space: / 812 MB (9%):', "'/'=7402MB;6553;7372;0;8192"].join('\t');

describe('SERVICE_PERFDATA_FILE_TEMPLATE', () => {
  it('is the nagios.cfg value: eleven macros separated by a literal \\t', () => {
    expect(SERVICE_PERFDATA_FILE_TEMPLATE).toBe(
      '$TIMET$\\t$HOSTNAME$\\t$HOSTADDRESS$\\t$SERVICEDESC$\\t$SERVICESTATE$\\t$SERVICESTATETYPE$\\t$SERVICEDURATIONSEC$\\t$SERVICEATTEMPT$\\t$MAXSERVICEATTEMPTS$\\t$SERVICEOUTPUT$\\t$SERVICEPERFDATA$',
    );
  });
});

describe('perfdataLineToBody', () => {
  it('turns a line into a check-result message the ingester accepts', () => {
    const r = perfdataLineToBody(LINE, 'nagios1');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const wire = JSON.parse(r.value);
    expect(wire).toEqual({
      time_t: 1795543186,
      state: 'WARNING',
      state_type: 'HARD',
      state_time: 3600,
      attempt: 3,
      hostname: '10.0.0.1',
      max_attempts: 3,
      service: 'Disk /',
      kind: 'service',
      host_name: 'web1',
      address: '10.0.0.1',
      output: 'DISK WARNING - free space: / 812 MB (9%):',
      perfdata: "'/'=7402MB;6553;7372;0;8192",
      check: true,
      event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      source: 'nagios1',
    });
    expect(parseEventBody(r.value).ok).toBe(true);
  });

  it('gives the same line the same event id (a re-sent file is stored once)', () => {
    const a = perfdataLineToBody(LINE, 'nagios1');
    const b = perfdataLineToBody(`${LINE}\r`, 'nagios1');
    expect(a.ok && b.ok && JSON.parse(a.value).event_id === JSON.parse(b.value).event_id).toBe(true);
  });

  it('uses the host name when the address is empty', () => {
    const r = perfdataLineToBody(LINE.replace('\t10.0.0.1\t', '\t\t'), 'n');
    expect(r.ok && JSON.parse(r.value)).toMatchObject({ hostname: 'web1', host_name: 'web1' });
    expect(r.ok && 'address' in JSON.parse(r.value)).toBe(false);
  });

  it('keeps tabs inside the plugin output', () => {
    const fields = LINE.split('\t');
    fields[9] = 'part one\tpart two';
    const r = perfdataLineToBody(fields.join('\t'), 'n');
    expect(r.ok && JSON.parse(r.value)).toMatchObject({ output: 'part one\tpart two', perfdata: "'/'=7402MB;6553;7372;0;8192" });
  });

  it('accepts empty output and perfdata', () => {
    const fields = LINE.split('\t');
    fields[9] = '';
    fields[10] = '';
    expect(perfdataLineToBody(fields.join('\t'), 'n').ok).toBe(true);
  });

  it.each([
    [0, '12.5', /TIMET/],
    [0, '1795543186000', /TIMET/],
    [1, '', /HOSTNAME is empty/],
    [3, '', /SERVICEDESC is empty/],
    [4, 'UP', /SERVICESTATE/],
    [4, 'warning', /SERVICESTATE/],
    [5, 'X', /SERVICESTATETYPE/],
    [6, '-1', /SERVICEDURATIONSEC/],
    [7, 'a', /SERVICEATTEMPT/],
    [8, '', /MAXSERVICEATTEMPTS/],
  ])('rejects field %i = %j', (index, value, reason) => {
    const fields = LINE.split('\t');
    fields[index] = value;
    const r = perfdataLineToBody(fields.join('\t'), 'n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(reason);
  });

  it('rejects lines with too few fields (e.g. a different template)', () => {
    const r = perfdataLineToBody('[SERVICEPERFDATA]\t1795543186\tweb1', 'n');
    expect(r).toEqual({ ok: false, error: 'expected 11 tab-separated fields, got 3' });
  });
});

describe('parsePerfdataText', () => {
  it('skips blank lines, counts and locates malformed ones', () => {
    const text = [LINE, '', 'garbage', LINE.replace('WARNING', 'OK'), '   ', ''].join('\n');
    const r = parsePerfdataText(text, 'n');
    expect(r.lines).toBe(3);
    expect(r.bodies).toHaveLength(2);
    expect(r.malformed).toEqual([{ line: 3, reason: 'expected 11 tab-separated fields, got 1' }]);
  });
});

// Lines as Nagios 4.4.6 wrote them in a run with max_check_attempts 3 (fields as in the templates).
// Times are seconds after T0; the check's time is $TIMET$ and $LASTSERVICECHECK$ alike.
const T0 = 1795543000;
const svc = (t: number, state: string, type: string, attempt: number, lastChange: number) =>
  ['SERVICE', T0 + t, 'web1', '10.0.0.1', 'Disk /', state, type, t - lastChange, attempt, '3', T0 + lastChange, T0 + t, `DISK ${state}`, 'used=5'].join('\t');

describe('the state templates', () => {
  it('are the nagios.cfg values, a marker first', () => {
    expect(SERVICE_STATE_FILE_TEMPLATE).toBe(
      'SERVICE\\t$TIMET$\\t$HOSTNAME$\\t$HOSTADDRESS$\\t$SERVICEDESC$\\t$SERVICESTATE$\\t$SERVICESTATETYPE$\\t$SERVICEDURATIONSEC$\\t$SERVICEATTEMPT$\\t$MAXSERVICEATTEMPTS$\\t$LASTSERVICESTATECHANGE$\\t$LASTSERVICECHECK$\\t$SERVICEOUTPUT$\\t$SERVICEPERFDATA$',
    );
    expect(HOST_STATE_FILE_TEMPLATE).toBe(
      'HOST\\t$TIMET$\\t$HOSTNAME$\\t$HOSTADDRESS$\\t$HOSTSTATE$\\t$HOSTSTATETYPE$\\t$HOSTDURATIONSEC$\\t$HOSTATTEMPT$\\t$MAXHOSTATTEMPTS$\\t$LASTHOSTSTATECHANGE$\\t$LASTHOSTCHECK$\\t$HOSTOUTPUT$\\t$HOSTPERFDATA$',
    );
  });
});

describe('perfdataLineToMessage (state templates)', () => {
  it('makes state events of exactly the checks Nagios ran the event handler for, with its ids', () => {
    // The recorded sequence: OK → CRITICAL SOFT 1, SOFT 2, HARD 3, two repeats, recovery, a repeat.
    const lines = [
      svc(100, 'CRITICAL', 'SOFT', 1, 100),
      svc(101, 'CRITICAL', 'SOFT', 2, 100),
      svc(102, 'CRITICAL', 'HARD', 3, 102),
      svc(104, 'CRITICAL', 'HARD', 3, 102),
      svc(106, 'CRITICAL', 'HARD', 3, 102),
      svc(114, 'OK', 'HARD', 1, 114),
      svc(116, 'OK', 'HARD', 1, 114),
    ];
    const got = lines.map((l) => {
      const r = perfdataLineToMessage(l, 'nagios1');
      if (!r.ok) throw new Error(r.error);
      return { stateEvent: r.value.stateEvent, wire: JSON.parse(r.value.body) };
    });
    expect(got.map((g) => g.stateEvent)).toEqual([true, true, true, false, false, true, false]);
    expect(got.map((g) => g.wire.check)).toEqual([undefined, undefined, undefined, true, true, undefined, true]);
    for (const g of got) expect(parseEventBody(JSON.stringify(g.wire)).ok).toBe(true);
    // The handler's id for the recovery (it sees attempt 3, the file attempt 1).
    const handlerId = stateEventId('nagios1', { kind: 'service', hostname: '10.0.0.1', service: 'Disk /', state: 'OK', stateType: 'HARD', attempt: 3, lastStateChange: T0 + 114 });
    expect(got[5]!.wire.event_id).toBe(handlerId);
    expect(got[5]!.wire).toMatchObject({ kind: 'service', hostname: '10.0.0.1', host_name: 'web1', address: '10.0.0.1', service: 'Disk /', state: 'OK', state_type: 'HARD', time_t: T0 + 114, perfdata: 'used=5' });
    expect(new Set(got.map((g) => g.wire.event_id)).size).toBe(7);
  });

  it('reads host lines: service null, kind host', () => {
    const line = ['HOST', '1795543186', 'web1', '10.0.0.1', 'DOWN', 'HARD', '0', '1', '1', '1795543186', '1795543186', 'PING CRITICAL', 'pl=100%'].join('\t');
    const r = perfdataLineToMessage(line, 'n');
    expect(r.ok && r.value.stateEvent).toBe(true);
    expect(r.ok && JSON.parse(r.value.body)).toMatchObject({ kind: 'host', service: null, state: 'DOWN', hostname: '10.0.0.1', output: 'PING CRITICAL' });
    // The SOFT → HARD change keeps a host's last_state_change (as Nagios 4.4.6 wrote it): still a state event.
    const hard = ['HOST', '1795543188', 'web1', '10.0.0.1', 'DOWN', 'HARD', '1', '2', '2', '1795543187', '1795543188', 'PING CRITICAL', ''].join('\t');
    const hardEvent = perfdataLineToMessage(hard, 'n');
    expect(hardEvent.ok && hardEvent.value.stateEvent).toBe(true);
    expect(hardEvent.ok && JSON.parse(hardEvent.value.body).event_id).toBe(
      stateEventId('n', { kind: 'host', hostname: '10.0.0.1', service: null, state: 'DOWN', stateType: 'HARD', attempt: 2, lastStateChange: 1795543187 }),
    );
    const start = line.replace('\t1795543186\t1795543186\tPING', '\t0\t1795543186\tPING').replace('DOWN', 'UP');
    expect(perfdataLineToMessage(start, 'n')).toMatchObject({ ok: true, value: { stateEvent: false } });
  });

  it.each([
    ['SERVICE\t1795543186\tweb1', /expected 14 tab-separated fields in a SERVICE line, got 3/],
    [['HOST', '1795543186', 'web1', '10.0.0.1', 'OK', 'HARD', '0', '1', '1', '0', '0', 'o', 'p'].join('\t'), /HOSTSTATE is not one of UP, DOWN, UNREACHABLE/],
    [['HOST', '1795543186', 'web1', '10.0.0.1', 'UP', 'HARD', '0', '1', '1', 'x', '0', 'o', 'p'].join('\t'), /LASTHOSTSTATECHANGE/],
  ])('rejects %j', (line, reason) => {
    const r = perfdataLineToMessage(line, 'n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(reason);
  });
});
