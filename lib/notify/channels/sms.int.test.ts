import { randomInt, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kannelSendsmsUrl } from '../../../scripts/stack/kannel';
import { waitForSms } from '../../testing/fake-smsc';
import { createSmsChannel, fitSms } from './sms';
import type { OutgoingMessage } from './types';

// Against the stack's real Kannel (bearerbox + smsbox) and its fake SMSC, which logs what it receives.
const run = randomUUID().slice(0, 8);
const channel = createSmsChannel({ url: kannelSendsmsUrl() });

/** A number of this run's own, written the way a person types it. */
const newNumber = () => {
  const digits = String(randomInt(10_000_000, 99_999_999));
  return { typed: `+49 (151) ${digits.slice(0, 4)}-${digits.slice(4)}`, e164: `+49151${digits}` };
};

const message = (short: string): OutgoingMessage => ({
  idempotencyKey: `sms-test-${run}`,
  subject: 'web-01 DOWN',
  text: short,
  short,
  data: {},
  urgent: true,
});

/** GSM-7 filler (no newlines: the fake SMSC's protocol splits a text at them). */
const filler = (length: number, head: string) => (head + ' ' + 'web-01 is DOWN, ping 100% loss. '.repeat(30)).slice(0, length);

describe('SMS channel against Kannel', () => {
  it('delivers a message to the fake SMSC with the number in E.164 and the text as is', async () => {
    const { typed, e164 } = newNumber();
    const text = `Porthole ${run}: web-01 DOWN (ping) {x} € Ü`;
    const result = await channel.send({ kind: 'sms', number: typed }, message(text));
    expect(result).toEqual({ ok: true, value: { response: '0: Accepted for delivery (1 part)' } });
    const sms = await waitForSms((s) => s.number === e164);
    expect(sms).toMatchObject({ number: e164, text, coding: 'gsm7', parts: 1 });
  });

  it('sends a text outside GSM-7 as UCS-2, so it arrives unchanged', async () => {
    const { typed, e164 } = newNumber();
    const text = `Ü ✓ ${run} 😀`;
    const result = await channel.send({ kind: 'sms', number: typed }, message(text));
    expect(result.ok && result.value.response).toBe('0: Accepted for delivery (1 part, UCS-2)');
    const sms = await waitForSms((s) => s.number === e164);
    expect(sms).toMatchObject({ text, coding: 'ucs2', parts: 1 });
  });

  it('delivers a 300-character text whole, in 2 parts', async () => {
    const { typed, e164 } = newNumber();
    const text = filler(300, run);
    const result = await channel.send({ kind: 'sms', number: typed }, message(text));
    expect(result.ok && result.value.response).toBe('0: Accepted for delivery (2 parts)');
    const sms = await waitForSms((s) => s.number === e164);
    expect(sms.parts).toBe(2);
    expect(sms.text).toBe(text);
  });

  it('shortens a 600-character text to 3 parts with a visible ellipsis; what arrives is what was sent', async () => {
    const { typed, e164 } = newNumber();
    const text = filler(600, run);
    const result = await channel.send({ kind: 'sms', number: typed }, message(text));
    expect(result.ok && result.value.response).toBe('0: Accepted for delivery (3 parts; text shortened to fit 3 parts)');
    const sms = await waitForSms((s) => s.number === e164);
    expect(sms.parts).toBe(3);
    expect(sms.text).toBe(fitSms(text).text);
    expect(sms.text.endsWith('...')).toBe(true);
    expect(text.startsWith(sms.text.slice(0, -3))).toBe(true);
    expect(sms.text.length).toBeGreaterThan(440); // 3 × 153 septets, the extension characters none
  });

  it('counts € (two septets) the way Kannel splits, so a shortened text with many of them arrives whole', async () => {
    const { typed, e164 } = newNumber();
    // 459 septets, but a € at each part boundary cannot be split: 4 parts, shortened to 3.
    const text = `${run} ${'a'.repeat(143)}€${'b'.repeat(151)}€${'c'.repeat(152)}`;
    const result = await channel.send({ kind: 'sms', number: typed }, message(text));
    expect(result.ok && result.value.response).toBe('0: Accepted for delivery (3 parts; text shortened to fit 3 parts)');
    const sms = await waitForSms((s) => s.number === e164);
    expect(sms).toMatchObject({ parts: 3, text: fitSms(text).text });
    expect(sms.text).toMatch(/c\.\.\.$/);
  });

  it('shortens a long UCS-2 text to 3 × 67 units and it arrives so', async () => {
    const { typed, e164 } = newNumber();
    const text = `${run} ✓ ${'Ölstand kritisch ✓ '.repeat(20)}`;
    const result = await channel.send({ kind: 'sms', number: typed }, message(text));
    expect(result.ok).toBe(true);
    const sms = await waitForSms((s) => s.number === e164);
    expect(sms).toMatchObject({ coding: 'ucs2', parts: 3, text: fitSms(text).text });
    expect(sms.text.endsWith('…')).toBe(true);
  });

  it('a wrong password is refused and not retried', async () => {
    const url = kannelSendsmsUrl().replace('password=porthole-sms', 'password=wrong');
    const result = await createSmsChannel({ url }).send({ kind: 'sms', number: newNumber().typed }, message(`wrong ${run}`));
    expect(result).toEqual({ ok: false, error: { error: 'SMS gateway answered 403 Authorization failed for sendsms', retryable: false } });
  });
});

describe('SMS channel when the gateway is unwell', () => {
  const servers: http.Server[] = [];
  const listen = async (handler: http.RequestListener): Promise<number> => {
    const server = http.createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };
  let closedPort: number;

  beforeAll(async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closedPort = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
  });
  afterAll(async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a closed port is retryable', async () => {
    const channel = createSmsChannel({ url: `http://127.0.0.1:${closedPort}/cgi-bin/sendsms?username=porthole&password=x` });
    const result = await channel.send({ kind: 'sms', number: '+4915112345678' }, message(`closed ${run}`));
    expect(result).toEqual({ ok: false, error: { error: `SMS gateway 127.0.0.1:${closedPort} unreachable: ECONNREFUSED`, retryable: true } });
  });

  it('a gateway that does not answer in time is retryable', async () => {
    const port = await listen(() => undefined); // reads the request, never answers
    const channel = createSmsChannel({ url: `http://127.0.0.1:${port}/cgi-bin/sendsms`, timeoutMs: 300 });
    const result = await channel.send({ kind: 'sms', number: '+4915112345678' }, message(`slow ${run}`));
    expect(result).toEqual({ ok: false, error: { error: `SMS gateway 127.0.0.1:${port} unreachable: no answer within 0.3 s`, retryable: true } });
  });

  it("a 503 (Kannel's temporary failure) is retryable, a 400 is not", async () => {
    const port = await listen((req, res) => {
      const bad = new URL(req.url!, 'http://x').searchParams.get('text')?.startsWith('bad');
      res.writeHead(bad ? 400 : 503).end(bad ? 'Missing receiver number, rejected' : 'Temporal failure, try again later.');
    });
    const channel = createSmsChannel({ url: `http://127.0.0.1:${port}/cgi-bin/sendsms` });
    const unavailable = await channel.send({ kind: 'sms', number: '+4915112345678' }, message(`temp ${run}`));
    expect(unavailable).toEqual({ ok: false, error: { error: 'SMS gateway answered 503 Temporal failure, try again later.', retryable: true } });
    const bad = await channel.send({ kind: 'sms', number: '+4915112345678' }, message(`bad ${run}`));
    expect(bad).toEqual({ ok: false, error: { error: 'SMS gateway answered 400 Missing receiver number, rejected', retryable: false } });
  });
});
