import { z } from 'zod';
import { parseEnv } from '../../config/parse-env';
import { fail, ok, type Result } from '../../result';
import type { Channel, ContactTarget, OutgoingMessage, SendResult } from './types';

// SMS through an HTTP gateway's send URL (Kannel's /cgi-bin/sendsms). Kannel answers 202 and then
// silently drops whatever does not fit its max-messages parts, so this channel counts parts itself
// and shortens a text that would not fit, visibly, with an ellipsis.

export type SmsTarget = Extract<ContactTarget, { kind: 'sms' }>;

/** What the gateway allows per message (the stack's Kannel: `max-messages = 3`). */
export const SMS_MAX_PARTS = 3;

// The GSM 03.38 default alphabet (without ESC) and its extension table, whose characters take two septets.
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENDED = new Set('\f^{}\\[~]|€');

export type SmsCoding = 'gsm7' | 'ucs2';

export interface SmsParts {
  coding: SmsCoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  parts: number;
}

/** GSM-7 when every character is in the default alphabet or its extension, else UCS-2. */
export function smsCoding(text: string): SmsCoding {
  for (const char of text) if (!GSM7_BASIC.has(char) && !GSM7_EXTENDED.has(char)) return 'ucs2';
  return 'gsm7';
}

const unitsOf = (char: string, coding: SmsCoding): number =>
  coding === 'gsm7' ? (GSM7_EXTENDED.has(char) ? 2 : 1) : char.length; // an astral character is a surrogate pair

/**
 * How many messages the text takes: one of 160 septets / 70 UCS-2 units, else parts of 153 / 67 (the
 * concatenation header takes the rest), filled the way Kannel splits: a character is never cut in two.
 */
export function countSmsParts(text: string, coding: SmsCoding = smsCoding(text)): SmsParts {
  const [single, perPart] = coding === 'gsm7' ? [160, 153] : [70, 67];
  const chars = Array.from(text);
  const units = chars.reduce((sum, char) => sum + unitsOf(char, coding), 0);
  if (units <= single) return { coding, units, parts: 1 };
  let parts = 1;
  let used = 0;
  for (const char of chars) {
    const size = unitsOf(char, coding);
    if (used + size > perPart) {
      parts += 1;
      used = 0;
    }
    used += size;
  }
  return { coding, units, parts };
}

export interface FittedSms extends SmsParts {
  text: string;
  shortened: boolean;
}

/** The text as sent: whole when it fits `maxParts`, else its longest prefix that fits with an ellipsis. */
export function fitSms(text: string, maxParts: number = SMS_MAX_PARTS): FittedSms {
  const coding = smsCoding(text);
  const whole = countSmsParts(text, coding);
  if (whole.parts <= maxParts) return { ...whole, text, shortened: false };
  // "…" is not in GSM-7; three dots keep a GSM text in GSM (and its 153 septets per part).
  const ellipsis = coding === 'gsm7' ? '...' : '…';
  const chars = Array.from(text);
  const withEllipsis = (n: number) => chars.slice(0, n).join('').trimEnd() + ellipsis;
  let low = 0;
  let high = chars.length - 1; // the whole text does not fit
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (countSmsParts(withEllipsis(mid), coding).parts <= maxParts) low = mid;
    else high = mid - 1;
  }
  const shortened = withEllipsis(low);
  return { ...countSmsParts(shortened, coding), text: shortened, shortened: true };
}

/** E.164: `+`, then 8 to 15 digits, the first not 0. Spaces, dashes, dots and parentheses are dropped. */
export function normalisePhoneNumber(input: string): Result<string, string> {
  const compact = input.trim().replace(/[\s\-().]/g, '');
  if (!compact.startsWith('+')) {
    return fail(`"${input}" is not an international number: write it with + and the country code, like +49 151 12345678`);
  }
  if (!/^\+[1-9]\d{7,14}$/.test(compact)) {
    return fail(`"${input}" is not a phone number: + and the country code, then 8 to 15 digits in all`);
  }
  return ok(compact);
}

export interface SmsChannelOptions {
  /** The gateway's send URL with its credentials, e.g. http://127.0.0.1:24013/cgi-bin/sendsms?username=…&password=…. */
  url: string;
  /** Per request; a gateway that does not answer in time counts as a retryable failure. */
  timeoutMs?: number;
  maxParts?: number;
}

/** Kannel's body is "<status>: <text>"; 3 means it queued the message as its SMSC is not connected. */
function describeAccepted(body: string, sms: FittedSms): string {
  const parts = `${sms.parts} ${sms.parts === 1 ? 'part' : 'parts'}${sms.coding === 'ucs2' ? ', UCS-2' : ''}`;
  const notes = [parts];
  if (sms.shortened) notes.push(`text shortened to fit ${sms.parts} parts`);
  if (body.startsWith('3:')) notes.push('queued by the gateway, not yet handed to the operator');
  return `${body} (${notes.join('; ')})`;
}

export function createSmsChannel(options: SmsChannelOptions): Channel<SmsTarget> {
  const base = new URL(options.url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxParts = options.maxParts ?? SMS_MAX_PARTS;

  return {
    kind: 'sms',

    async send(target: SmsTarget, message: OutgoingMessage): Promise<SendResult> {
      const number = normalisePhoneNumber(target.number);
      if (!number.ok) return fail({ error: number.error, retryable: false });
      const sms = fitSms(message.short, maxParts);

      const url = new URL(base);
      url.searchParams.set('to', number.value);
      url.searchParams.set('text', sms.text);
      if (sms.coding === 'ucs2') {
        // Without these Kannel sends GSM-7 and turns every other character into "?".
        url.searchParams.set('coding', '2');
        url.searchParams.set('charset', 'UTF-8');
      }

      let status: number;
      let body: string;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        status = response.status;
        body = (await response.text()).trim();
      } catch (error) {
        const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
        const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (cause ?? (error as Error).message);
        return fail({ error: `SMS gateway ${base.host} unreachable: ${reason}`, retryable: true });
      }

      if (status >= 200 && status < 300) return ok({ response: describeAccepted(body, sms) });
      // 4xx: our request (credentials, number, text) is wrong and will be on a retry too.
      return fail({ error: `SMS gateway answered ${status} ${body}`, retryable: status >= 500 || status === 429 });
    },

    async close() {
      // One request per message, no pooled connection of ours.
    },
  };
}

const smsEnvSchema = z.object({
  KANNEL_SENDSMS_PORT: z.coerce.number().int().min(1).max(65535).default(24013),
  SMS_GATEWAY_URL: z
    .url()
    .regex(/^https?:\/\//, 'must be an http:// or https:// send URL')
    .optional(),
});

export interface SmsConfig {
  url: string;
}

/** SMS_GATEWAY_URL, by default the local stack's Kannel (scripts/stack/kannel.ts) with its sendsms user. */
export function loadSmsConfig(env: NodeJS.ProcessEnv = process.env): SmsConfig {
  const parsed = parseEnv(smsEnvSchema, env);
  return {
    url:
      parsed.SMS_GATEWAY_URL ??
      `http://127.0.0.1:${parsed.KANNEL_SENDSMS_PORT}/cgi-bin/sendsms?username=porthole&password=porthole-sms`,
  };
}
