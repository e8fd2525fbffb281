import type { Result } from '../../result';

// What every channel is given and answers. A channel is one protocol (SMTP, an SMS gateway's HTTP
// API, a webhook POST, Web Push); the notifier decides what to send and records what the channel said.

/** A message as rendered for one contact (lib/alerts/render.ts makes it). */
export interface OutgoingMessage {
  /** Unique per (rule, event, contact, repeat): receivers use it to drop a repeated delivery. */
  idempotencyKey: string;
  subject: string;
  /** The full text (email body, webhook `text`). */
  text: string;
  /** At most 160 characters when it can be: SMS and push bodies. */
  short: string;
  /** A link into the portal (the VM page), absolute. */
  url?: string;
  /** The structured payload a webhook receives beside the text. */
  data: Record<string, unknown>;
  /** Urgent (CRITICAL/DOWN) vs not: push urgency, ntfy priority. */
  urgent: boolean;
}

export type ContactTarget =
  | { kind: 'email'; address: string }
  | { kind: 'sms'; number: string }
  | { kind: 'webhook'; url: string; secret: string; preset: 'generic' | 'slack' | 'ntfy' }
  | { kind: 'push'; endpoint: string; keys: { p256dh: string; auth: string } };

/** `response` is the server's own answer, kept in the delivery log (e.g. "250 2.0.0 Ok: queued"). */
export type SendResult = Result<{ response: string }, { error: string; retryable: boolean }>;

export interface Channel<T extends ContactTarget = ContactTarget> {
  readonly kind: T['kind'];
  send(target: T, message: OutgoingMessage): Promise<SendResult>;
  /** Closes pooled connections (the notifier's shutdown). */
  close(): Promise<void>;
}

/** The channels a process has, by contact kind (the alarm needs none: it is shown by open dashboards). */
export type Channels = Partial<{ [K in ContactTarget['kind']]: Channel<Extract<ContactTarget, { kind: K }>> }>;
