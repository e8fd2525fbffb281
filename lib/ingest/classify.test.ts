import { describe, expect, it } from 'vitest';
import { WIRE_LIMITS } from '../monitoring/wire';
import { brokerReceivedAtMs, classifyMessage, clockSkewReason } from './classify';

const SEED = '{"time_t":1266427384,"state":"WARNING","state_type":"HARD","state_time":86492,"attempt":6,"hostname":"service-host.example.com","max_attempts":6,"service":"SERVICE NAME"}';
const message = (body: string) => ({ body, headers: {} });
// The seed's event, received by the broker a minute later.
const CLOCK = { receivedAtMs: (1266427384 + 60) * 1000, maxClockSkewSec: 300 };

describe('classifyMessage', () => {
  it('accepts the seed’s exact message as a service event', () => {
    const result = classifyMessage(message(SEED), CLOCK);
    expect(result).toMatchObject({
      ok: true,
      value: {
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
    if (result.ok) expect(result.value.key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives a redelivered message the same key', () => {
    const a = classifyMessage(message(SEED), CLOCK);
    const b = classifyMessage(message(SEED), CLOCK);
    expect(a.ok && b.ok && a.value.key === b.value.key).toBe(true);
  });

  it('parses perfdata into samples and marks check results', () => {
    const body = JSON.stringify({ ...JSON.parse(SEED), check: true, perfdata: "'/'=2048MB;3000;3500;0;4000 load1=0.5" });
    const result = classifyMessage(message(body), CLOCK);
    expect(result).toMatchObject({
      ok: true,
      value: { check: true, samples: [{ label: '/', value: 2048, unit: 'MB', warn: 3000, crit: 3500, min: 0, max: 4000 }, { label: 'load1', value: 0.5 }] },
    });
    if (result.ok) expect(result.value.extra).not.toHaveProperty('check');
  });

  it('keeps unknown fields', () => {
    const result = classifyMessage(message(JSON.stringify({ ...JSON.parse(SEED), ticket: 42 })), CLOCK);
    expect(result.ok && result.value.extra).toEqual({ ticket: 42 });
  });

  it.each([
    ['not json', /JSON/i],
    ['{}', /./],
    [JSON.stringify({ ...JSON.parse(SEED), state: 'PURPLE' }), /state/],
    [JSON.stringify({ ...JSON.parse(SEED), check: 'yes' }), /check/],
    ['x'.repeat(WIRE_LIMITS.bodyBytes + 1), /body too large/],
  ])('turns %j into a dead letter with a reason', (body, reason) => {
    const result = classifyMessage(message(body), CLOCK);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(reason);
  });
});

describe('the clock check', () => {
  const T = Date.UTC(2026, 11, 1, 12, 0, 0);
  const at = (offsetSec: number) => JSON.stringify({ ...JSON.parse(SEED), time_t: T / 1000 + offsetSec });
  const clock = { receivedAtMs: T, maxClockSkewSec: 300 };

  it('accepts events from the past at any age, and from up to the skew ahead', () => {
    for (const offset of [-10 * 365 * 86400, -3600, 0, 1, 299, 300]) {
      expect(clockSkewReason(T + offset * 1000, clock)).toBeNull();
      expect(classifyMessage(message(at(offset)), clock).ok).toBe(true);
    }
  });

  it('turns an event dated beyond the skew after its receipt into a dead letter that says why', () => {
    expect(clockSkewReason(T + 301_000, clock)).toBe(
      'time_t 2026-12-01T12:05:01.000Z is 301 s after the broker received the message (2026-12-01T12:00:00.000Z), ' +
        'more than the allowed clock skew of 300 s: the sender\'s clock is ahead',
    );
    for (const offset of [301, 3600, 86400 * 365 * 20]) {
      const result = classifyMessage(message(at(offset)), clock);
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/clock skew of 300 s/) });
    }
    // Past 2038 (signed 32-bit time_t): a valid date, but years ahead of the broker.
    expect(classifyMessage(message(JSON.stringify({ ...JSON.parse(SEED), time_t: 2 ** 31 + 10 })), clock)).toMatchObject({ ok: false, error: expect.stringMatching(/^time_t 2038-01-19T03:14:18\.000Z is /) });
  });

  it('checks perfdata check results too (they set the current state)', () => {
    const body = JSON.stringify({ ...JSON.parse(at(3600)), check: true, perfdata: 'load1=0.5' });
    expect(classifyMessage(message(body), clock).ok).toBe(false);
  });

  it('honours a configured skew', () => {
    expect(clockSkewReason(T + 31_000, { receivedAtMs: T, maxClockSkewSec: 30 })).toMatch(/clock skew of 30 s/);
    expect(clockSkewReason(T + 30_999, { receivedAtMs: T, maxClockSkewSec: 30 })).toBeNull();
  });

  it('takes the receipt time from the broker’s timestamp header, never later than our own clock', () => {
    const now = T + 60_000;
    expect(brokerReceivedAtMs({ timestamp: String(T) }, now)).toBe(T);
    // A publisher can set the header: a forged future receipt falls back to our clock.
    expect(brokerReceivedAtMs({ timestamp: String(T + 86_400_000) }, now)).toBe(now);
    for (const bad of [undefined, '', '0', '-5', '12', 'soon', '1e400', '1796165465738.5']) {
      expect(brokerReceivedAtMs(bad === undefined ? {} : { timestamp: bad }, now)).toBe(now);
    }
  });
});

