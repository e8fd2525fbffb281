import type { Agent } from 'node:https';
import webpush from 'web-push';
import { z } from 'zod';
import { parseEnv } from '../../config/parse-env';
import { checkTargetUrl } from '../../net/safe-target';
import type { Channel, ContactTarget, OutgoingMessage, SendResult } from './types';

// Web Push with VAPID (RFC 8291/8292) through web-push: the payload is encrypted for the subscribing
// browser; the push service only relays it. The endpoint came from a browser, so it is checked like a webhook.

export type PushTarget = Extract<ContactTarget, { kind: 'push' }>;

export interface VapidConfig {
  publicKey: string;
  privateKey: string;
  subject: string;
}

export interface PushChannelOptions {
  vapid: VapidConfig;
  allowNetworks?: string[];
  ttlSeconds?: number;
  /** Push services speak HTTPS only; tests pass an agent that trusts their local endpoint's certificate. */
  agent?: Agent;
}

export function createPushChannel({ vapid, allowNetworks = [], ttlSeconds = 3600, agent }: PushChannelOptions): Channel<PushTarget> {
  return {
    kind: 'push',
    async send(target: PushTarget, message: OutgoingMessage): Promise<SendResult> {
      const checked = await checkTargetUrl(target.endpoint, { allowNetworks });
      if (!checked.ok) return { ok: false, error: { error: checked.error, retryable: false } };
      const payload = JSON.stringify({ title: message.subject, body: message.short, url: message.url ?? '/', tag: message.idempotencyKey });
      try {
        const result = await webpush.sendNotification({ endpoint: target.endpoint, keys: target.keys }, payload, {
          vapidDetails: vapid,
          TTL: ttlSeconds,
          urgency: message.urgent ? 'high' : 'normal',
          timeout: 10_000,
          ...(agent ? { agent } : {}),
        });
        return { ok: true, value: { response: `${result.statusCode} ${String(result.body ?? '').slice(0, 200)}`.trim() } };
      } catch (error) {
        const e = error as Error & { statusCode?: number; body?: string };
        if (e.statusCode === 404 || e.statusCode === 410) return { ok: false, error: { error: 'The subscription expired: subscribe this device again.', retryable: false } };
        const status = e.statusCode;
        return { ok: false, error: { error: `${status ? `${status} ` : ''}${e.body || e.message}`.slice(0, 500), retryable: status === undefined || status >= 500 || status === 429 } };
      }
    },
    async close() {},
  };
}

const vapidSchema = z.object({
  VAPID_PUBLIC_KEY: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/, 'must be a URL-safe base64 P-256 public key (npx web-push generate-vapid-keys)'),
  VAPID_PRIVATE_KEY: z.string().regex(/^[A-Za-z0-9_-]{40,50}$/, 'must be a URL-safe base64 P-256 private key'),
  VAPID_SUBJECT: z.string().regex(/^(mailto:|https:\/\/)/, 'must be a mailto: or https: URL').default('mailto:alerts@porthole.invalid'),
});

export function loadVapidConfig(env: NodeJS.ProcessEnv = process.env): VapidConfig {
  const v = parseEnv(vapidSchema, env);
  return { publicKey: v.VAPID_PUBLIC_KEY, privateKey: v.VAPID_PRIVATE_KEY, subject: v.VAPID_SUBJECT };
}

export const generateVapidKeys = () => webpush.generateVAPIDKeys();
