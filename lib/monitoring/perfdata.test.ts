import { describe, it, expect } from 'vitest';
import {
  baseUnitOf,
  normalizeToBase,
  parsePerfNumber,
  parsePerfdata,
  parseThresholdRange,
  thresholdAlerts,
} from './perfdata';

describe('parsePerfdata: well-formed input', () => {
  it('parses a check_disk line with all fields', () => {
    const r = parsePerfdata('/=2643MB;5948;5958;0;5968');
    expect(r.errors).toEqual([]);
    expect(r.samples).toEqual([
      {
        label: '/',
        value: 2643,
        unit: 'MB',
        warn: 5948,
        crit: 5958,
        min: 0,
        max: 5968,
        warnRange: { raw: '5948', start: 0, end: 5948, inside: false },
        critRange: { raw: '5958', start: 0, end: 5958, inside: false },
      },
    ]);
  });

  it('parses several space-separated items with optional trailing fields', () => {
    const r = parsePerfdata('time=0.006s;;;0.000000 size=1234B;;;0  load1=0.150;5.000;10.000;0; users=3');
    expect(r.errors).toEqual([]);
    expect(r.samples.map((s) => [s.label, s.value, s.unit, s.warn, s.crit, s.min, s.max])).toEqual([
      ['time', 0.006, 's', null, null, 0, null],
      ['size', 1234, 'B', null, null, 0, null],
      ['load1', 0.15, '', 5, 10, 0, null],
      ['users', 3, '', null, null, null, null],
    ]);
  });

  it('keeps every known UOM and tolerates unknown ones', () => {
    const units = ['', 's', 'ms', 'us', '%', 'B', 'KB', 'MB', 'GB', 'TB', 'c', 'bps', '°C'];
    const r = parsePerfdata(units.map((u, i) => `m${i}=1${u}`).join(' '));
    expect(r.errors).toEqual([]);
    expect(r.samples.map((s) => s.unit)).toEqual(units);
  });

  it('parses quoted labels with spaces, = and escaped quotes', () => {
    const r = parsePerfdata(`'C:\\ Used Space'=12.5GB;30;35;0;40 'it''s = odd'=1 'plain'=2`);
    expect(r.errors).toEqual([]);
    expect(r.samples.map((s) => s.label)).toEqual(['C:\\ Used Space', "it's = odd", 'plain']);
    expect(r.samples[0]?.value).toBe(12.5);
  });

  it('reads U as an undetermined value', () => {
    const r = parsePerfdata('rta=U;100;500;0');
    expect(r.errors).toEqual([]);
    expect(r.samples[0]).toMatchObject({ label: 'rta', value: null, unit: '', warn: 100, crit: 500, min: 0 });
  });

  it('accepts negative numbers, exponents and a decimal comma', () => {
    const r = parsePerfdata('temp=-3.5;;;-40;85 big=1e3 comma=1,5%;80,5;90');
    expect(r.errors).toEqual([]);
    expect(r.samples.map((s) => s.value)).toEqual([-3.5, 1000, 1.5]);
    expect(r.samples[0]?.min).toBe(-40);
    expect(r.samples[2]?.warn).toBe(80.5);
  });

  it('tolerates the UOM repeated on thresholds, min and max', () => {
    const r = parsePerfdata('used=50%;80%;90%;0%;100%');
    expect(r.errors).toEqual([]);
    expect(r.samples[0]).toMatchObject({ warn: 80, crit: 90, min: 0, max: 100 });
    expect(r.samples[0]?.warnRange?.raw).toBe('80%');
  });

  it('returns nothing for empty or blank input', () => {
    expect(parsePerfdata('')).toEqual({ samples: [], errors: [] });
    expect(parsePerfdata('   \n\t')).toEqual({ samples: [], errors: [] });
  });

  it('keeps duplicate labels', () => {
    expect(parsePerfdata('a=1 a=2').samples.map((s) => s.value)).toEqual([1, 2]);
  });
});

describe('parsePerfdata: malformed items are skipped, the rest kept', () => {
  it('skips a bare word and an unquoted label with spaces', () => {
    const r = parsePerfdata('ok=1 garbage Free Space=3GB');
    expect(r.samples.map((s) => s.label)).toEqual(['ok', 'Space']);
    expect(r.errors).toEqual([
      '"garbage": expected label=value (labels with spaces must be quoted)',
      '"Free": expected label=value (labels with spaces must be quoted)',
    ]);
  });

  it('skips an item whose value is not a number', () => {
    const r = parsePerfdata('a=abc b=1.2.3 c= d=5');
    expect(r.samples.map((s) => s.label)).toEqual(['d']);
    expect(r.errors).toEqual([
      '"a=abc": value "abc" is not a number or U',
      '"b=1.2.3": value "1.2.3" is not a number or U',
      '"c=": value "" is not a number or U',
    ]);
  });

  it('skips empty labels', () => {
    const r = parsePerfdata(`=1 ''=2 x=3`);
    expect(r.samples.map((s) => s.label)).toEqual(['x']);
    expect(r.errors).toEqual(['"=1": empty label', `"''=2": empty label`]);
  });

  it('recovers from an unterminated quote at the next whitespace', () => {
    const r = parsePerfdata(`'abc=1 def=2`);
    expect(r.samples.map((s) => s.label)).toEqual(['def']);
    expect(r.errors).toEqual([`"'abc=1": unterminated quote in label`]);
  });

  it('reports a quoted label not followed by =', () => {
    const r = parsePerfdata(`'abc'x=1 y=2`);
    expect(r.samples.map((s) => s.label)).toEqual(['y']);
    expect(r.errors).toEqual([`"'abc'x=1": expected "=" after the quoted label`]);
  });

  it('keeps the value when only a threshold, min or max is bad', () => {
    const r = parsePerfdata('a=5;x;20:10;min;9;extra');
    expect(r.samples).toHaveLength(1);
    expect(r.samples[0]).toMatchObject({ value: 5, warn: null, crit: null, min: null, max: 9, warnRange: null });
    expect(r.errors).toEqual([
      '"a=5;x;20:10;min;9;extra": warn "x" is not a valid range (ignored)',
      '"a=5;x;20:10;min;9;extra": crit "20:10" is not a valid range (ignored)',
      '"a=5;x;20:10;min;9;extra": min "min" is not a number (ignored)',
      '"a=5;x;20:10;min;9;extra": fields after max ignored',
    ]);
  });

  it('rejects non-finite numbers', () => {
    const r = parsePerfdata('a=1e999 b=NaN c=Infinity');
    expect(r.samples).toEqual([]);
    expect(r.errors).toHaveLength(3);
  });

  it('never throws, whatever the input', () => {
    const inputs = ["'", '=', ';;;;', "''''", 'a=;;;', '@', 'a=1;@;~;;', '\u0000=1', 'x'.repeat(10_000), null as unknown as string];
    for (const input of inputs) expect(() => parsePerfdata(input)).not.toThrow();
  });

  it('truncates long items in error messages', () => {
    const r = parsePerfdata('x'.repeat(200));
    expect(r.errors[0]).toBe(`"${'x'.repeat(57)}...": expected label=value (labels with spaces must be quoted)`);
  });
});

describe('parseThresholdRange', () => {
  it.each([
    ['10', 0, 10, false],
    ['10:', 10, null, false],
    ['~:10', null, 10, false],
    ['10:20', 10, 20, false],
    ['@10:20', 10, 20, true],
    ['@10', 0, 10, true],
    [':10', 0, 10, false],
    ['~:', null, null, false],
    ['-5:-1', -5, -1, false],
    ['1,5:2,5', 1.5, 2.5, false],
  ] as const)('%s', (raw, start, end, inside) => {
    expect(parseThresholdRange(raw)).toEqual({ raw, start, end, inside });
  });

  it.each(['', '@', 'abc', '20:10', '1:2:3', '~', '10:x', 'x:10'])('rejects %j', (raw) => {
    expect(parseThresholdRange(raw)).toBeNull();
  });

  it('gives warn/crit as the upper bound, or the start for n: ranges', () => {
    const r = parsePerfdata('a=1;10:;~:5 b=1;@10:20;~:');
    expect([r.samples[0]?.warn, r.samples[0]?.crit, r.samples[1]?.warn, r.samples[1]?.crit]).toEqual([10, 5, 20, null]);
  });
});

describe('thresholdAlerts (Nagios semantics)', () => {
  const range = (raw: string) => {
    const r = parseThresholdRange(raw);
    if (!r) throw new Error(raw);
    return r;
  };
  it('10 alerts below 0 or above 10, endpoints included as OK', () => {
    expect([-1, 0, 10, 11].map((v) => thresholdAlerts(range('10'), v))).toEqual([true, false, false, true]);
  });
  it('10: alerts below 10', () => {
    expect([9, 10, 1e9].map((v) => thresholdAlerts(range('10:'), v))).toEqual([true, false, false]);
  });
  it('~:10 alerts above 10', () => {
    expect([-1e9, 10, 11].map((v) => thresholdAlerts(range('~:10'), v))).toEqual([false, false, true]);
  });
  it('@10:20 alerts inside, endpoints included', () => {
    expect([9, 10, 15, 20, 21].map((v) => thresholdAlerts(range('@10:20'), v))).toEqual([false, true, true, true, false]);
  });
});

describe('parsePerfNumber', () => {
  it('parses exactly one number', () => {
    expect(parsePerfNumber('12.5')).toBe(12.5);
    expect(parsePerfNumber('.5')).toBe(0.5);
    expect(parsePerfNumber('5.')).toBe(5);
    expect(parsePerfNumber('+3')).toBe(3);
    expect(parsePerfNumber('12.5MB')).toBeNull();
    expect(parsePerfNumber('')).toBeNull();
    expect(parsePerfNumber('-')).toBeNull();
  });
});

describe('normalizeToBase', () => {
  const one = (text: string) => {
    const s = parsePerfdata(text).samples[0];
    if (!s) throw new Error(text);
    return s;
  };

  it('converts byte units with 1024 steps, including thresholds and ranges', () => {
    const s = normalizeToBase(one('/=2MB;1:3;@4:5;0;10'));
    expect(s).toMatchObject({ unit: 'B', value: 2 * 1048576, min: 0, max: 10 * 1048576, warn: 3 * 1048576, crit: 5 * 1048576 });
    expect(s.warnRange).toEqual({ raw: '1:3', start: 1048576, end: 3 * 1048576, inside: false });
    expect(s.critRange).toEqual({ raw: '@4:5', start: 4 * 1048576, end: 5 * 1048576, inside: true });
  });

  it.each([
    ['1B', 1],
    ['1KB', 1024],
    ['1kB', 1024],
    ['1KiB', 1024],
    ['1.5GB', 1.5 * 1024 ** 3],
    ['2TB', 2 * 1024 ** 4],
  ])('%s is %d bytes', (text, bytes) => {
    expect(normalizeToBase(one(`x=${text}`))).toMatchObject({ unit: 'B', value: bytes });
  });

  it('converts time units to seconds exactly', () => {
    expect(normalizeToBase(one('t=1500ms;200'))).toMatchObject({ unit: 's', value: 1.5, warn: 0.2 });
    expect(normalizeToBase(one('t=250us'))).toMatchObject({ unit: 's', value: 0.00025 });
  });

  it('keeps open range ends open', () => {
    const s = normalizeToBase(one('x=1KB;~:1;2:;0'));
    expect(s.warnRange).toEqual({ raw: '~:1', start: null, end: 1024, inside: false });
    expect(s.critRange).toEqual({ raw: '2:', start: 2048, end: null, inside: false });
    expect([s.warn, s.crit]).toEqual([1024, 2048]);
  });

  it('leaves a U value (which carries no UOM) unchanged', () => {
    const s = one('x=U;1;2');
    expect(normalizeToBase(s)).toBe(s);
    expect(s.value).toBeNull();
  });

  it('leaves %, counters, bare numbers, bits and unknown units alone', () => {
    for (const text of ['p=5%', 'c=5c', 'n=5', 'b=5b', 'q=5Mb', 'x=5bps']) {
      const s = one(text);
      expect(normalizeToBase(s)).toBe(s);
    }
  });

  it('reports base units', () => {
    expect([baseUnitOf('MB'), baseUnitOf('ms'), baseUnitOf('%'), baseUnitOf('')]).toEqual(['B', 's', null, null]);
  });
});
