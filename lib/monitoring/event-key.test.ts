import { describe, it, expect } from 'vitest';
import { parseEvent, parseEventBody } from './event';
import type { MonitoringEvent } from './wire';
import { eventKey, eventKeyMaterial } from './event-key';

const SEED_BODY =
  '{"time_t":1266427384,"state":"WARNING","state_type":"HARD","state_time":86492,"attempt":6,"hostname":"service-host.example.com","max_attempts":6,"service":"SERVICE NAME"}';
const seedObj = JSON.parse(SEED_BODY) as Record<string, unknown>;

function ev(overrides: Record<string, unknown> = {}): MonitoringEvent {
  const r = parseEvent({ ...seedObj, ...overrides });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('eventKey', () => {
  it('is 64 lower-case hex characters', () => {
    expect(eventKey(ev())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is a fixed value for the seed message (stored keys must never change)', () => {
    expect(eventKeyMaterial(ev())).toBe(
      '["porthole-event-key-v1","content",null,1266427384,"service-host.example.com","SERVICE NAME","WARNING","HARD",86492,6,6]',
    );
    // sha256 of the material above, computed once with `node -e` and pinned here.
    expect(eventKey(ev())).toBe('9a9e5852a55743457748f835a70afe1d7f169f0b9a9c985c0274c1c50f76adab');
  });

  it('maps a redelivered seed message to the same key, whatever the key order or formatting', () => {
    const a = parseEventBody(SEED_BODY);
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(seedObj).reverse()), null, 2);
    const b = parseEventBody(reordered);
    if (!a.ok || !b.ok) throw new Error('seed must parse');
    expect(eventKey(b.value)).toBe(eventKey(a.value));
  });

  it('ignores normalization differences (case, whitespace)', () => {
    expect(eventKey(ev({ state: ' warning', hostname: 'service-host.example.com ' }))).toBe(eventKey(ev()));
  });

  it('changes when any seed field changes', () => {
    const base = eventKey(ev());
    const variants: Record<string, unknown>[] = [
      { time_t: 1266427385 },
      { hostname: 'other.example.com' },
      { service: 'OTHER' },
      { state: 'CRITICAL' },
      { state_type: 'SOFT' },
      { state_time: 86493 },
      { attempt: 5 },
      { max_attempts: 7 },
      { source: 'nagios-b' },
    ];
    const keys = variants.map((v) => eventKey(ev(v)));
    expect(new Set([base, ...keys]).size).toBe(variants.length + 1);
  });

  it('tells a host event from a service named like nothing', () => {
    const host = ev({ service: null, state: 'DOWN' });
    const material = eventKeyMaterial(host);
    expect(material).toContain(',null,"DOWN"');
  });

  it('ignores output, perfdata and extra fields in the content key (same second, same fields = same event)', () => {
    expect(eventKey(ev({ output: 'a', perfdata: 'x=1', ticket: 1 }))).toBe(eventKey(ev()));
  });

  it('uses source + event_id when event_id is present, ignoring content', () => {
    const a = ev({ event_id: 'e-1', source: 'nagios-a' });
    const b = ev({ event_id: 'e-1', source: 'nagios-a', state: 'CRITICAL', time_t: 1266427999 });
    expect(eventKey(b)).toBe(eventKey(a));
    expect(eventKey(ev({ event_id: 'e-2', source: 'nagios-a' }))).not.toBe(eventKey(a));
    expect(eventKey(ev({ event_id: 'e-1', source: 'nagios-b' }))).not.toBe(eventKey(a));
    expect(eventKey(ev({ event_id: 'e-1' }))).not.toBe(eventKey(a));
    expect(eventKey(a)).not.toBe(eventKey(ev({ source: 'nagios-a' })));
  });

  it('cannot be forged by moving text between fields', () => {
    const a = ev({ hostname: 'a', service: 'b c' });
    const b = ev({ hostname: 'a b', service: 'c' });
    expect(eventKey(a)).not.toBe(eventKey(b));
  });
});
