import { describe, expect, it } from 'vitest';
import { EVENT_LIMITS, parseEventBody } from '../monitoring/event';
import { type EventFields, WIRE_LIMITS, buildEventBody, checkEventId, newEventId, truncatePerfdata, truncateUtf8 } from './event';

const SEED_FIELDS: EventFields = {
  kind: 'service',
  timeT: 1266427384,
  state: 'WARNING',
  stateType: 'HARD',
  stateTime: 86492,
  attempt: 6,
  maxAttempts: 6,
  hostname: 'service-host.example.com',
  service: 'SERVICE NAME',
  output: '',
  perfdata: '',
  eventId: '0b6f5ac4-5bb4-4c5e-9c3e-3b5f4a1e2d10',
  source: 'nagios1',
};

describe('buildEventBody', () => {
  it("writes the seed's eight fields first, in the seed's order, then the extensions", () => {
    const body = buildEventBody(SEED_FIELDS);
    expect(body).toBe(
      '{"time_t":1266427384,"state":"WARNING","state_type":"HARD","state_time":86492,"attempt":6,' +
        '"hostname":"service-host.example.com","max_attempts":6,"service":"SERVICE NAME",' +
        '"kind":"service","output":"","perfdata":"","event_id":"0b6f5ac4-5bb4-4c5e-9c3e-3b5f4a1e2d10","source":"nagios1"}',
    );
  });

  it('host events carry service null and kind host', () => {
    const wire = JSON.parse(buildEventBody({ ...SEED_FIELDS, kind: 'host', service: 'ignored', state: 'DOWN' }));
    expect(wire.service).toBeNull();
    expect(wire.kind).toBe('host');
  });

  it('check results carry host_name, address and check:true', () => {
    const wire = JSON.parse(buildEventBody({ ...SEED_FIELDS, hostName: 'web1', address: '10.0.0.1', check: true, longOutput: 'line2' }));
    expect(Object.keys(wire)).toEqual([
      'time_t', 'state', 'state_type', 'state_time', 'attempt', 'hostname', 'max_attempts', 'service',
      'kind', 'host_name', 'address', 'output', 'long_output', 'perfdata', 'check', 'event_id', 'source',
    ]);
    expect(wire).toMatchObject({ host_name: 'web1', address: '10.0.0.1', check: true, long_output: 'line2' });
  });

  it("is accepted by the ingester's wire schema, service and host alike", () => {
    for (const fields of [
      SEED_FIELDS,
      { ...SEED_FIELDS, kind: 'host' as const, service: null, state: 'UNREACHABLE', output: 'CRITICAL - Host Unreachable (10.0.0.1)' },
      { ...SEED_FIELDS, check: true, hostName: 'web1', address: '10.0.0.1', perfdata: "'/'=2048MB;3000;3500;0;4000 load1=0.5" },
    ]) {
      const parsed = parseEventBody(buildEventBody(fields));
      expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    }
  });

  it('truncates over-long free text to what the ingester accepts instead of losing the event', () => {
    const fields = { ...SEED_FIELDS, output: 'é'.repeat(10_000), perfdata: Array.from({ length: 2000 }, (_, i) => `m${i}=1`).join(' '), longOutput: 'x'.repeat(70_000) };
    const wire = JSON.parse(buildEventBody(fields));
    expect(Buffer.byteLength(wire.output)).toBeLessThanOrEqual(8192);
    expect(wire.output).toMatch(/^é+$/);
    expect(Buffer.byteLength(wire.perfdata)).toBeLessThanOrEqual(8192);
    expect(wire.perfdata.split(' ').every((item: string) => /^m\d+=1$/.test(item))).toBe(true);
    expect(wire.long_output.length).toBe(65_535);
    expect(parseEventBody(buildEventBody(fields)).ok).toBe(true);
  });

  it('keeps its limits equal to the ingester', () => {
    expect(WIRE_LIMITS).toEqual({
      hostnameChars: EVENT_LIMITS.hostnameChars,
      serviceChars: EVENT_LIMITS.serviceChars,
      sourceChars: EVENT_LIMITS.sourceChars,
      outputBytes: EVENT_LIMITS.outputBytes,
      longOutputBytes: EVENT_LIMITS.longOutputBytes,
      perfdataBytes: EVENT_LIMITS.perfdataBytes,
    });
  });
});

describe('event ids', () => {
  it('are unique per state-change event', () => {
    const ids = new Set(Array.from({ length: 1000 }, newEventId));
    expect(ids.size).toBe(1000);
  });

  it('are stable per check-result line and source', () => {
    const a = checkEventId('nagios1', 'line one');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(checkEventId('nagios1', 'line one')).toBe(a);
    expect(checkEventId('nagios2', 'line one')).not.toBe(a);
    expect(checkEventId('nagios1', 'line two')).not.toBe(a);
  });
});

describe('truncation', () => {
  it('never splits a UTF-8 character', () => {
    expect(truncateUtf8('aé', 2)).toBe('a');
    expect(truncateUtf8('a€b', 4)).toBe('a€');
    expect(truncateUtf8('short', 100)).toBe('short');
  });

  it('drops whole perfdata items', () => {
    expect(truncatePerfdata('a=1 bb=2 ccc=3', 10)).toBe('a=1 bb=2');
    expect(truncatePerfdata('aaaaaaaaaaaa=1', 5)).toBe('');
  });
});
