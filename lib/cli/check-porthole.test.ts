import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckArgs, NAGIOS, checkPorthole, checkPortholeMain, evaluateHealth, parseCheckArgs } from './check-porthole';

const defaults = () => {
  const r = parseCheckArgs(['https://portal.example.com']);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

const report = (over: object = {}, pipeline: object = {}) => ({
  status: 'ok',
  checks: { database: 'ok', ldap: 'ok', broker: 'ok' },
  version: '0.1.0',
  pipeline: {
    ingesters: [{ instance: 'mq1', destination: '/queue/nagios.events', connected: true, heartbeatAgeSeconds: 3, lastMessageAt: null }],
    lagSeconds: 12,
    deadLetters: 0,
    notificationBacklog: 3,
    ...pipeline,
  },
  ...over,
});

describe('parseCheckArgs', () => {
  it('takes a bare portal URL as its /api/health, with the documented defaults', () => {
    expect(defaults()).toEqual({
      url: 'https://portal.example.com/api/health',
      timeoutMs: 10_000,
      lag: { warn: null, crit: null },
      queue: { warn: null, crit: null },
      deadLetters: { warn: 1, crit: null },
      backlog: { warn: 100, crit: 1000 },
      minIngesters: 1,
    });
    expect(parseCheckArgs(['http://10.0.0.5:3000/api/health']).ok && parseCheckArgs(['http://10.0.0.5:3000/api/health'])).toMatchObject({ value: { url: 'http://10.0.0.5:3000/api/health' } });
  });

  it('reads the options, either side of a threshold pair empty, in both spellings', () => {
    const r = parseCheckArgs(['-t', '2.5', '--lag=300,900', '--queue', '5000,', '--dead-letters', ',50', '--backlog', '10,', '--ingesters', '0', 'http://p/']);
    expect(r).toEqual({
      ok: true,
      value: { url: 'http://p/api/health', timeoutMs: 2500, lag: { warn: 300, crit: 900 }, queue: { warn: 5000, crit: null }, deadLetters: { warn: null, crit: 50 }, backlog: { warn: 10, crit: null }, minIngesters: 0 },
    });
  });

  it.each([
    [[], 'URL is missing'],
    [['ftp://p'], 'http'],
    [['not a url'], 'not a URL'],
    [['-t', '0', 'http://p'], '-t'],
    [['--lag', '300', 'http://p'], 'WARN,CRIT'],
    [['--lag', '900,300', 'http://p'], 'CRIT must not be below WARN'],
    [['--backlog', 'a,b', 'http://p'], 'non-negative numbers'],
    [['--ingesters', '-1', 'http://p'], '--ingesters'],
    [['--queue', '-5,', 'http://p'], 'non-negative numbers'],
    [['--warp', 'http://p'], 'unknown option --warp'],
    [['--__proto__', '1,2', 'http://p'], 'unknown option --__proto__'],
    [['--toString', '1,2', 'http://p'], 'unknown option --toString'],
    [['http://p', 'http://q'], 'unexpected argument'],
  ])('refuses %j', (argv, problem) => {
    const r = parseCheckArgs(argv);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(problem);
  });
});

describe('evaluateHealth', () => {
  const args = defaults();

  it('is OK with one line and perfdata for lag, dead letters, backlog and ingesters', () => {
    expect(evaluateHealth(200, report(), args)).toEqual({
      state: 'OK',
      line:
        'PORTHOLE OK - ok, version 0.1.0, 1/1 ingester(s) connected, newest event 12s old, 0 dead letter(s), 3 notification(s) due' +
        ' | lag=12s;;;0 dead_letters=0;1;;0 backlog=3;100;1000;0 ingesters=1;;;0',
    });
  });

  it('is WARNING when degraded, naming what fails (one line, no stray |)', () => {
    const r = evaluateHealth(200, report({ status: 'degraded', checks: { database: 'ok', ldap: 'connect ECONNREFUSED\nx|y', broker: 'ok' } }), args);
    expect(r.state).toBe('WARNING');
    expect(r.line).toMatch(/^PORTHOLE WARNING - degraded, version 0\.1\.0, ldap: connect ECONNREFUSED x y, 1\/1 ingester/);
    expect(r.line.split('|')).toHaveLength(2);
  });

  it('is CRITICAL when the database is down (503), with the reason', () => {
    const down = { status: 'down', checks: { database: 'connect ECONNREFUSED 127.0.0.1:3306', ldap: 'ok', broker: 'ok' }, version: '0.1.0', pipeline: null };
    expect(evaluateHealth(503, down, args)).toEqual({ state: 'CRITICAL', line: 'PORTHOLE CRITICAL - down, version 0.1.0; database: connect ECONNREFUSED 127.0.0.1:3306' });
  });

  it('applies the thresholds: the worst one wins', () => {
    expect(evaluateHealth(200, report({}, { deadLetters: 1 }), args).state).toBe('WARNING');
    expect(evaluateHealth(200, report({}, { notificationBacklog: 99 }), args).state).toBe('OK');
    expect(evaluateHealth(200, report({}, { notificationBacklog: 100 }), args).state).toBe('WARNING');
    expect(evaluateHealth(200, report({}, { notificationBacklog: 1000, deadLetters: 5 }), args).state).toBe('CRITICAL');
    const lag = { ...args, lag: { warn: 300, crit: 900 } };
    expect(evaluateHealth(200, report({}, { lagSeconds: 299 }), lag).state).toBe('OK');
    expect(evaluateHealth(200, report({}, { lagSeconds: 300 }), lag).state).toBe('WARNING');
    expect(evaluateHealth(200, report({}, { lagSeconds: 900 }), lag)).toMatchObject({ state: 'CRITICAL', line: expect.stringContaining('lag=900s;300;900;0') });
  });

  it('is WARNING with fewer connected ingesters than asked for, unless told 0', () => {
    const stale = report({}, { ingesters: [{ instance: 'mq1', destination: '/q', connected: false, heartbeatAgeSeconds: 400, lastMessageAt: null }] });
    expect(evaluateHealth(200, stale, args)).toMatchObject({ state: 'WARNING', line: expect.stringContaining('0/1 ingester(s) connected') });
    expect(evaluateHealth(200, stale, { ...args, minIngesters: 0 }).state).toBe('OK');
    expect(evaluateHealth(200, report({}, { ingesters: [] }), args).state).toBe('WARNING');
  });

  it('reports the broker\'s queue depth where the portal has it, with its thresholds', () => {
    expect(evaluateHealth(200, report(), args).line).not.toContain('queue=');
    expect(evaluateHealth(200, report({}, { queueDepth: null }), args).line).not.toContain('queue=');
    const queue = { ...args, queue: { warn: 1000, crit: 10000 } };
    expect(evaluateHealth(200, report({}, { queueDepth: 999 }), queue)).toMatchObject({ state: 'OK', line: expect.stringContaining('999 event(s) waiting on the broker') });
    expect(evaluateHealth(200, report({}, { queueDepth: 1000 }), queue).state).toBe('WARNING');
    expect(evaluateHealth(200, report({}, { queueDepth: 10000 }), queue)).toMatchObject({ state: 'CRITICAL', line: expect.stringContaining('queue=10000;1000;10000;0') });
  });

  it('reports no lag perfdata before the first event', () => {
    const r = evaluateHealth(200, report({}, { lagSeconds: null }), args);
    expect(r.line).toContain('no events stored yet');
    expect(r.line).not.toContain('lag=');
  });

  it('is UNKNOWN for an answer that is not a health report (a login page, a 404), CRITICAL for a bare 5xx', () => {
    expect(evaluateHealth(200, null, args)).toEqual({ state: 'UNKNOWN', line: 'PORTHOLE UNKNOWN - HTTP 200 without a health report' });
    expect(evaluateHealth(401, { error: 'Authentication required.' }, args).state).toBe('UNKNOWN');
    expect(evaluateHealth(502, null, args).state).toBe('CRITICAL');
    expect(evaluateHealth(200, { status: 'fine', checks: {} }, args).state).toBe('UNKNOWN');
  });
});

describe('checkPorthole over HTTP', () => {
  let server: http.Server;
  let base = '';
  let answer: { status: number; body: string; delayMs?: number } = { status: 200, body: '' };
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      setTimeout(() => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body), answer.delayMs ?? 0);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });
  const args = (over: Partial<CheckArgs> = {}): CheckArgs => ({ ...defaults(), url: `${base}/api/health`, ...over });

  it('exits with the Nagios code of the verdict, the line on stdout', async () => {
    const out: string[] = [];
    const run = (argv: string[]) => checkPortholeMain({ argv, env: {}, stdout: async (t) => (out.push(t), true), stderr: () => undefined });
    answer = { status: 200, body: JSON.stringify(report()) };
    expect(await run([base])).toBe(NAGIOS.OK);
    answer = { status: 200, body: JSON.stringify(report({ status: 'degraded' })) };
    expect(await run([base])).toBe(NAGIOS.WARNING);
    answer = { status: 503, body: JSON.stringify({ ...report({ status: 'down' }), pipeline: null }) };
    expect(await run([base])).toBe(NAGIOS.CRITICAL);
    answer = { status: 200, body: '<html>login</html>' };
    expect(await run([base])).toBe(NAGIOS.UNKNOWN);
    expect(await run(['--lag', 'x', base])).toBe(NAGIOS.UNKNOWN);
    expect(out.every((line) => /^PORTHOLE (OK|WARNING|CRITICAL|UNKNOWN) - [^\n]*\n$/.test(line))).toBe(true);
    expect(out.at(-1)).toBe('PORTHOLE UNKNOWN - --lag: expected WARN,CRIT (either may be empty), got "x"\n');
  });

  it('is CRITICAL when the portal does not answer in time or at all', async () => {
    answer = { status: 200, body: JSON.stringify(report()), delayMs: 1000 };
    expect(await checkPorthole(args({ timeoutMs: 100 }))).toEqual({ state: 'CRITICAL', line: `PORTHOLE CRITICAL - ${base}/api/health: no answer in 0.1s` });
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await checkPorthole(args({ url: `http://127.0.0.1:${port}/api/health` }))).toEqual({
      state: 'CRITICAL',
      line: `PORTHOLE CRITICAL - http://127.0.0.1:${port}/api/health: ECONNREFUSED`,
    });
  });
});
