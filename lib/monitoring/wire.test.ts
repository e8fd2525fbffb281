import { describe, expect, it } from 'vitest';
import { parseEventBody } from './event';
import { type EventFields, WIRE_FIELDS, buildEventBody, destinationProblem, identifierProblem, truncatePerfdata, truncateUtf8 } from './wire';

const SEED_FIELDS: EventFields = {
  kind: 'service',
  occurredAt: new Date(1266427384 * 1000),
  state: 'WARNING',
  stateType: 'HARD',
  stateDurationSec: 86492,
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
    expect(Object.keys(wire)).toEqual([...WIRE_FIELDS]);
    expect(wire).toMatchObject({ host_name: 'web1', address: '10.0.0.1', check: true, long_output: 'line2' });
  });

  it("is accepted by the ingester's wire schema, service and host alike", () => {
    for (const fields of [
      SEED_FIELDS,
      { ...SEED_FIELDS, kind: 'host' as const, service: null, state: 'UNREACHABLE' as const, output: 'CRITICAL - Host Unreachable (10.0.0.1)' },
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

  it('writes whole seconds', () => {
    expect(JSON.parse(buildEventBody({ ...SEED_FIELDS, occurredAt: new Date(1266427384_999) })).time_t).toBe(1266427384);
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

describe('identifiers and destinations', () => {
  it('names what is wrong with an identifier', () => {
    expect(identifierProblem('web-01', 255)).toBeNull();
    expect(identifierProblem('  ', 255)).toBe('is empty');
    expect(identifierProblem('a\tb', 255)).toBe('contains control characters');
    expect(identifierProblem('🚀'.repeat(4), 3)).toBe('is longer than 3 characters');
  });

  it('takes one queue or topic', () => {
    expect(destinationProblem('/queue/nagios.events')).toBeNull();
    expect(destinationProblem('/topic/foo.bar.baz.quux')).toBeNull();
    expect(destinationProblem('nagios.events')).toBe('must start with /queue/ or /topic/');
    expect(destinationProblem('/queue/a b')).toBe('name must be printable ASCII without spaces');
    for (const d of ['/queue/a,/queue/b', '/topic/foo.*', '/topic/foo.>']) expect(destinationProblem(d)).toMatch(/^must name one destination/);
    expect(destinationProblem(`/queue/${'x'.repeat(200)}`)).toBeNull();
    expect(destinationProblem(`/queue/${'x'.repeat(201)}`)).toBe('is longer than 200 characters');
  });
});
