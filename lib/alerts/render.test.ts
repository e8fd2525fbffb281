import { describe, expect, it } from 'vitest';
import type { AlertEvent } from './decide';
import { redact, renderMessage } from './render';

const e = (over: Partial<AlertEvent> = {}): AlertEvent => ({
  eventId: 9,
  vmId: 7,
  vmName: 'web-01',
  kind: 'service',
  service: 'Disk /',
  state: 'CRITICAL',
  stateType: 'HARD',
  attempt: 3,
  maxAttempts: 3,
  occurredAt: new Date('2026-12-02T10:02:00Z'),
  output: 'DISK CRITICAL - / on acme-web-01 (10.0.0.5, fe80::1:2) 98% used',
  perfdata: '/=21.8GB;20;22.5;0;23',
  nagiosHostName: 'acme-web-01',
  address: '10.0.0.5',
  ...over,
});
const opts = { ruleName: 'Ops', portalUrl: 'https://portal.example', vmUrl: (id: number) => `https://portal.example/vms/${id}`, idempotencyKey: 'k1' };

describe('summary messages', () => {
  it("write the time in the account's zone, with the zone", () => {
    expect(renderMessage('summary', [e({ timeZone: 'Europe/Berlin' })], opts).text).toContain('since 2026-12-02 11:02 UTC+1)');
    expect(renderMessage('summary', [e({ timeZone: 'America/New_York' })], opts).text).toContain('since 2026-12-02 05:02 UTC-5)');
  });

  it('are plain words: no addresses, Nagios host names, plugin output, perfdata or HARD/SOFT', () => {
    const m = renderMessage('summary', [e()], opts);
    const all = `${m.subject}\n${m.text}\n${m.short}\n${JSON.stringify(m.data)}`;
    for (const secret of ['10.0.0.5', 'fe80::1:2', 'acme-web-01', 'DISK CRITICAL', '21.8GB', 'HARD', 'attempt']) expect(all).not.toContain(secret);
    expect(m.subject).toBe('Disk / on web-01 has a critical problem');
    expect(m.text).toContain('since 2026-12-02 10:02 UTC)');
    expect(m.text).toContain('Please look now');
    expect(m.short.length).toBeLessThanOrEqual(160);
    expect(m.urgent).toBe(true);
    expect(m.url).toBe('https://portal.example/vms/7');
  });

  it('redact removes IPv4 and IPv6 literals and the host name', () => {
    expect(redact('ping 192.168.1.20 and 2001:db8::5 on acme-web-01', { nagiosHostName: 'acme-web-01', address: null, vmName: 'web-01' })).toBe('ping [address] and [address] on [server]');
  });
});

describe('technical messages', () => {
  it('carry the output, perfdata, attempt of max, state type and Nagios host name', () => {
    const m = renderMessage('technical', [e()], opts);
    for (const fact of ['acme-web-01', '10.0.0.5', 'HARD', 'attempt 3 of 3', 'DISK CRITICAL', '/=21.8GB']) expect(m.text).toContain(fact);
  });
});

describe('groups', () => {
  it('one message for several events, counted in the subject', () => {
    const m = renderMessage('summary', [e(), e({ service: 'HTTP', eventId: 10 }), e({ kind: 'host', service: '', state: 'DOWN', eventId: 11 })], opts);
    expect(m.subject).toBe('3 alerts on web-01');
    expect((m.data.events as unknown[]).length).toBe(3);
  });
});
