import { describe, expect, it } from 'vitest';
import { parseEventBody } from '../monitoring/event';
import { SERVICE_PERFDATA_FILE_TEMPLATE, parsePerfdataText, perfdataLineToBody } from './perfdata-file';

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
