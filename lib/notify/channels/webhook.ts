import { createHmac, timingSafeEqual } from 'node:crypto';
import { safePost } from '../../net/safe-fetch';
import type { Channel, ContactTarget, OutgoingMessage, SendResult } from './types';

// A signed JSON POST (or a Slack- or ntfy-shaped one) to the customer's receiver. The signature covers
// the timestamp and the body, so a receiver can refuse forgeries and replays; the idempotency key lets
// it drop the one repeat a notifier crash can cause.

export type WebhookTarget = Extract<ContactTarget, { kind: 'webhook' }>;

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers (and tests): the signature is right and the timestamp within `toleranceSec` of now. */
export function verifyWebhookSignature(secret: string, headers: Record<string, string | string[] | undefined>, body: string, toleranceSec = 300, now = Date.now()): boolean {
  const timestamp = Number(headers['x-porthole-timestamp']);
  const given = String(headers['x-porthole-signature'] ?? '');
  if (!Number.isInteger(timestamp) || Math.abs(now / 1000 - timestamp) > toleranceSec) return false;
  const expected = signWebhook(secret, timestamp, body);
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

function shape(preset: WebhookTarget['preset'], m: OutgoingMessage): { body: string; headers: Record<string, string> } {
  if (preset === 'slack') return { body: JSON.stringify({ text: `*${m.subject}*\n${m.text}` }), headers: { 'Content-Type': 'application/json' } };
  if (preset === 'ntfy') {
    return {
      body: m.short,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', // HTTP headers carry ASCII only.
        Title: /^[\x20-\x7e]*$/.test(m.subject) ? m.subject : 'Porthole alert', Priority: m.urgent ? '5' : '3', Tags: m.urgent ? 'rotating_light' : 'warning', ...(m.url ? { Click: m.url } : {}) },
    };
  }
  return { body: JSON.stringify({ id: m.idempotencyKey, subject: m.subject, text: m.text, url: m.url ?? null, urgent: m.urgent, ...m.data }), headers: { 'Content-Type': 'application/json' } };
}

export function createWebhookChannel({ allowNetworks = [] as string[], timeoutMs = 10_000, userAgent = 'Porthole-Alerts/1' } = {}): Channel<WebhookTarget> {
  return {
    kind: 'webhook',
    async send(target: WebhookTarget, message: OutgoingMessage): Promise<SendResult> {
      const { body, headers } = shape(target.preset, message);
      const timestamp = Math.floor(Date.now() / 1000);
      const answer = await safePost(target.url, {
        body,
        timeoutMs,
        allowNetworks,
        headers: {
          ...headers,
          'User-Agent': userAgent,
          'Idempotency-Key': message.idempotencyKey,
          'X-Porthole-Timestamp': String(timestamp),
          'X-Porthole-Signature': signWebhook(target.secret, timestamp, body),
        },
      });
      if (!answer.ok) return { ok: false, error: { error: answer.error.message, retryable: answer.error.kind === 'timeout' || answer.error.kind === 'network' } };
      const { status } = answer.value;
      const text = `${status} ${answer.value.body.slice(0, 200)}`.trim();
      if (status >= 200 && status < 300) return { ok: true, value: { response: text } };
      return { ok: false, error: { error: `The receiver answered ${text}`, retryable: status >= 500 || status === 408 || status === 429 } };
    },
    async close() {},
  };
}
