import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { parseEnv } from '../../config/parse-env';
import type { Channel, ContactTarget, OutgoingMessage, SendResult } from './types';

// Email over SMTP with nodemailer's pooled transport: a few long-lived connections carry many messages
// (the notifier sends in parallel). The server's own reply is what the delivery log keeps.

export type EmailTarget = Extract<ContactTarget, { kind: 'email' }>;

export interface EmailChannelOptions {
  /** smtp://[user:pass@]host:port, or smtps:// for TLS from the first byte. */
  url: string;
  from: string;
  pool?: { maxConnections?: number; maxMessages?: number };
  timeoutMs?: number;
}

/** One line, no CR/LF: nothing a rule name or service name holds can add a header. */
const headerSafe = (text: string) => text.replace(/[\r\n\t]+/g, ' ').slice(0, 250);

/** The same idempotency key gives the same Message-ID, so a repeat after a crash is one thread for mail clients. */
const messageId = (key: string) => `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@porthole.alerts>`;

function retryable(error: { responseCode?: number; code?: string }): boolean {
  if (typeof error.responseCode === 'number') return error.responseCode < 500;
  return true; // connection refused, timeouts, TLS hiccups: try again later
}

export function createEmailChannel(options: EmailChannelOptions): Channel<EmailTarget> {
  const timeout = options.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: options.pool?.maxConnections ?? 5,
    maxMessages: options.pool?.maxMessages ?? 500,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    kind: 'email',
    async send(target: EmailTarget, message: OutgoingMessage): Promise<SendResult> {
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: target.address,
          subject: headerSafe(message.subject),
          text: message.text,
          messageId: messageId(message.idempotencyKey),
          headers: { 'X-Porthole-Delivery': headerSafe(message.idempotencyKey), ...(message.urgent ? { Importance: 'high' } : {}) },
        });
        const rejected = info.rejected as unknown[];
        if (rejected.length > 0) return { ok: false, error: { error: `The server refused ${String(rejected[0])}.`, retryable: false } };
        return { ok: true, value: { response: info.response } };
      } catch (error) {
        const e = error as Error & { responseCode?: number; code?: string; response?: string };
        return { ok: false, error: { error: e.response ?? `${e.code ? `${e.code}: ` : ''}${e.message}`, retryable: retryable(e) } };
      }
    },
    async close() {
      transport.close();
    },
  };
}

const emailEnvSchema = z.object({
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must be smtp://host:port or smtps://host:port').default('smtp://127.0.0.1:24025'),
  ALERT_MAIL_FROM: z.string().min(3).default('Porthole <alerts@porthole.invalid>'),
});

export function loadEmailConfig(env: NodeJS.ProcessEnv = process.env): EmailChannelOptions {
  const parsed = parseEnv(emailEnvSchema, env);
  return { url: parsed.SMTP_URL, from: parsed.ALERT_MAIL_FROM };
}
