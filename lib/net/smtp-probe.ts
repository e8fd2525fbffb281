// A deliberately small SMTP client for the relay check (lib/net/relay-check.ts): greeting, EHLO (HELO
// when EHLO is refused), MAIL FROM, RCPT TO, QUIT. It never sends DATA, so no message can ever leave,
// whatever the server answers. One command at a time, no pipelining; every line either side is kept.
// The server is not trusted: replies are parsed strictly, lines and replies are bounded, every wait has
// a timeout and the whole conversation has a deadline.
import net from 'node:net';

/** RFC 5321 allows 512 octets per reply line; we allow some slack for chatty servers, then give up. */
export const MAX_REPLY_LINE = 2048;
/** Lines in one multi-line reply (an EHLO reply has a dozen). */
export const MAX_REPLY_LINES = 64;
/** Characters of a line kept in the transcript. */
export const MAX_TRANSCRIPT_LINE = 600;

export interface SmtpReply {
  code: number;
  /** "5.7.1" when the server sends an enhanced status code on the last line. */
  enhanced: string | null;
  /** The text of every line, without the code. */
  lines: string[];
}

export type TranscriptLine = { from: 'client' | 'server' | 'note'; text: string; ms: number };

export class SmtpProtocolError extends Error {
  override name = 'SmtpProtocolError';
}

/** Control characters and other bytes that don't belong in a log are shown, not passed through. */
export function printable(text: string, max = MAX_TRANSCRIPT_LINE): string {
  const clean = text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return clean.length > max ? `${clean.slice(0, max)}… (${clean.length - max} more characters)` : clean;
}

const LINE = /^([2-5][0-9][0-9])([ -]|$)(.*)$/;
const ENHANCED = /^([245]\.\d{1,3}\.\d{1,3})(?:\s|$)/;

/**
 * Splits server output into replies. Feed it bytes; it returns the replies completed so far and keeps
 * the rest. Throws SmtpProtocolError on anything that isn't an SMTP reply: garbage, a line that is too
 * long, a multi-line reply whose codes disagree, or one with too many lines.
 */
export class ReplyParser {
  private buffer = '';
  private pending: Array<{ code: number; text: string }> = [];
  /** Every complete line seen, for the transcript. */
  readonly seen: string[] = [];

  push(chunk: string): SmtpReply[] {
    this.buffer += chunk;
    const replies: SmtpReply[] = [];
    for (;;) {
      const nl = this.buffer.indexOf('\n');
      if (nl === -1) {
        if (this.buffer.length > MAX_REPLY_LINE) throw new SmtpProtocolError(`reply line longer than ${MAX_REPLY_LINE} characters`);
        return replies;
      }
      if (nl > MAX_REPLY_LINE) throw new SmtpProtocolError(`reply line longer than ${MAX_REPLY_LINE} characters`);
      const line = this.buffer.slice(0, nl).replace(/\r$/, '');
      this.buffer = this.buffer.slice(nl + 1);
      this.seen.push(line);
      const m = LINE.exec(line);
      if (!m) throw new SmtpProtocolError(`not an SMTP reply: ${JSON.stringify(printable(line, 80))}`);
      const code = Number(m[1]);
      const first = this.pending[0];
      if (first && first.code !== code) throw new SmtpProtocolError(`a multi-line reply changed its code from ${first.code} to ${code}`);
      this.pending.push({ code, text: m[3] ?? '' });
      if (this.pending.length > MAX_REPLY_LINES) throw new SmtpProtocolError(`a reply of more than ${MAX_REPLY_LINES} lines`);
      if (m[2] === '-') continue;
      const lines = this.pending.map((p) => p.text);
      this.pending = [];
      const last = lines[lines.length - 1] ?? '';
      replies.push({ code, enhanced: ENHANCED.exec(last)?.[1] ?? null, lines });
    }
  }

  /** True when bytes of an unfinished line or reply are waiting. */
  get partial(): boolean {
    return this.buffer.length > 0 || this.pending.length > 0;
  }
}

export function replyText(reply: SmtpReply): string {
  return reply.lines.map((l) => `${reply.code} ${l}`.trimEnd()).join(' / ');
}

/** Where a conversation ended. */
export type SmtpStage = 'connect' | 'greeting' | 'ehlo' | 'mail' | 'rcpt';

export interface RcptProbeResult {
  /** The RCPT TO reply, when the conversation got that far. */
  rcpt: SmtpReply | null;
  /** The stage that ended the conversation early (a refusal or an error before RCPT), with why. */
  stoppedAt: SmtpStage | null;
  /** The reply that stopped it (a refused greeting, EHLO or MAIL), if any. */
  stopReply: SmtpReply | null;
  error: string | null;
  transcript: TranscriptLine[];
}

export interface RcptProbeOptions {
  /** The address to connect to (already resolved and checked by the caller). */
  address: string;
  port: number;
  helo: string;
  mailFrom: string;
  rcptTo: string;
  /** Per wait (connect, each reply). */
  timeoutMs?: number;
  /** For the whole conversation. */
  deadlineMs?: number;
}

/** No CR, LF or other control characters may reach the wire from an address or name. */
function commandArgument(value: string, what: string): string {
  if (/[\x00-\x20\x7f<>]/.test(value) || value.length === 0 || value.length > 320) {
    throw new SmtpProtocolError(`${what} ${JSON.stringify(printable(value, 80))} cannot be sent in an SMTP command`);
  }
  return value;
}

/**
 * One conversation up to RCPT TO, then QUIT. Resolves (never rejects) with what happened; the
 * transcript holds every line sent and received.
 */
export function probeRcpt(options: RcptProbeOptions): Promise<RcptProbeResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadlineMs = options.deadlineMs ?? 30_000;
  const started = Date.now();
  const transcript: TranscriptLine[] = [];
  const note = (from: TranscriptLine['from'], text: string) => transcript.push({ from, text: printable(text), ms: Date.now() - started });

  const result: RcptProbeResult = { rcpt: null, stoppedAt: null, stopReply: null, error: null, transcript };
  let helo: string, mailFrom: string, rcptTo: string;
  try {
    helo = commandArgument(options.helo, 'HELO name');
    mailFrom = commandArgument(options.mailFrom, 'sender');
    rcptTo = commandArgument(options.rcptTo, 'recipient');
  } catch (error) {
    return Promise.resolve({ ...result, stoppedAt: 'connect', error: (error as Error).message });
  }

  return new Promise((resolve) => {
    const parser = new ReplyParser();
    const socket = new net.Socket();
    socket.setEncoding('latin1');
    let waiting: { resolve: (r: SmtpReply) => void; reject: (e: Error) => void } | null = null;
    const queued: SmtpReply[] = [];
    let failure: Error | null = null;
    let finished = false;
    let timer: NodeJS.Timeout | undefined;

    const fail = (error: Error) => {
      failure ??= error;
      if (waiting) {
        const w = waiting;
        waiting = null;
        w.reject(error);
      }
    };
    const deadline = setTimeout(() => fail(new SmtpProtocolError(`no complete conversation within ${deadlineMs / 1000} s`)), deadlineMs);

    socket.on('data', (chunk: string) => {
      let replies: SmtpReply[];
      try {
        replies = parser.push(chunk);
      } catch (error) {
        for (const line of parser.seen.splice(0)) note('server', line);
        fail(error as Error);
        socket.destroy();
        return;
      }
      for (const line of parser.seen.splice(0)) note('server', line);
      for (const reply of replies) {
        if (waiting) {
          const w = waiting;
          waiting = null;
          w.resolve(reply);
        } else queued.push(reply);
      }
    });
    socket.on('error', (error) => fail(new SmtpProtocolError(`connection error: ${error.message}`)));
    socket.on('close', () => fail(new SmtpProtocolError('the server closed the connection')));

    const nextReply = (what: string): Promise<SmtpReply> => {
      if (failure) return Promise.reject(failure);
      const ready = queued.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise<SmtpReply>((res, rej) => {
        waiting = { resolve: res, reject: rej };
        clearTimeout(timer);
        timer = setTimeout(() => fail(new SmtpProtocolError(`no reply to ${what} within ${timeoutMs / 1000} s`)), timeoutMs);
      }).finally(() => clearTimeout(timer));
    };

    const send = async (command: string, what: string): Promise<SmtpReply> => {
      // Pipelining was not offered by us: a server that talks before it is asked is not following the protocol.
      if (queued.length > 0 || parser.partial) throw new SmtpProtocolError(`the server sent data before ${what} was sent`);
      note('client', command);
      socket.write(`${command}\r\n`);
      return nextReply(what);
    };

    const finish = async () => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      clearTimeout(timer);
      if (result.error === null && !socket.destroyed && failure === null) {
        try {
          await send('QUIT', 'QUIT');
        } catch {
          // The answer to QUIT changes nothing.
        }
      }
      socket.destroy();
      resolve(result);
    };

    const run = async () => {
      let stage: SmtpStage = 'connect';
      try {
        await new Promise<void>((res, rej) => {
          const connectTimer = setTimeout(() => rej(new SmtpProtocolError(`no connection within ${timeoutMs / 1000} s`)), timeoutMs);
          socket.once('connect', () => {
            clearTimeout(connectTimer);
            res();
          });
          socket.once('error', (error) => {
            clearTimeout(connectTimer);
            rej(new SmtpProtocolError(`could not connect: ${error.message}`));
          });
          note('note', `connecting to ${options.address} port ${options.port}`);
          socket.connect({ host: options.address, port: options.port });
        });
        stage = 'greeting';
        const greeting = await nextReply('the connection (greeting)');
        if (greeting.code !== 220) return stop(stage, greeting);
        stage = 'ehlo';
        let hello = await send(`EHLO ${helo}`, 'EHLO');
        if (hello.code >= 500 && hello.code !== 554) hello = await send(`HELO ${helo}`, 'HELO');
        if (hello.code !== 250) return stop(stage, hello);
        stage = 'mail';
        const mail = await send(`MAIL FROM:<${mailFrom}>`, 'MAIL FROM');
        if (mail.code !== 250) return stop(stage, mail);
        stage = 'rcpt';
        result.rcpt = await send(`RCPT TO:<${rcptTo}>`, 'RCPT TO');
      } catch (error) {
        result.stoppedAt = stage;
        result.error = (error as Error).message;
        note('note', result.error);
      }
      function stop(at: SmtpStage, reply: SmtpReply) {
        result.stoppedAt = at;
        result.stopReply = reply;
      }
    };

    void run().then(finish, finish);
  });
}
