import { describe, expect, it } from 'vitest';
import { createLogger, requestId } from './log.mjs';

function capture(env: Record<string, string | undefined> = {}, name = 'web') {
  const lines: string[] = [];
  const log = createLogger(name, { env, destination: { write: (line: string) => lines.push(line) } });
  return { log, lines };
}

const SECRETS = {
  password: 'hunter2-password',
  token: 'tok-0123456789',
  body: 'Dear customer, your server is down',
  user: { password: 'nested-password', name: 'alice' },
  req: { headers: { cookie: 'next-auth.session-token=sess-secret', authorization: 'Basic YWxpY2U6aHVudGVyMg==', 'user-agent': 'curl' } },
  headers: { Cookie: 'x', authorization: 'Bearer bearer-secret', 'set-cookie': 'sid=set-cookie-secret' },
};

describe('createLogger', () => {
  it('writes one JSON object a line with level, time, process, msg and the fields given', () => {
    const { log, lines } = capture();
    log.info({ reqId: 'r-1', method: 'GET', route: '/vms/:vmId', status: 200, ms: 3.2 }, 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'info', process: 'web', msg: 'request', reqId: 'r-1', method: 'GET', route: '/vms/:vmId', status: 200, ms: 3.2 });
    expect(new Date(entry.time as string).toISOString()).toBe(entry.time);
  });

  it('prints no password, token, cookie, Authorization header or message body', () => {
    const { log, lines } = capture({ LOG_LEVEL: 'info' });
    log.warn(SECRETS, 'login failed');
    const line = lines.join('');
    for (const secret of ['hunter2', 'tok-0123', 'Dear customer', 'nested-password', 'sess-secret', 'YWxpY2U6', 'bearer-secret', 'set-cookie-secret']) expect(line).not.toContain(secret);
    const entry = JSON.parse(line) as { user: { name: string; password: string }; req: { headers: Record<string, string> } };
    expect(entry.user).toEqual({ name: 'alice', password: '[redacted]' });
    expect(entry.req.headers['user-agent']).toBe('curl');
  });

  it('keeps them at LOG_LEVEL=debug, for a person chasing a problem', () => {
    const { log, lines } = capture({ LOG_LEVEL: 'debug' });
    log.debug(SECRETS, 'login failed');
    expect(lines.join('')).toContain('hunter2-password');
  });

  it('honours LOG_LEVEL and falls back to info on nonsense', () => {
    const quiet = capture({ LOG_LEVEL: 'warn' });
    quiet.log.info('hidden');
    quiet.log.warn('shown');
    expect(quiet.lines).toHaveLength(1);
    expect(capture({ LOG_LEVEL: 'loud' }).log.level).toBe('info');
  });

  it('writes plain lines with LOG_FORMAT=pretty, still redacted', () => {
    const { log, lines } = capture({ LOG_FORMAT: 'pretty' }, 'ingester');
    log.info({ password: 'hunter2', acked: 3 }, 'connected; consuming /queue/x');
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  \[ingester\] connected; consuming \/queue\/x /);
    expect(lines[0]).toContain(' acked=3');
    expect(lines[0]).toContain(' password=[redacted]');
    expect(lines[0]).not.toContain('hunter2');
  });
});

describe('requestId', () => {
  it("keeps a trusted front end's id and makes a new one otherwise", () => {
    expect(requestId({ 'x-request-id': 'lb-42.abc' }, true)).toBe('lb-42.abc');
    expect(requestId({ 'x-request-id': 'lb-42.abc' }, false)).not.toBe('lb-42.abc');
    expect(requestId({}, true)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses an id that would forge a log line, even from a trusted peer', () => {
    expect(requestId({ 'x-request-id': 'a\n{"level":"fatal"}' }, true)).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId({ 'x-request-id': 'x'.repeat(200) }, true)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
