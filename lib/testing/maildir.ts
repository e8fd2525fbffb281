import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

// What the stack's SMTP server received (scripts/stack/smtp.ts writes one file per message).

export const MAILDIR = path.join(process.env.PORTHOLE_DATA_DIR ?? path.join(import.meta.dirname, '..', '..', '.data'), 'mail');

export interface ReceivedMail {
  file: string;
  headers: Record<string, string>;
  body: string;
}

function parse(file: string): ReceivedMail {
  const raw = readFileSync(file, 'utf8');
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] ??= line.slice(i + 1).trim();
  }
  return { file, headers, body: raw.slice(split).trim() };
}

/** Every message received so far (new/ and cur/). */
export function readMail(dir = MAILDIR): ReceivedMail[] {
  return ['new', 'cur'].flatMap((sub) => {
    try {
      return readdirSync(path.join(dir, sub)).map((f) => parse(path.join(dir, sub, f)));
    } catch {
      return [];
    }
  });
}

export async function waitForMail(predicate: (m: ReceivedMail) => boolean, { timeoutMs = 10_000, count = 1 } = {}): Promise<ReceivedMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readMail().filter(predicate);
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`expected ${count} message(s), found ${found.length} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
