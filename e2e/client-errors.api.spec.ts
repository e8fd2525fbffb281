import { expect, test } from '@playwright/test';
import { raw } from './raw-http';

// A client's mistake gets a short 4xx, never a 500: raw sockets for what fetch cannot send.

const expectShort4xx = (r: { status: number; body: string }, status: number) => {
  expect(r.status).toBe(status);
  expect(r.body.length).toBeLessThan(300);
};

test.describe('methods', () => {
  for (const method of ['TRACE', 'TRACK', 'PROPFIND', 'BREW', 'DEBUG']) {
    test(`${method} gets 405 with Allow, on pages, API and static paths`, async () => {
      for (const path of ['/', '/api/health', '/_next/static/x.js']) {
        const r = await raw(method, path);
        expectShort4xx(r, 405);
        expect(r.headers.allow).toContain('GET');
        expect(r.headers.allow).not.toContain('TRACE');
        expect(r.headers['x-content-type-options']).toBe('nosniff');
      }
    });
  }

  test('CONNECT gets 405', async () => {
    expectShort4xx(await raw('CONNECT', `127.0.0.1:80`), 405);
  });

  test('GET on the POST-only sign-in routes gets 405, not an error page', async () => {
    for (const path of ['/api/auth/callback/credentials', '/api/auth/callback/credentials?callbackUrl=/', '/api/auth/signin/credentials']) {
      const r = await raw('GET', path);
      expectShort4xx(r, 405);
      expect(r.headers.allow).toBe('POST');
    }
  });

  test('HEAD and OPTIONS on every kind of route answer below 500', async () => {
    for (const method of ['HEAD', 'OPTIONS']) {
      for (const path of ['/', '/login', '/vms/1', '/api/health', '/api/v1/vms', '/api/auth/session', '/api/auth/csrf', '/_next/static/x.js', '/no-such-page']) {
        const r = await raw(method, path);
        expect(r.status, `${method} ${path}`).toBeLessThan(500);
      }
    }
  });
});

test.describe('request targets', () => {
  const bad: Array<[string, string]> = [
    ['an encoded NUL in the path', '/vms/%00'],
    ['an encoded LF in a query value', '/login?callbackUrl=/%0A/evil.example'],
    ['an encoded TAB in a query value', '/login?callbackUrl=/%09/evil.example'],
    ['an encoded ESC in an API query', '/api/v1/vms/1/events?service=%1B%5B31m'],
    ['an encoded C1 control', '/api/health?x=%C2%85'],
    ['invalid percent-encoding', '/%zz'],
    ['a truncated UTF-8 escape', '/login?callbackUrl=%E2%80'],
    ['overlong UTF-8', '/vms/%C0%AF'],
    ['a raw control byte', '/a\u0001b'],
    ['a protocol-relative path', '//evil.example'],
    ['an absolute-form target', 'http://evil.example/login'],
  ];
  for (const [what, target] of bad) {
    test(`${what} gets 400 as short plain text`, async () => {
      const r = await raw('GET', target);
      expectShort4xx(r, 400);
      expect(r.headers['content-type']).toMatch(/^text\/plain/);
    });
  }

  test('an overlong URL gets 414, an oversized header 431', async () => {
    expectShort4xx(await raw('GET', `/login?q=${'a'.repeat(6000)}`), 414);
    expectShort4xx(await raw('GET', '/login', { 'X-Big': 'a'.repeat(20_000) }), 431);
  });

  test('a missing or malformed Host gets 400', async () => {
    for (const host of ['a b', '[::1', 'evil.example/x', 'user@evil.example', 'host:99999x']) {
      expectShort4xx(await raw('GET', '/login', [['Host', host]]), 400);
    }
    expectShort4xx(await raw('GET', '/login', { 'X-Forwarded-Host': 'a b' }, { localAddress: '127.0.0.2' }), 400);
  });

  test('/_next/image fetches nothing: foreign, local and malformed URLs get 400', async () => {
    for (const query of ['url=https%3A%2F%2Fevil.example%2Fx.png&w=64&q=75', 'url=%2Flogin&w=64&q=75', 'url=%2F%2Fevil.example%2Fx&w=64&q=75', 'url=%2Fx&w=abc&q=75', 'url=%2Fx&w=64&q=999', '']) {
      const r = await raw('GET', `/_next/image${query ? `?${query}` : ''}`);
      expect(r.status, query).toBe(400);
    }
  });
});

test.describe('form bodies Next.js cannot parse get 400 or 413, never 500', () => {
  const ORIGIN = { Origin: `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}` };
  const field = (boundary: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="username"\r\n\r\n${value}\r\n--${boundary}--\r\n`;
  const broken: Array<[string, string, string]> = [
    ['a body that stops after the boundary', 'multipart/form-data; boundary=xyz', '--xyz\r\nbroken'],
    ['no boundary parameter', 'multipart/form-data', field('xyz', 'alice')],
    ['an empty boundary', 'multipart/form-data; boundary=', field('xyz', 'alice')],
    ['a boundary the body never uses', 'multipart/form-data; boundary=abc', field('xyz', 'alice')],
    ['a part without headers', 'multipart/form-data; boundary=xyz', '--xyz\r\n\r\nalice\r\n--xyz--\r\n'],
    ['an empty body', 'multipart/form-data; boundary=xyz', ''],
  ];
  for (const [what, type, body] of broken) {
    for (const path of ['/login', '/admin/settings', '/vms/1']) {
      test(`${what}, to ${path}`, async () => {
        expectShort4xx(await raw('POST', path, { ...ORIGIN, 'Content-Type': type }, { body }), 400);
      });
    }
  }

  test('a form over 1 MiB gets 413 without being read to the end', async () => {
    expectShort4xx(await raw('POST', '/login', { ...ORIGIN, 'Content-Type': 'multipart/form-data; boundary=xyz' }, { body: field('xyz', 'a'.repeat(1_100_000)) }), 413);
  });

  test('a well-formed form still reaches Next (which answers an action it does not know)', async () => {
    const r = await raw('POST', '/login', { ...ORIGIN, 'Content-Type': 'multipart/form-data; boundary=xyz' }, { body: field('xyz', 'alice') });
    expect(r.status).toBeGreaterThanOrEqual(200);
    expect(r.status).toBeLessThan(500);
    expect(r.body).not.toContain('could not be read');
  });
});

test.describe('odd requests answer below 500', () => {
  const odd: Array<[string, () => ReturnType<typeof raw>]> = [
    ['a foreign Host on a page', () => raw('GET', '/login', [['Host', 'evil.example']])],
    ['two Host headers', () => raw('GET', '/login', [['Host', '127.0.0.1'], ['Host', 'evil.example']])],
    ['two session cookies, one garbage', () => raw('GET', '/', [['Cookie', 'a=1'], ['Cookie', 'next-auth.session-token=garbage']])],
    ['a garbage session cookie on the API', () => raw('GET', '/api/v1/vms', { Cookie: 'next-auth.session-token=%%%' })],
    ['malformed Basic credentials', () => raw('GET', '/api/v1/vms', { Authorization: 'Basic !!!!' })],
    ['Basic without a colon', () => raw('GET', '/api/v1/vms', { Authorization: `Basic ${Buffer.from('alice').toString('base64')}` })],
    ['an unsatisfiable Range on a page', () => raw('GET', '/login', { Range: 'bytes=999999-1' })],
    ['a garbage Range on a static path', () => raw('GET', '/_next/static/x.js', { Range: 'bytes=abc' })],
    ['a garbage router state tree', () => raw('GET', '/login', { RSC: '1', 'Next-Router-State-Tree': '%%%garbage' })],
    ['a truncated router state tree', () => raw('GET', '/login', { RSC: '1', 'Next-Router-State-Tree': encodeURIComponent('{"a":') })],
    ['a huge Accept-Encoding', () => raw('GET', '/login', { 'Accept-Encoding': 'x,'.repeat(2000) })],
    ['invalid JSON to the session route', () => raw('POST', '/api/auth/session', { 'Content-Type': 'application/json' }, { body: '{bad}' })],
    ['invalid JSON to the sign-in route', () => raw('POST', '/api/auth/callback/credentials', { 'Content-Type': 'application/json' }, { body: '{bad' })],
    ['a broken form body to the sign-in route', () => raw('POST', '/api/auth/callback/credentials', { 'Content-Type': 'application/x-www-form-urlencoded' }, { body: '%zz=%zz' })],
    ['an unknown server action id', () => raw('POST', '/login', { Origin: `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`, 'Next-Action': '7f00000000000000000000000000000000000000aa', 'Content-Type': 'text/plain' }, { body: '{{{{' })],
    ['a dot-dot path', () => raw('GET', '/vms/..%2f..%2fetc')],
    ['a huge VM id', () => raw('GET', '/vms/99999999999999999999999')],
  ];
  for (const [what, send] of odd) {
    test(what, async () => {
      const r = await send();
      expect(r.status).toBeGreaterThanOrEqual(200);
      expect(r.status).toBeLessThan(500);
    });
  }
});
