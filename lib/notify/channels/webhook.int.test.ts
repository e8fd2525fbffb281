import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushService, pushSubscriber } from '../../testing/push-service';
import { createPushChannel, generateVapidKeys } from './push';
import type { OutgoingMessage } from './types';
import { createWebhookChannel, verifyWebhookSignature } from './webhook';

// Webhooks and Web Push against real HTTP receivers on loopback (allowed here as staff would allow a network).

interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}
const received: Received[] = [];
let respond: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => res.writeHead(200).end('thanks');
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
    respond(req, res);
  });
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const message: OutgoingMessage = {
  idempotencyKey: 'porthole-4-5-6-0',
  subject: 'Disk / on web-01 has a critical problem',
  text: 'Disk / on web-01 has a critical problem (since 10:02 UTC).',
  short: 'Disk / on web-01: critical',
  url: 'https://portal.test/vms/1',
  data: { rule: 'Ops' },
  urgent: true,
};
const allowed = createWebhookChannel({ allowNetworks: ['127.0.0.0/8'], timeoutMs: 1500 });
const last = () => received[received.length - 1]!;

describe('webhooks', () => {
  it('arrive signed (HMAC over timestamp and body) with the idempotency key; each preset has its shape', async () => {
    respond = (_req, res) => res.writeHead(200).end('ok');
    const r = await allowed.send({ kind: 'webhook', url: `${base}/generic`, secret: 's3cret', preset: 'generic' }, message);
    expect(r).toEqual({ ok: true, value: { response: '200 ok' } });
    const got = last();
    expect(verifyWebhookSignature('s3cret', got.headers, got.body.toString())).toBe(true);
    expect(verifyWebhookSignature('wrong', got.headers, got.body.toString())).toBe(false);
    expect(verifyWebhookSignature('s3cret', got.headers, `${got.body.toString()} `)).toBe(false);
    expect(got.headers['idempotency-key']).toBe('porthole-4-5-6-0');
    expect(JSON.parse(got.body.toString())).toMatchObject({ id: 'porthole-4-5-6-0', subject: message.subject, urgent: true, rule: 'Ops' });

    await allowed.send({ kind: 'webhook', url: `${base}/slack`, secret: 's', preset: 'slack' }, message);
    expect(JSON.parse(last().body.toString())).toEqual({ text: `*${message.subject}*\n${message.text}` });
    await allowed.send({ kind: 'webhook', url: `${base}/ntfy`, secret: 's', preset: 'ntfy' }, message);
    expect(last().body.toString()).toBe(message.short);
    expect(last().headers).toMatchObject({ title: message.subject, priority: '5', click: message.url });
  });

  it('5xx is retried, 4xx is not, a redirect is never followed, a slow receiver times out', async () => {
    respond = (_req, res) => res.writeHead(503).end('busy');
    expect(await allowed.send({ kind: 'webhook', url: `${base}/a`, secret: 's', preset: 'generic' }, message)).toEqual({ ok: false, error: { error: 'The receiver answered 503 busy', retryable: true } });
    respond = (_req, res) => res.writeHead(404).end('no');
    expect(await allowed.send({ kind: 'webhook', url: `${base}/a`, secret: 's', preset: 'generic' }, message)).toMatchObject({ ok: false, error: { retryable: false } });
    respond = (_req, res) => res.writeHead(302, { Location: 'http://169.254.169.254/latest' }).end();
    const before = received.length;
    const redirected = await allowed.send({ kind: 'webhook', url: `${base}/r`, secret: 's', preset: 'generic' }, message);
    expect(redirected).toMatchObject({ ok: false, error: { retryable: false } });
    expect(received.length).toBe(before + 1);
    respond = (_req, res) => setTimeout(() => res.writeHead(200).end(), 3000);
    expect(await allowed.send({ kind: 'webhook', url: `${base}/slow`, secret: 's', preset: 'generic' }, message)).toMatchObject({ ok: false, error: { retryable: true } });
  });

  it('without the allowed network the loopback receiver is refused and receives nothing', async () => {
    respond = (_req, res) => res.writeHead(200).end('ok');
    const before = received.length;
    const strict = createWebhookChannel({ timeoutMs: 1500 });
    for (const url of [`${base}/x`, base.replace('127.0.0.1', 'localhost'), base.replace('127.0.0.1', '[::ffff:127.0.0.1]')]) {
      const r = await strict.send({ kind: 'webhook', url, secret: 's', preset: 'generic' }, message);
      expect(r.ok, url).toBe(false);
    }
    expect(received.length).toBe(before);
  });
});

describe('web push', () => {
  it('a local push endpoint receives a VAPID-signed delivery that the subscribing browser can decrypt', async () => {
    const service = await startPushService();
    const browser = pushSubscriber();
    const vapid = generateVapidKeys();
    const push = createPushChannel({ vapid: { ...vapid, subject: 'mailto:ops@porthole.test' }, allowNetworks: ['127.0.0.0/8'], agent: service.agent });
    const r = await push.send({ kind: 'push', endpoint: `${service.base}/push/abc`, keys: browser.keys }, message);
    expect(r).toMatchObject({ ok: true, value: { response: expect.stringMatching(/^201/) } });
    const got = service.received.at(-1)!;
    expect(got.url).toBe('/push/abc');
    expect(String(got.headers.authorization)).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    expect(got.headers.urgency).toBe('high');
    expect(browser.decrypt(got.body)).toEqual({ title: message.subject, body: message.short, url: message.url, tag: message.idempotencyKey });

    service.respond = (_req, res) => res.writeHead(410).end();
    const gone = await push.send({ kind: 'push', endpoint: `${service.base}/push/old`, keys: browser.keys }, message);
    expect(gone).toEqual({ ok: false, error: { error: 'The subscription expired: subscribe this device again.', retryable: false } });
    await service.close();
  });
});
