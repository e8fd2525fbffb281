import { existsSync, readFileSync } from 'node:fs';
import { FAKESMSC_LOG } from '../../scripts/stack/kannel';

// What Kannel's fake SMSC (scripts/stack/kannel.ts) received, read from its log. It prints one line per
// part, as `DEBUG: Got message 7: <sender receiver KIND …>` where KIND is
//   text DATA            GSM text, as is (UTF-8)
//   ucs-2 ESCAPED        UTF-16BE bytes, URL-escaped (%XX, + for a space)
//   udh ESCAPED data ESCAPED   one part of a concatenated message (its header, then its bytes: UTF-8
//                        for GSM text, UTF-16BE for UCS-2; the line does not say which)
// The fake SMSC's protocol is line-based: a GSM text with a newline arrives as two messages.

export interface ReceivedSms {
  sender: string;
  /** The receiver as the gateway passed it on (with the + when the channel sent one). */
  number: string;
  text: string;
  coding: 'gsm7' | 'ucs2';
  /** 1, or the number of concatenated parts it arrived in. */
  parts: number;
}

const LINE = /DEBUG: Got message \d+: <(\S+) (\S+) (text|ucs-2|udh) (.*)>$/;

/** URL-escaped: `%XX` is a byte, `+` a space, any other character its own (ASCII) byte. */
function unescape(escaped: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < escaped.length; i++) {
    if (escaped[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(escaped.slice(i + 1, i + 3))) {
      bytes.push(parseInt(escaped.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (escaped[i] === '+') {
      bytes.push(0x20);
    } else {
      bytes.push(...Buffer.from(escaped[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

const decodeUcs2 = (bytes: Buffer): string => new TextDecoder('utf-16be').decode(bytes);

/**
 * Concatenated parts do not say their coding. UTF-16BE of any text with a Latin letter, digit or space
 * has NUL bytes, and of most other scripts control bytes; UTF-8 text has neither.
 */
function decodeJoined(bytes: Buffer): { text: string; coding: 'gsm7' | 'ucs2' } {
  const looksUcs2 = bytes.length % 2 === 0 && /[\x00-\x08\x0b\x0c\x0e-\x1f]/.test(bytes.toString('latin1'));
  if (!looksUcs2) {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), coding: 'gsm7' };
    } catch {
      // not UTF-8: UCS-2 after all
    }
  }
  return { text: decodeUcs2(bytes), coding: 'ucs2' };
}

/** The concatenation element of a UDH: IEI 0 (8-bit reference) or 8 (16-bit). */
function concatenation(udh: Buffer): { ref: number; total: number; seq: number } | null {
  for (let i = 1; i + 1 < udh.length; i += 2 + udh[i + 1]!) {
    const iei = udh[i]!;
    if (iei === 0x00) return { ref: udh[i + 2]!, total: udh[i + 3]!, seq: udh[i + 4]! };
    if (iei === 0x08) return { ref: udh.readUInt16BE(i + 2), total: udh[i + 4]!, seq: udh[i + 5]! };
  }
  return null;
}

/** Every message in the log, oldest first; concatenated ones once all their parts are in. */
export function readReceivedSms(logFile: string = FAKESMSC_LOG): ReceivedSms[] {
  if (!existsSync(logFile)) return [];
  const received: ReceivedSms[] = [];
  const pending = new Map<string, { sender: string; number: string; total: number; parts: Map<number, Buffer> }>();
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, sender, number, kind, rest] = match as unknown as [string, string, string, string, string];
    if (kind === 'text') received.push({ sender, number, text: rest, coding: 'gsm7', parts: 1 });
    else if (kind === 'ucs-2') received.push({ sender, number, text: decodeUcs2(unescape(rest)), coding: 'ucs2', parts: 1 });
    else {
      const udhMatch = /^(\S+) data (.*)$/.exec(rest);
      const info = udhMatch ? concatenation(unescape(udhMatch[1]!)) : null;
      if (!udhMatch || !info) continue;
      const key = `${sender} ${number} ${info.ref} ${info.total}`;
      let group = pending.get(key);
      // The 8-bit reference wraps around: a part we already have starts a new message.
      if (!group || group.parts.has(info.seq)) {
        group = { sender, number, total: info.total, parts: new Map() };
        pending.set(key, group);
      }
      group.parts.set(info.seq, unescape(udhMatch[2]!));
      if (group.parts.size === group.total) {
        pending.delete(key);
        const ordered = [...group.parts.entries()].sort(([a], [b]) => a - b).map(([, bytes]) => bytes);
        received.push({ sender, number, ...decodeJoined(Buffer.concat(ordered)), parts: group.total });
      }
    }
  }
  return received;
}

/** The first received message that matches, polling the log until `timeoutMs` has passed. */
export async function waitForSms(
  predicate: (sms: ReceivedSms) => boolean,
  timeoutMs = 5000,
  logFile: string = FAKESMSC_LOG,
): Promise<ReceivedSms> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readReceivedSms(logFile).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) {
      const recent = readReceivedSms(logFile)
        .slice(-3)
        .map((sms) => `${sms.number}: ${sms.text.slice(0, 60)}`);
      throw new Error(`no matching SMS reached the fake SMSC within ${timeoutMs} ms (last: ${recent.join(' | ') || 'none'})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
