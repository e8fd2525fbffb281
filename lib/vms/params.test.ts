import { describe, expect, it } from 'vitest';
import {
  decodeCursor,
  encodeCursor,
  fromRecord,
  fromSearchParams,
  parseAvailabilityParams,
  parseChartRange,
  parseHistoryParams,
  parseId,
  parseMetricsParams,
  parsePageAvailabilityParams,
  parseServicesView,
} from './params';

const q = (query: string) => fromSearchParams(new URLSearchParams(query));
const NOW = new Date('2024-06-15T12:00:00Z');

describe('cursors', () => {
  it('round-trip and reject anything else', () => {
    const c = { at: new Date('2024-06-01T10:00:00.123Z'), id: 987654321 };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    for (const bad of ['', 'abc', '!!!!', Buffer.from('1.2.3').toString('base64url'), Buffer.from('12.-1').toString('base64url'), Buffer.from('12.0').toString('base64url')]) {
      expect(decodeCursor(bad), bad).toBeNull();
    }
  });
});

describe('parseHistoryParams', () => {
  it('defaults to the first page of everything', () => {
    expect(parseHistoryParams(q(''), 'UTC')).toEqual({ ok: true, value: { cursor: null, limit: 50, states: [] } });
  });

  it('takes every filter, states repeated or comma-separated, case-insensitive', () => {
    const r = parseHistoryParams(q('service=Disk%20%2F&state=critical&state=WARNING,UNKNOWN&type=hard&from=2024-06-01&to=2024-06-02T12:00&limit=10'), 'Europe/Berlin');
    expect(r).toEqual({
      ok: true,
      value: {
        cursor: null,
        limit: 10,
        service: 'Disk /',
        states: ['CRITICAL', 'WARNING', 'UNKNOWN'],
        stateType: 'HARD',
        from: new Date('2024-05-31T22:00:00Z'),
        to: new Date('2024-06-02T10:00:00Z'),
      },
    });
  });

  it('treats empty form fields as unset', () => {
    expect(parseHistoryParams(fromRecord({ service: '', state: '', type: '', from: '', kind: '' }), 'UTC')).toEqual({
      ok: true,
      value: { cursor: null, limit: 50, states: [] },
    });
  });

  it('explains what is wrong, naming the parameter', () => {
    const error = (query: string) => {
      const r = parseHistoryParams(q(query), 'UTC');
      return r.ok ? null : r.error;
    };
    expect(error('state=BROKEN')).toMatch(/^state: expected UP, DOWN, UNREACHABLE, OK, WARNING, CRITICAL, UNKNOWN \(got "BROKEN"\)/);
    expect(error('type=MAYBE')).toMatch(/^type: expected HARD or SOFT/);
    expect(error('limit=0')).toBe('limit: must be at least 1');
    expect(error('limit=abc')).toBe('limit: expected a whole number');
    expect(error('limit=1000')).toBe('limit: must be at most 200');
    expect(error('from=last%20tuesday')).toMatch(/^from: expected a date such as 2024-05-01/);
    expect(error('from=2024-06-02&to=2024-06-01')).toBe('to: must be later than from');
    expect(error('cursor=bm90LWEtY3Vyc29y')).toBe('cursor: not a cursor this server gave out');
    expect(error('kind=host&service=HTTP')).toBe('service: cannot be combined with kind=host');
    expect(error('kind=vm')).toMatch(/^kind: expected host or service/);
    expect(error('limit=5&limit=6')).toBe('limit: give it once (got 2 values)');
    expect(error(`service=${'x'.repeat(300)}`)).toBe('service: longer than 255 characters');
  });

  it('uses the page’s own parameter names in its messages', () => {
    const r = parseHistoryParams(q('hfrom=nope'), 'UTC', { cursor: 'cursor', limit: 'limit', kind: 'kind', service: 'service', state: 'state', type: 'type', from: 'hfrom', to: 'hto' });
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/^hfrom: /) });
  });
});

describe('parseAvailabilityParams', () => {
  it('defaults to the last 24 hours, HARD states only', () => {
    expect(parseAvailabilityParams(q(''), 'UTC', NOW)).toEqual({
      ok: true,
      value: { from: new Date('2024-06-14T12:00:00Z'), to: NOW, hardOnly: true },
    });
  });

  it('takes a range and the SOFT switch', () => {
    expect(parseAvailabilityParams(q('from=2024-06-01T00:00:00Z&to=2024-06-08T00:00:00Z&hardOnly=false'), 'UTC', NOW)).toEqual({
      ok: true,
      value: { from: new Date('2024-06-01T00:00:00Z'), to: new Date('2024-06-08T00:00:00Z'), hardOnly: false },
    });
  });

  it('refuses reversed, too long and malformed ranges', () => {
    expect(parseAvailabilityParams(q('from=2024-06-08&to=2024-06-01'), 'UTC', NOW)).toEqual({ ok: false, error: 'to: must be later than from' });
    expect(parseAvailabilityParams(q('from=2022-01-01&to=2024-01-01'), 'UTC', NOW)).toEqual({ ok: false, error: 'to: the range may span at most 400 days' });
    expect(parseAvailabilityParams(q('hardOnly=perhaps'), 'UTC', NOW)).toEqual({ ok: false, error: 'hardOnly: expected true or false (got "perhaps")' });
  });
});

describe('parsePageAvailabilityParams', () => {
  it('has no custom range by default and counts HARD states', () => {
    expect(parsePageAvailabilityParams(q(''), 'UTC', NOW)).toEqual({ ok: true, value: { custom: null, hardOnly: true } });
  });
  it('reads a custom range in the viewer’s zone; an open end means now', () => {
    expect(parsePageAvailabilityParams(q('afrom=2024-06-10T00:00&soft=1'), 'Europe/Berlin', NOW)).toEqual({
      ok: true,
      value: { custom: { from: new Date('2024-06-09T22:00:00Z'), to: NOW }, hardOnly: false },
    });
  });
  it('wants a start when an end is given', () => {
    expect(parsePageAvailabilityParams(q('ato=2024-06-10'), 'UTC', NOW)).toEqual({ ok: false, error: 'afrom: give the start of the range too' });
  });
});

describe('parseMetricsParams and the chart range', () => {
  it('defaults to the last 7 days and 300 points', () => {
    expect(parseMetricsParams(q('label=load1'), 'UTC', NOW)).toEqual({
      ok: true,
      value: { label: 'load1', from: new Date('2024-06-08T12:00:00Z'), to: NOW, points: 300 },
    });
    expect(parseMetricsParams(q('points=5'), 'UTC', NOW)).toEqual({ ok: false, error: 'points: must be at least 10' });
  });
  it('lists the worst services unless all are asked for', () => {
    expect(parseServicesView(q(''))).toEqual({ ok: true, value: 'worst' });
    expect(parseServicesView(q('services=all'))).toEqual({ ok: true, value: 'all' });
    expect(parseServicesView(q('services=some'))).toEqual({ ok: false, error: 'services: expected all (got "some")' });
  });
  it('knows its three chart ranges', () => {
    expect(parseChartRange(q(''))).toEqual({ ok: true, value: '7d' });
    expect(parseChartRange(q('chart=30d'))).toEqual({ ok: true, value: '30d' });
    expect(parseChartRange(q('chart=1y'))).toEqual({ ok: true, value: '1y' });
    expect(parseChartRange(q('chart=2y'))).toEqual({ ok: false, error: 'chart: expected 24h, 7d, 30d, 90d or 1y (got "2y")' });
  });
});

describe('parseId', () => {
  it('reads a plain positive integer and nothing else', () => {
    expect(parseId('1')).toBe(1);
    expect(parseId('2147483647')).toBe(2_147_483_647);
    for (const bad of ['', '0', '01', '-1', '1.0', '1e3', ' 1', '1 ', '0x10', '12345678901', '١']) expect(parseId(bad), bad).toBeNull();
  });
});
