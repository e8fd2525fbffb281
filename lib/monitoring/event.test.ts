import { describe, it, expect } from 'vitest';
import { eventWireSchema, fastWire, parseEvent, parseEventBody } from './event';
import { type MonitoringEvent, WIRE_LIMITS, buildEventBody } from './wire';

// Byte-for-byte what the seed's stompcat prints (pretty-printed there; the wire form is compact).
const SEED_BODY =
  '{"time_t":1266427384,"state":"WARNING","state_type":"HARD","state_time":86492,"attempt":6,"hostname":"service-host.example.com","max_attempts":6,"service":"SERVICE NAME"}';

function seed(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...(JSON.parse(SEED_BODY) as Record<string, unknown>), ...overrides };
}

function ok(value: unknown): MonitoringEvent {
  const r = parseEvent(value);
  if (!r.ok) throw new Error(`expected ok, got: ${r.error}`);
  return r.value;
}

function reason(value: unknown): string {
  const r = parseEvent(value);
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

describe('parseEventBody: the seed message', () => {
  it('accepts the seed body as is and normalizes it', () => {
    const r = parseEventBody(SEED_BODY);
    expect(r).toEqual({
      ok: true,
      value: {
        kind: 'service',
        hostname: 'service-host.example.com',
        service: 'SERVICE NAME',
        state: 'WARNING',
        stateType: 'HARD',
        stateDurationSec: 86492,
        attempt: 6,
        maxAttempts: 6,
        occurredAt: new Date('2010-02-17T17:23:04Z'),
        extra: {},
      },
    });
  });

  it('accepts the pretty-printed form the seed shows, and a UTF-8 BOM', () => {
    const pretty = JSON.stringify(JSON.parse(SEED_BODY), null, 2);
    expect(parseEventBody(pretty).ok).toBe(true);
    expect(parseEventBody('\uFEFF' + SEED_BODY).ok).toBe(true);
  });

  it('sets no optional fields that were not sent', () => {
    const e = ok(seed());
    for (const k of ['hostName', 'address', 'output', 'longOutput', 'perfdata', 'eventId', 'source']) {
      expect(Object.hasOwn(e, k)).toBe(false);
    }
  });
});

describe('parseEventBody: body-level failures', () => {
  it('reports invalid JSON on one line', () => {
    const r = parseEventBody('{"time_t": 12,\n');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatch(/^invalid JSON: /);
      expect(r.error).not.toContain('\n');
    }
  });

  it('rejects empty and whitespace bodies', () => {
    expect(parseEventBody('')).toEqual({ ok: false, error: 'empty body' });
    expect(parseEventBody('  \n ')).toEqual({ ok: false, error: 'empty body' });
  });

  it('rejects non-object JSON', () => {
    expect(parseEventBody('[1,2]')).toEqual({ ok: false, error: 'expected a JSON object, got an array' });
    expect(parseEventBody('null')).toEqual({ ok: false, error: 'expected a JSON object, got null' });
    expect(parseEventBody('"x"')).toEqual({ ok: false, error: 'expected a JSON object, got string "x"' });
  });

  it('rejects an oversized body before parsing it', () => {
    const r = parseEventBody(' '.repeat(WIRE_LIMITS.bodyBytes + 1));
    expect(r).toEqual({ ok: false, error: `body too large: ${WIRE_LIMITS.bodyBytes + 1} bytes (limit ${WIRE_LIMITS.bodyBytes})` });
  });

  it('never throws on odd input', () => {
    for (const body of ['{', '}', 'NaN', '1e999', '{"__proto__":1}', '\u0000', 'true', undefined as unknown as string]) {
      expect(() => parseEventBody(body)).not.toThrow();
      expect(parseEventBody(body).ok).toBe(false);
    }
  });
});

describe('host and service events', () => {
  it('treats a missing, null or empty service as a host event', () => {
    for (const service of [undefined, null, '', '  ']) {
      const e = ok(seed({ service, state: 'DOWN' }));
      expect(e.kind).toBe('host');
      expect(e.service).toBeNull();
      expect(e.state).toBe('DOWN');
    }
  });

  it('rejects a host event with a service state, naming the allowed states', () => {
    expect(reason(seed({ service: null }))).toBe(
      'state: expected one of UP, DOWN, UNREACHABLE for a host event, got string "WARNING"',
    );
  });

  it('rejects a service event with a host state', () => {
    expect(reason(seed({ state: 'DOWN' }))).toBe(
      'state: expected one of OK, WARNING, CRITICAL, UNKNOWN for a service event, got string "DOWN"',
    );
  });

  it('rejects PENDING and made-up states', () => {
    expect(reason(seed({ state: 'PENDING' }))).toMatch(/^state: expected one of OK, WARNING/);
    expect(reason(seed({ state: 42 }))).toBe('state: expected a string, got number 42');
  });

  it('checks an explicit kind against the service field', () => {
    expect(ok(seed({ kind: 'service' })).kind).toBe('service');
    expect(ok(seed({ kind: 'host', service: null, state: 'UP' })).kind).toBe('host');
    expect(reason(seed({ kind: 'host' }))).toBe('kind: kind is "host" but a service is given');
    expect(reason(seed({ kind: 'service', service: null }))).toBe('service: required for a service event');
    expect(reason(seed({ kind: 'vm' }))).toBe('kind: expected "host" or "service", got string "vm"');
  });

  it('tolerates lower-case state and state_type, normalizing them', () => {
    const e = ok(seed({ state: 'critical', state_type: 'soft' }));
    expect(e.state).toBe('CRITICAL');
    expect(e.stateType).toBe('SOFT');
  });

  it('rejects a bad state_type', () => {
    expect(reason(seed({ state_type: 'MEDIUM' }))).toBe('state_type: expected HARD or SOFT, got string "MEDIUM"');
  });
});

describe('numeric fields', () => {
  it('requires each seed field', () => {
    for (const k of ['time_t', 'state', 'state_type', 'state_time', 'attempt', 'hostname', 'max_attempts']) {
      const v = seed();
      delete v[k];
      expect(reason(v)).toBe(`${k}: required`);
    }
  });

  it('rejects non-integers, negatives and numeric strings', () => {
    expect(reason(seed({ attempt: 1.5 }))).toBe('attempt: expected a non-negative integer, got number 1.5');
    expect(reason(seed({ attempt: -1 }))).toBe('attempt: expected a non-negative integer, got -1');
    expect(reason(seed({ state_time: '86492' }))).toBe(
      'state_time: expected a non-negative integer (seconds), got string "86492"',
    );
    expect(reason(seed({ max_attempts: 2 ** 40 }))).toBe('max_attempts: 1099511627776 is too large (max 65535)');
  });

  it('accepts attempt greater than max_attempts (real Nagios output)', () => {
    const e = ok(seed({ attempt: 4, max_attempts: 3 }));
    expect(e.attempt).toBe(4);
    expect(e.maxAttempts).toBe(3);
  });

  it('accepts zero durations and attempts', () => {
    const e = ok(seed({ state_time: 0, attempt: 0 }));
    expect(e.stateDurationSec).toBe(0);
  });

  it('checks time_t is plausible epoch seconds', () => {
    expect(reason(seed({ time_t: 1266427384000 }))).toBe('time_t: 1266427384000 looks like milliseconds, expected epoch seconds');
    expect(reason(seed({ time_t: 0 }))).toBe('time_t: 0 is not a plausible epoch seconds value (2000-01-01..2100-01-01)');
    expect(reason(seed({ time_t: 1266427384.5 }))).toBe('time_t: expected epoch seconds, got number 1266427384.5');
  });

  it('lists several problems on one line', () => {
    const r = reason(seed({ attempt: -1, hostname: '' }));
    expect(r).toBe('attempt: expected a non-negative integer, got -1; hostname: must not be empty');
  });
});

describe('string fields', () => {
  it('limits hostname and service to 255 characters (not bytes)', () => {
    expect(ok(seed({ hostname: 'é'.repeat(255) })).hostname).toHaveLength(255);
    expect(reason(seed({ hostname: 'a'.repeat(256) }))).toBe('hostname: longer than 255 characters');
    expect(reason(seed({ service: 's'.repeat(256) }))).toBe('service: longer than 255 characters');
  });

  it('rejects control characters in identifiers but allows newlines in output', () => {
    expect(reason(seed({ hostname: 'web\n01' }))).toBe('hostname: must not contain control characters');
    expect(ok(seed({ output: 'line 1\nline 2' })).output).toBe('line 1\nline 2');
  });

  it('trims identifiers', () => {
    const e = ok(seed({ hostname: ' web-01 ', service: ' HTTP ', host_name: ' web01 ', source: ' nagios-a ' }));
    expect([e.hostname, e.service, e.hostName, e.source]).toEqual(['web-01', 'HTTP', 'web01', 'nagios-a']);
  });

  it('limits output, long_output and perfdata in UTF-8 bytes', () => {
    expect(ok(seed({ output: 'x'.repeat(8192) })).output).toHaveLength(8192);
    expect(reason(seed({ output: 'x'.repeat(8193) }))).toBe('output: 8193 bytes, longer than the 8192 byte limit');
    // 4097 two-byte characters = 8194 bytes.
    expect(reason(seed({ perfdata: 'é'.repeat(4097) }))).toBe('perfdata: 8194 bytes, longer than the 8192 byte limit');
    expect(ok(seed({ long_output: 'x'.repeat(65_535) })).longOutput).toHaveLength(65_535);
    expect(reason(seed({ long_output: 'x'.repeat(65_536) }))).toMatch(/^long_output: 65536 bytes/);
  });

  it('treats null or empty optional text as absent', () => {
    const e = ok(seed({ output: '', perfdata: ' ', long_output: null, host_name: null, event_id: null }));
    for (const k of ['output', 'perfdata', 'longOutput', 'hostName', 'eventId']) expect(Object.hasOwn(e, k)).toBe(false);
  });

  it('bounds event_id and keeps it printable', () => {
    expect(ok(seed({ event_id: 'nagios-a:1266427384:42' })).eventId).toBe('nagios-a:1266427384:42');
    expect(reason(seed({ event_id: 'x'.repeat(129) }))).toBe('event_id: longer than 128 characters');
    expect(reason(seed({ event_id: 'has space' }))).toBe('event_id: must be printable ASCII without spaces');
    expect(reason(seed({ event_id: 7 }))).toBe('event_id: expected a string, got number 7');
  });
});

describe('extensions and unknown fields', () => {
  it('maps every extension field', () => {
    const e = ok(
      seed({
        kind: 'service',
        host_name: 'web01',
        address: '192.0.2.10',
        output: 'DISK CRITICAL',
        long_output: 'more',
        perfdata: '/=9500MB;8000;9000;0;10000',
        event_id: 'abc',
        source: 'nagios-a',
      }),
    );
    expect(e).toMatchObject({
      hostName: 'web01',
      address: '192.0.2.10',
      output: 'DISK CRITICAL',
      longOutput: 'more',
      perfdata: '/=9500MB;8000;9000;0;10000',
      eventId: 'abc',
      source: 'nagios-a',
      extra: {},
    });
  });

  it('keeps unknown fields in extra, including a literal __proto__ key, without touching prototypes', () => {
    const e = ok(JSON.parse(SEED_BODY.replace('{', '{"ticket":17,"tags":["a"],"__proto__":{"polluted":true},')));
    expect(e.extra.ticket).toBe(17);
    expect(e.extra.tags).toEqual(['a']);
    expect(Object.hasOwn(e.extra, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(e.extra)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('buildEventBody and parseEventBody', () => {
  it('round-trip every contract field', () => {
    const original = ok(
      seed({
        host_name: 'web01',
        address: '192.0.2.10',
        output: 'WARN',
        long_output: 'more',
        perfdata: 'load1=1.5;1;2',
        check: true,
        event_id: 'e1',
        source: 'n1',
      }),
    );
    expect(original.check).toBe(true);
    expect(parseEventBody(buildEventBody(original))).toEqual({ ok: true, value: original });
  });

  it('round-trip a host event', () => {
    const original = ok(seed({ service: null, state: 'DOWN' }));
    expect(parseEventBody(buildEventBody(original))).toEqual({ ok: true, value: original });
  });
});

describe('check', () => {
  it('is a contract field, not an extra one, and absent unless true', () => {
    expect(ok(seed({ check: true }))).toMatchObject({ check: true, extra: {} });
    const notCheck = ok(seed({ check: false }));
    expect(Object.hasOwn(notCheck, 'check')).toBe(false);
    expect(notCheck.extra).toEqual({});
  });

  it('must be true or false', () => {
    expect(reason(seed({ check: 'yes' }))).toBe('check: expected true or false');
    expect(reason(seed({ check: null }))).toBe('check: expected true or false');
  });
});

// Each limit is the column's (drizzle/0000_init.sql; lib/ingest/limits.int.test.ts checks the live
// schema): the largest value passes, one more is refused with the field named.
describe('column limits', () => {
  it('keeps attempt and max_attempts within SMALLINT UNSIGNED', () => {
    for (const field of ['attempt', 'max_attempts']) {
      expect(ok(seed({ [field]: 65_535 }))).toBeDefined();
      expect(reason(seed({ [field]: 65_536 }))).toBe(`${field}: 65536 is too large (max 65535)`);
      expect(reason(seed({ [field]: 2 ** 31 }))).toBe(`${field}: 2147483648 is too large (max 65535)`);
    }
  });

  it('keeps state_time within INT UNSIGNED', () => {
    expect(ok(seed({ state_time: 4_294_967_295 })).stateDurationSec).toBe(4_294_967_295);
    expect(reason(seed({ state_time: 4_294_967_296 }))).toBe('state_time: 4294967296 is too large (max 4294967295)');
    expect(reason(seed({ state_time: 1e300 }))).toMatch(/^state_time: /);
  });

  it('refuses numbers JSON turns into Infinity or that are not integers, and takes -0 as 0', () => {
    expect(parseEventBody(SEED_BODY.replace('"attempt":6', '"attempt":1e309'))).toMatchObject({ ok: false, error: expect.stringMatching(/^attempt: /) });
    expect(parseEventBody(SEED_BODY.replace('"time_t":1266427384', '"time_t":1e309'))).toMatchObject({ ok: false, error: expect.stringMatching(/^time_t: /) });
    expect(parseEventBody(SEED_BODY.replace('"state_time":86492', '"state_time":-1e309'))).toMatchObject({ ok: false, error: expect.stringMatching(/^state_time: /) });
    expect(Object.is(ok(seed({ attempt: -0 })).attempt, -0) || ok(seed({ attempt: -0 })).attempt === 0).toBe(true);
  });

  it('keeps time_t inside 2000..2100, so no date reaches past what DATETIME holds', () => {
    expect(ok(seed({ time_t: 4_102_444_800 })).occurredAt.toISOString()).toBe('2100-01-01T00:00:00.000Z');
    expect(reason(seed({ time_t: 4_102_444_801 }))).toMatch(/^time_t: .*not a plausible/);
    expect(reason(seed({ time_t: 253_402_300_800 }))).toMatch(/^time_t: /); // year 10000
  });

  it('counts identifiers in characters, so 255 four-byte characters fit and 256 do not', () => {
    expect(ok(seed({ hostname: '🚀'.repeat(255), service: '𝄞'.repeat(255) })).hostname).toHaveLength(510);
    expect(reason(seed({ hostname: '🚀'.repeat(256) }))).toBe('hostname: longer than 255 characters');
    expect(reason(seed({ service: 's'.repeat(256) }))).toBe('service: longer than 255 characters');
    expect(reason(seed({ host_name: 'h'.repeat(256) }))).toBe('host_name: longer than 255 characters');
    expect(reason(seed({ source: 'n'.repeat(129) }))).toBe('source: longer than 128 characters');
  });

  it('refuses lone surrogate escapes, which MariaDB cannot store as UTF-8 or JSON', () => {
    const body = (field: string) => SEED_BODY.replace('}', `,"${field}":"x\\ud800y"}`);
    for (const field of ['output', 'long_output', 'perfdata', 'host_name', 'source', 'ticket']) {
      expect(parseEventBody(body(field))).toMatchObject({ ok: false, error: expect.stringMatching(new RegExp(`^${field}: .*lone surrogate`)) });
    }
    expect(parseEventBody(SEED_BODY.replace('"service-host.example.com"', '"\\udc00host"'))).toMatchObject({ ok: false, error: expect.stringMatching(/^hostname: .*lone surrogate/) });
    expect(parseEventBody(SEED_BODY.replace('}', ',"\\ud800":1}'))).toMatchObject({ ok: false, error: expect.stringMatching(/lone surrogate/) });
    expect(parseEventBody(SEED_BODY.replace('}', ',"x":{"deep":["\\udfff"]}}'))).toMatchObject({ ok: false, error: expect.stringMatching(/^x: .*lone surrogate/) });
    // A proper pair is one character, and fine.
    expect(parseEventBody(SEED_BODY.replace('}', ',"output":"\\ud83d\\ude80"}'))).toMatchObject({ ok: true, value: { output: '🚀' } });
  });

  it('keeps unknown fields nested at most 31 levels deep, counting the message (MariaDB refuses 32)', () => {
    const nested = (levels: number, inner: string = '1') => '{"a":'.repeat(levels) + inner + '}'.repeat(levels);
    const withExtra = (value: string) => SEED_BODY.replace('}', `,"x":${value}}`);
    // The message is level 1, so "x" may hold 30 more levels of objects or arrays.
    expect(parseEventBody(withExtra(nested(30)))).toMatchObject({ ok: true });
    expect(parseEventBody(withExtra('['.repeat(30) + ']'.repeat(30)))).toMatchObject({ ok: true });
    expect(parseEventBody(withExtra(nested(31)))).toEqual({ ok: false, error: 'x: nested deeper than 31 levels (the database\'s JSON limit)' });
    expect(parseEventBody(withExtra('['.repeat(31) + ']'.repeat(31)))).toMatchObject({ ok: false, error: expect.stringMatching(/nested deeper/) });
    expect(parseEventBody(withExtra(nested(29, '[{}]')))).toMatchObject({ ok: false });
    // Far deeper than the limit costs nothing more (no stack overflow).
    expect(parseEventBody(withExtra('['.repeat(100_000) + ']'.repeat(100_000)))).toMatchObject({ ok: false, error: expect.stringMatching(/nested deeper/) });
  });
});


describe('the fast path (fastWire) against the schema', () => {
  const full = {
    ...seed(),
    kind: 'service',
    host_name: 'web1',
    address: '10.0.0.1',
    output: 'OK - fine',
    long_output: 'line 1\nline 2',
    perfdata: 'load1=0.5;4;8;0',
    check: true,
    event_id: 'a1b2-c3',
    source: 'nagios-1',
  };
  const odd: unknown[] = [
    undefined, null, '', ' ', 'x', ' x ', 'hard', ' HARD', 'HARD', 'SOFT', 'OK', 'ok', 'UP', 'DOWN ', 'host', 'service',
    0, -0, -1, 1, 1.5, 65_535, 65_536, 4_294_967_295, 4_294_967_296, 946_684_800, 946_684_799, 4_102_444_800, 4_102_444_801, 1e11 + 1, Number.MAX_SAFE_INTEGER + 2,
    true, false, [], {}, 'a\u0001b', 'a\nb', 'a b', 'x'.repeat(128), 'x'.repeat(129), 'x'.repeat(255), 'x'.repeat(256), '😀'.repeat(255), '😀'.repeat(256),
    'é'.repeat(2731), 'é'.repeat(4096), 'é'.repeat(4097), 'x'.repeat(8192), 'x'.repeat(8193), '\u00a0', 'ab\u00a0',
  ];
  const fields = Object.keys(full);

  it('accepts only what the schema accepts, with the values the schema returns', () => {
    let fast = 0;
    let cases = 0;
    for (const base of [full, seed(), seed({ service: null }), seed({ service: '', state: 'DOWN' }), { ...full, kind: 'host', service: null, state: 'UP' }]) {
      for (const field of fields) {
        for (const value of odd) {
          const candidate: Record<string, unknown> = { ...base, [field]: value };
          if (value === undefined) delete candidate[field];
          cases++;
          const accepted = fastWire(candidate);
          if (accepted === null) continue;
          fast++;
          const parsed = eventWireSchema.safeParse(candidate);
          expect(parsed.success, `${field} = ${JSON.stringify(value)}`).toBe(true);
          const data = parsed.data as Record<string, unknown>;
          for (const f of fields) expect(data[f], `${f} when ${field} = ${JSON.stringify(value)}`).toEqual(candidate[f]);
        }
      }
    }
    // Enough accepted cases to hold the fast path to account (most odd values are refused by both),
    // and the common shapes take it.
    expect(fast).toBeGreaterThan(cases / 6);
    expect(fastWire(full)).not.toBeNull();
    expect(fastWire(seed())).not.toBeNull();
  });

  it('lets parseEvent accept exactly what the schema accepts (these strings are all well-formed)', () => {
    for (const field of fields) {
      for (const value of odd) {
        const candidate: Record<string, unknown> = { ...full, [field]: value };
        expect(parseEvent(candidate).ok, `${field} = ${JSON.stringify(value)}`).toBe(eventWireSchema.safeParse(candidate).success);
      }
    }
  });
});
