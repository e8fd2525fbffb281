import { describe, expect, it } from 'vitest';
import { clientIp, trustedProxyUser } from './client-ip';

const h = (values: Record<string, string>) => new Headers(values);

describe('clientIp', () => {
  it('uses the TCP peer and ignores a forged X-Forwarded-For from an untrusted peer', () => {
    expect(clientIp(h({ 'x-porthole-peer': '203.0.113.9', 'x-forwarded-for': '10.0.0.1' }), ['192.0.2.1'])).toBe('203.0.113.9');
  });
  it('believes the rightmost untrusted hop behind a trusted proxy', () => {
    const headers = h({ 'x-porthole-peer': '::ffff:192.0.2.1', 'x-forwarded-for': '1.1.1.1, 203.0.113.9, 192.0.2.2' });
    expect(clientIp(headers, ['192.0.2.1', '192.0.2.2'])).toBe('203.0.113.9');
  });
  it('returns null when no peer is known', () => {
    expect(clientIp(h({}), [])).toBeNull();
  });
});

describe('trustedProxyUser', () => {
  it('accepts the header only from a trusted peer', () => {
    expect(trustedProxyUser(h({ 'x-porthole-peer': '192.0.2.1', 'x-remote-user': 'alice' }), ['192.0.2.1'], 'x-remote-user')).toBe('alice');
    expect(trustedProxyUser(h({ 'x-porthole-peer': '203.0.113.9', 'x-remote-user': 'alice' }), ['192.0.2.1'], 'x-remote-user')).toBeNull();
  });
  it('is off unless both settings are present', () => {
    expect(trustedProxyUser(h({ 'x-porthole-peer': '192.0.2.1', 'x-remote-user': 'alice' }), ['192.0.2.1'], undefined)).toBeNull();
    expect(trustedProxyUser(h({ 'x-porthole-peer': '192.0.2.1', 'x-remote-user': 'alice' }), [], 'x-remote-user')).toBeNull();
  });
});
