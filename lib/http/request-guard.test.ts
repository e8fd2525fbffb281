import { describe, expect, it } from 'vitest';
import {
  ALLOWED_METHODS,
  baselineHeaders,
  configuredOrigins,
  crossOriginProblem,
  isCleanTarget,
  isValidHost,
  parseTrustedProxies,
  refusal,
  requestOrigin,
  stripUntrustedForwarding,
} from './request-guard.mjs';

const trusted = parseTrustedProxies('127.0.0.2, ::1, not-an-ip');

describe('stripUntrustedForwarding', () => {
  const forged = () => ({
    host: 'portal.test',
    'x-forwarded-host': 'evil.example',
    'x-forwarded-proto': 'https',
    'x-forwarded-for': '10.0.0.1',
    'x-forwarded-port': '443',
    forwarded: 'for=10.0.0.1;host=evil.example;proto=https',
    'x-real-ip': '10.0.0.1',
    'x-remote-user': 'carol',
  });

  it('removes every forwarding header and the user header from an untrusted peer', () => {
    const headers: Record<string, string> = forged();
    const removed = stripUntrustedForwarding(headers, '203.0.113.9', trusted, 'X-Remote-User');
    expect(removed.sort()).toEqual(['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-port', 'x-forwarded-proto', 'x-real-ip', 'x-remote-user']);
    expect(headers).toEqual({ host: 'portal.test' });
  });

  it('keeps them from a trusted front end, IPv4-mapped IPv6 included', () => {
    for (const peer of ['127.0.0.2', '::ffff:127.0.0.2', '::1']) {
      const headers: Record<string, string> = forged();
      expect(stripUntrustedForwarding(headers, peer, trusted, 'x-remote-user')).toEqual([]);
      expect(headers['x-forwarded-host']).toBe('evil.example');
    }
  });

  it('treats a missing peer and an empty trust list as untrusted', () => {
    const headers: Record<string, string> = forged();
    stripUntrustedForwarding(headers, undefined, trusted);
    expect(headers['x-forwarded-proto']).toBeUndefined();
    const again: Record<string, string> = forged();
    stripUntrustedForwarding(again, '127.0.0.2', parseTrustedProxies(''));
    expect(again['x-forwarded-host']).toBeUndefined();
    expect(parseTrustedProxies('not-an-ip').size).toBe(0);
  });
});

describe('isCleanTarget', () => {
  it.each(['/', '/vms/1?range=24h', '/login?callbackUrl=%2Fvms%2F1', '/api/v1/vms?x=caf%C3%A9&y=a+b', '/vms/1#now', '/_next/static/chunks/a.js'])(
    'accepts %s',
    (url) => expect(isCleanTarget(url)).toBe(true),
  );
  it.each([
    ['encoded NUL in the path', '/vms/%00'],
    ['encoded LF in a query value', '/login?callbackUrl=/%0A/evil.example'],
    ['encoded TAB in a query value', '/login?callbackUrl=/%09/evil.example'],
    ['encoded CR in a query key', '/?a%0D=1'],
    ['encoded DEL', '/x?q=%7F'],
    ['encoded C1 control (U+0085)', '/x?q=%C2%85'],
    ['a raw control character', '/x?q=a\u0001b'],
    ['a truncated escape', '/x?q=%E2%80'],
    ['an invalid escape', '/x?q=%zz'],
    ['a lone percent sign', '/x%'],
    ['overlong UTF-8', '/x?q=%C0%AF'],
    ['a protocol-relative target', '//evil.example/'],
    ['an absolute-form target', 'http://evil.example/'],
    ['the asterisk form', '*'],
  ])('refuses %s', (_what, url) => expect(isCleanTarget(url)).toBe(false));
});

describe('isValidHost', () => {
  it.each(['portal.test', '127.0.0.1:3000', '[::1]:3000', 'localhost', 'a-b.example.com.'])('accepts %s', (h) => expect(isValidHost(h)).toBe(true));
  it.each(['', 'a b', 'evil.example/x', 'user@host', 'host:port', '[::1', 'host:123456', 'ho\u0000st', 'x'.repeat(300), undefined])(
    'refuses %s',
    (h) => expect(isValidHost(h)).toBe(false),
  );
});

describe('requestOrigin', () => {
  it('uses the (already filtered) forwarding headers, first value only', () => {
    expect(requestOrigin({ host: 'internal:3000', 'x-forwarded-host': 'portal.test, other', 'x-forwarded-proto': 'https,http' }, false)).toEqual({
      scheme: 'https',
      host: 'portal.test',
    });
  });
  it('falls back to the socket and Host', () => {
    expect(requestOrigin({ host: 'portal.test' }, true)).toEqual({ scheme: 'https', host: 'portal.test' });
    expect(requestOrigin({ host: 'portal.test', 'x-forwarded-proto': 'gopher' }, false)).toEqual({ scheme: 'http', host: 'portal.test' });
  });
});

describe('crossOriginProblem', () => {
  const origin = { scheme: 'http', host: 'portal.test:3000' };
  const check = (method: string, path: string, headers: Record<string, string>, extraOrigins: Array<{ scheme: string; host: string }> = []) =>
    crossOriginProblem({ method, path, headers, origin, extraOrigins });

  it('accepts a same-origin form post and server action', () => {
    expect(check('POST', '/mail', { origin: 'http://portal.test:3000' })).toBeNull();
    expect(check('POST', '/mail', { origin: 'http://PORTAL.test:3000', 'next-action': 'abc' })).toBeNull();
  });
  it('accepts a missing Origin only with Sec-Fetch-Site: same-origin, or on /api/ without next-action', () => {
    expect(check('POST', '/mail', { 'sec-fetch-site': 'same-origin' })).toBeNull();
    expect(check('POST', '/api/auth/callback/credentials', {})).toBeNull();
    expect(check('POST', '/mail', {})).toMatch(/needs an Origin/);
    expect(check('POST', '/mail', { 'sec-fetch-site': 'same-site' })).toMatch(/needs an Origin/);
    expect(check('POST', '/mail', { 'sec-fetch-site': 'cross-site' })).toMatch(/needs an Origin/);
    expect(check('POST', '/api/v1/x', { 'next-action': 'abc' })).toMatch(/needs an Origin/);
  });
  it.each([
    ['another site', 'http://evil.example'],
    ['another port', 'http://portal.test:3001'],
    ['a suffix trick', 'http://portal.test:3000.evil.example'],
    ['a subdomain', 'http://a.portal.test:3000'],
    ['the opaque origin', 'null'],
    ['garbage', 'not an origin'],
    ['a file origin', 'file://'],
  ])('refuses an Origin from %s, even with Sec-Fetch-Site: same-origin', (_what, value) => {
    expect(check('POST', '/mail', { origin: value, 'sec-fetch-site': 'same-origin' })).toMatch(/^Forbidden/);
    expect(check('DELETE', '/api/v1/x', { origin: value })).toMatch(/^Forbidden/);
  });
  it('accepts NEXTAUTH_URL’s origin as well', () => {
    const extra = configuredOrigins(['https://portal.example.com', 'not a url', undefined]);
    expect(extra).toEqual([{ scheme: 'https', host: 'portal.example.com' }]);
    expect(check('POST', '/mail', { origin: 'https://portal.example.com' }, extra)).toBeNull();
  });
  it('leaves safe methods alone', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(check(method, '/mail', { origin: 'http://evil.example' })).toBeNull();
  });
});

describe('refusal', () => {
  const ok = { host: '127.0.0.1:3000' };
  const call = (method: string, url: string, headers: Record<string, string> = ok) => refusal({ method, url, headers, encrypted: false });

  it.each(['TRACE', 'TRACK', 'CONNECT', 'PROPFIND', 'BREW', 'get'])('answers %s with 405 and Allow', (method) => {
    expect(call(method, '/')).toEqual({ status: 405, message: 'Method not allowed.', headers: { Allow: ALLOWED_METHODS.join(', ') } });
  });
  it('answers an overlong URL with 414 and a dirty one with 400', () => {
    expect(call('GET', `/?q=${'a'.repeat(5000)}`)?.status).toBe(414);
    expect(call('GET', '/?q=%00')?.status).toBe(400);
  });
  it('answers a bad Host with 400', () => {
    expect(call('GET', '/', { host: 'a b' })?.status).toBe(400);
    expect(call('GET', '/', {})?.status).toBe(400);
  });
  it('answers GET on the POST-only sign-in routes with 405', () => {
    for (const url of ['/api/auth/callback/credentials', '/api/auth/callback/credentials?x=1', '/api/auth/signin/credentials']) {
      expect(call('GET', url)).toMatchObject({ status: 405, headers: { Allow: 'POST' } });
    }
    expect(call('GET', '/api/auth/session')).toBeNull();
  });
  it('answers a cross-origin server action with 403', () => {
    expect(call('POST', '/', { ...ok, 'next-action': 'x', origin: 'http://evil.example' })?.status).toBe(403);
    expect(call('POST', '/', { ...ok, origin: 'http://127.0.0.1:3000' })).toBeNull();
  });
});

describe('baselineHeaders', () => {
  it('sends HSTS only over TLS', () => {
    expect(baselineHeaders(false)['Strict-Transport-Security']).toBeUndefined();
    expect(baselineHeaders(true)['Strict-Transport-Security']).toMatch(/^max-age=\d{8,}/);
  });
  it('switches off unused browser features but not audio', () => {
    const policy = baselineHeaders(false)['Permissions-Policy']!;
    for (const feature of ['camera=()', 'microphone=()', 'geolocation=()', 'payment=()', 'usb=()']) expect(policy).toContain(feature);
    expect(policy).not.toMatch(/autoplay|speaker/);
    expect(baselineHeaders(false)).toMatchObject({ 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'same-origin' });
  });
});
