import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_REPLY_LINE, MAX_REPLY_LINES, ReplyParser, SmtpProtocolError, printable, probeRcpt } from './smtp-probe';

describe('ReplyParser', () => {
  it('reads single and multi-line replies, with or without CR, across chunk boundaries', () => {
    const p = new ReplyParser();
    expect(p.push('220 mx1.example ESMTP Postfix\r\n250-mx1.exa')).toEqual([{ code: 220, enhanced: null, lines: ['mx1.example ESMTP Postfix'] }]);
    expect(p.partial).toBe(true);
    expect(p.push('mple\r\n250-PIPELINING\n250 DSN\r\n')).toEqual([{ code: 250, enhanced: null, lines: ['mx1.example', 'PIPELINING', 'DSN'] }]);
    expect(p.push('554 5.7.1 <a@b.test>: Relay access denied\r\n')).toEqual([
      { code: 554, enhanced: '5.7.1', lines: ['5.7.1 <a@b.test>: Relay access denied'] },
    ]);
    expect(p.push('250\r\n')).toEqual([{ code: 250, enhanced: null, lines: [''] }]);
    expect(p.partial).toBe(false);
  });

  it.each([
    ['garbage', 'HTTP/1.1 400 Bad Request\r\n', /not an SMTP reply/],
    ['a code out of range', '999 what\r\n', /not an SMTP reply/],
    ['a code glued to its text', '250OK\r\n', /not an SMTP reply/],
    ['a multi-line reply that changes its code', '250-one\r\n554 two\r\n', /changed its code from 250 to 554/],
  ])('refuses %s', (_what, input, message) => {
    expect(() => new ReplyParser().push(input)).toThrow(message);
  });

  it('refuses an overlong line, complete or still arriving', () => {
    expect(() => new ReplyParser().push(`250 ${'x'.repeat(MAX_REPLY_LINE)}\r\n`)).toThrow(SmtpProtocolError);
    const p = new ReplyParser();
    expect(() => {
      for (let i = 0; i < 10; i++) p.push('x'.repeat(MAX_REPLY_LINE / 4));
    }).toThrow(/longer than/);
  });

  it('refuses an endless multi-line reply', () => {
    expect(() => new ReplyParser().push('250-x\r\n'.repeat(MAX_REPLY_LINES + 1))).toThrow(/more than 64 lines/);
  });

  it('shows control characters instead of passing them on, and shortens long lines', () => {
    expect(printable('250 ok\x1b[31m\x00')).toBe('250 ok\\x1b[31m\\x00');
    expect(printable('y'.repeat(700))).toMatch(/^y{600}… \(100 more characters\)$/);
  });
});

// A scripted server on loopback: each entry answers one line the client sends (the first, the greeting).
type Script = Array<string | ((socket: net.Socket) => void)>;
let server: net.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function scripted(script: Script): Promise<number> {
  server = net.createServer((socket) => {
    const steps = [...script];
    const next = () => {
      const step = steps.shift();
      if (step === undefined) return;
      if (typeof step === 'string') socket.write(step);
      else step(socket);
    };
    next();
    socket.on('data', () => next());
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server!.address() as net.AddressInfo).port;
}

const probe = (port: number, timeoutMs = 1000) =>
  probeRcpt({ address: '127.0.0.1', port, helo: 'check.test', mailFrom: 'postmaster@mx.test', rcptTo: 'postmaster@other.test', timeoutMs, deadlineMs: 5000 });

describe('probeRcpt', () => {
  it('holds the conversation up to RCPT TO, then QUIT, keeping every line', async () => {
    const port = await scripted(['220 mx ESMTP\r\n', '250-mx\r\n250 PIPELINING\r\n', '250 2.1.0 Ok\r\n', '554 5.7.1 Relay access denied\r\n', '221 Bye\r\n']);
    const r = await probe(port);
    expect(r).toMatchObject({ rcpt: { code: 554, enhanced: '5.7.1' }, stoppedAt: null, error: null });
    expect(r.transcript.map((l) => `${l.from}: ${l.text}`)).toEqual([
      `note: connecting to 127.0.0.1 port ${port}`,
      'server: 220 mx ESMTP',
      'client: EHLO check.test',
      'server: 250-mx',
      'server: 250 PIPELINING',
      'client: MAIL FROM:<postmaster@mx.test>',
      'server: 250 2.1.0 Ok',
      'client: RCPT TO:<postmaster@other.test>',
      'server: 554 5.7.1 Relay access denied',
      'client: QUIT',
      'server: 221 Bye',
    ]);
  });

  it('falls back to HELO when EHLO is not understood', async () => {
    const port = await scripted(['220 old\r\n', '502 what\r\n', '250 hi\r\n', '250 ok\r\n', '250 ok\r\n', '221 bye\r\n']);
    const r = await probe(port);
    expect(r.rcpt?.code).toBe(250);
    expect(r.transcript.filter((l) => l.from === 'client').map((l) => l.text)).toEqual(['EHLO check.test', 'HELO check.test', 'MAIL FROM:<postmaster@mx.test>', 'RCPT TO:<postmaster@other.test>', 'QUIT']);
  });

  it('stops at a refused greeting or sender without reaching RCPT', async () => {
    const refusing = await probe(await scripted(['554 go away\r\n', '221 bye\r\n']));
    expect(refusing).toMatchObject({ rcpt: null, stoppedAt: 'greeting', stopReply: { code: 554 } });
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const sender = await probe(await scripted(['220 mx\r\n', '250 mx\r\n', '553 5.1.8 sender refused\r\n', '221 bye\r\n']));
    expect(sender).toMatchObject({ rcpt: null, stoppedAt: 'mail', stopReply: { code: 553 } });
  });

  it('times out on a silent server', async () => {
    const r = await probe(await scripted(['220 mx\r\n']), 300);
    expect(r).toMatchObject({ rcpt: null, stoppedAt: 'ehlo', error: 'no reply to EHLO within 0.3 s' });
  });

  it('gives up on garbage and on an overlong line, keeping what was seen', async () => {
    const garbage = await probe(await scripted(['SSH-2.0-OpenSSH_9.2\r\n']));
    expect(garbage).toMatchObject({ rcpt: null, stoppedAt: 'greeting' });
    expect(garbage.error).toMatch(/not an SMTP reply: "SSH-2.0-OpenSSH_9.2"/);
    expect(garbage.transcript.some((l) => l.from === 'server' && l.text === 'SSH-2.0-OpenSSH_9.2')).toBe(true);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const long = await probe(await scripted(['220 mx\r\n', `250 ${'A'.repeat(100_000)}`]));
    expect(long).toMatchObject({ rcpt: null, stoppedAt: 'ehlo', error: `reply line longer than ${MAX_REPLY_LINE} characters` });
  });

  it('refuses a server that talks before it is asked (unrequested pipelining)', async () => {
    const r = await probe(await scripted(['220 mx\r\n250 early\r\n']));
    expect(r.error).toBe('the server sent data before EHLO was sent');
  });

  it('reports a refused connection and a server that hangs up', async () => {
    const closed = await probe(await scripted([(s) => s.destroy()]));
    expect(closed).toMatchObject({ rcpt: null, stoppedAt: 'greeting', error: 'the server closed the connection' });
    const port = (server!.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const refused = await probe(port);
    expect(refused.stoppedAt).toBe('connect');
    expect(refused.error).toMatch(/could not connect: connect ECONNREFUSED/);
  });

  it('never puts a line break from an address on the wire', async () => {
    const r = await probeRcpt({ address: '127.0.0.1', port: 1, helo: 'x.test', mailFrom: 'a@b.test', rcptTo: 'x@y.test>\r\nDATA' });
    expect(r).toMatchObject({ stoppedAt: 'connect', transcript: [] });
    expect(r.error).toMatch(/cannot be sent in an SMTP command/);
  });
});
