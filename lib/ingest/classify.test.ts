import { describe, expect, it } from 'vitest';
import { EVENT_LIMITS } from '../monitoring/event';
import { classifyMessage } from './classify';

const SEED = '{"time_t":1266427384,"state":"WARNING","state_type":"HARD","state_time":86492,"attempt":6,"hostname":"service-host.example.com","max_attempts":6,"service":"SERVICE NAME"}';
const message = (body: string) => ({ body, headers: {} });

describe('classifyMessage', () => {
  it('accepts the seed’s exact message as a service event', () => {
    const result = classifyMessage(message(SEED));
    expect(result).toMatchObject({
      ok: true,
      event: {
        check: false,
        kind: 'service',
        hostname: 'service-host.example.com',
        service: 'SERVICE NAME',
        state: 'WARNING',
        stateType: 'HARD',
        stateDurationSec: 86492,
        attempt: 6,
        maxAttempts: 6,
        occurredAt: new Date(1266427384 * 1000),
        samples: [],
      },
    });
    if (result.ok) expect(result.event.key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives a redelivered message the same key', () => {
    const a = classifyMessage(message(SEED));
    const b = classifyMessage(message(SEED));
    expect(a.ok && b.ok && a.event.key === b.event.key).toBe(true);
  });

  it('parses perfdata into samples and marks check results', () => {
    const body = JSON.stringify({ ...JSON.parse(SEED), check: true, perfdata: "'/'=2048MB;3000;3500;0;4000 load1=0.5" });
    const result = classifyMessage(message(body));
    expect(result).toMatchObject({
      ok: true,
      event: { check: true, samples: [{ label: '/', value: 2048, unit: 'MB', warn: 3000, crit: 3500, min: 0, max: 4000 }, { label: 'load1', value: 0.5 }] },
    });
    if (result.ok) expect(result.event.extra).not.toHaveProperty('check');
  });

  it('keeps unknown fields', () => {
    const result = classifyMessage(message(JSON.stringify({ ...JSON.parse(SEED), ticket: 42 })));
    expect(result.ok && result.event.extra).toEqual({ ticket: 42 });
  });

  it.each([
    ['not json', /JSON/i],
    ['{}', /./],
    [JSON.stringify({ ...JSON.parse(SEED), state: 'PURPLE' }), /state/],
    [JSON.stringify({ ...JSON.parse(SEED), check: 'yes' }), /check/],
    ['x'.repeat(EVENT_LIMITS.bodyBytes + 1), /body too large/],
  ])('turns %j into a dead letter with a reason', (body, reason) => {
    const result = classifyMessage(message(body));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
