import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce } from './csp';

const directives = (policy: string) => new Map(policy.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));

describe('contentSecurityPolicy', () => {
  const prod = contentSecurityPolicy({ nonce: 'abc123==', dev: false, tls: false, api: false });

  it('allows scripts only with the nonce in production, never eval or inline', () => {
    const d = directives(prod);
    expect(d.get('script-src')).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(prod).not.toMatch(/unsafe-eval/);
    expect(d.get('script-src')).not.toContain("'unsafe-inline'");
    expect(d.get('style-src')).toEqual(["'self'", "'nonce-abc123=='"]);
  });

  it('forbids framing, plugins, foreign forms and base changes', () => {
    const d = directives(prod);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'self'"]);
    expect(d.get('base-uri')).toEqual(["'self'"]);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
  });

  it('adds eval only for the dev server, and upgrade-insecure-requests only over TLS', () => {
    expect(contentSecurityPolicy({ nonce: 'n', dev: true, tls: false, api: false })).toMatch(/script-src [^;]*'unsafe-eval'/);
    expect(prod).not.toMatch(/upgrade-insecure-requests/);
    expect(contentSecurityPolicy({ nonce: 'n', dev: false, tls: true, api: false })).toMatch(/; upgrade-insecure-requests$/);
  });

  it('lets an API response load nothing', () => {
    const api = contentSecurityPolicy({ nonce: 'n', dev: false, tls: false, api: true });
    expect(directives(api).get('default-src')).toEqual(["'none'"]);
    expect(api).toContain("frame-ancestors 'none'");
    expect(api).not.toContain('nonce');
  });
});

describe('newNonce', () => {
  it('is 128 random bits in base64, fresh each time', () => {
    const nonces = new Set(Array.from({ length: 200 }, newNonce));
    expect(nonces.size).toBe(200);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
