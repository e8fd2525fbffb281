// A send-only STOMP 1.2 session for the Nagios-side commands, written straight onto a node:net socket.
// Nagios forks one command per event, so every millisecond of a run counts: loading @stomp/stompjs and
// going through its client's activate/deactivate cost a one-event run about 2 ms of its 38, and halved
// the bundles' size (bench:publish, README's "Speed"). A publisher needs only CONNECT, SEND, BEGIN,
// COMMIT and DISCONNECT out and CONNECTED, RECEIPT and ERROR back, so this is small; everything that
// subscribes (the ingester, stompcat, the health check's queue depth) keeps stompjs (connect.ts).
//
// The guarantee is the same as connect.ts' StompSession: `send()` and `sendTransaction()` resolve only
// on the broker's RECEIPT, and reject when the connection fails or stalls before it.
import { type Socket, createConnection } from 'node:net';
import { type BrokerEndpoint, describeEndpoint } from './broker-url';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_RECEIPT_TIMEOUT_MS, ReceiptWaiters, StompSessionError, firstThatConnects, socketErrorReason } from './session';

export type Headers = Record<string, string>;

export interface PublisherOptions {
  /** Default DEFAULT_CONNECT_TIMEOUT_MS (session.ts). */
  connectTimeoutMs?: number;
  /** Default DEFAULT_RECEIPT_TIMEOUT_MS (session.ts). */
  receiptTimeoutMs?: number;
}

export interface PublishOptions {
  headers?: Headers;
  /**
   * Leave out `content-length` (default true): ActiveMQ then stores a JMS TextMessage rather than a
   * BytesMessage. A body holding a NUL character always gets one (it would end the frame otherwise).
   */
  skipContentLength?: boolean;
}

/** A frame the broker sent: command, decoded headers, body. */
export interface Frame {
  command: string;
  headers: Headers;
  body: string;
}

// ---------------------------------------------------------------------------------------------
// Frames (STOMP 1.2)

/** Header escaping of every frame but CONNECT/CONNECTED (STOMP 1.2, "Value Encoding"). */
function escapeHeader(value: string): string {
  return /[\\\r\n:]/.test(value) ? value.replace(/[\\\r\n:]/g, (c) => (c === '\\' ? '\\\\' : c === '\r' ? '\\r' : c === '\n' ? '\\n' : '\\c')) : value;
}

function unescapeHeader(value: string): string {
  return value.includes('\\') ? value.replace(/\\([\\rnc])/g, (_, c: string) => (c === 'r' ? '\r' : c === 'n' ? '\n' : c === 'c' ? ':' : '\\')) : value;
}

/** One frame as text. `body` without content-length must not contain NUL (callers check). */
export function encodeFrame(command: string, headers: Headers, body = '', withContentLength = false): string {
  const escape = command === 'CONNECT' ? (v: string) => v : escapeHeader;
  let out = `${command}\n`;
  for (const [name, value] of Object.entries(headers)) out += `${escape(name)}:${escape(value)}\n`;
  if (withContentLength) out += `content-length:${Buffer.byteLength(body, 'utf8')}\n`;
  return `${out}\n${body}\0`;
}

/** A broker answers a publisher with short frames; anything longer than this is not STOMP talking. */
export const MAX_FRAME_BYTES = 1 << 20;

/**
 * Splits what the broker sent into frames. Feed it every chunk; it returns the complete frames and keeps
 * the rest. Heart-beat EOLs between frames are skipped; `content-length` is honoured. Throws when an
 * unfinished frame grows past MAX_FRAME_BYTES.
 */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (this.pending.length > MAX_FRAME_BYTES) throw new Error(`the broker sent a frame of over ${MAX_FRAME_BYTES} bytes`);
    const frames: Frame[] = [];
    for (;;) {
      let start = 0;
      while (start < this.pending.length && (this.pending[start] === 0x0a || this.pending[start] === 0x0d)) start++;
      const headerEnd = findBlankLine(this.pending, start);
      if (headerEnd === null) {
        this.pending = this.pending.subarray(start);
        return frames;
      }
      const lines = this.pending.toString('utf8', start, headerEnd.at).split(/\r?\n/);
      const command = lines[0]!;
      const raw = command === 'CONNECTED';
      const headers: Headers = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = raw ? line.slice(0, colon) : unescapeHeader(line.slice(0, colon));
        // STOMP 1.2: the first of repeated headers counts.
        if (!(name in headers)) headers[name] = raw ? line.slice(colon + 1) : unescapeHeader(line.slice(colon + 1));
      }
      const bodyStart = headerEnd.next;
      const length = headers['content-length'] !== undefined ? Number(headers['content-length']) : NaN;
      const bodyEnd = Number.isInteger(length) && length >= 0 ? bodyStart + length : this.pending.indexOf(0, bodyStart);
      if (bodyEnd < 0 || bodyEnd >= this.pending.length) {
        this.pending = this.pending.subarray(start);
        return frames;
      }
      frames.push({ command, headers, body: this.pending.toString('utf8', bodyStart, bodyEnd) });
      this.pending = this.pending.subarray(bodyEnd + 1); // past the NUL
    }
  }
}

/** Where the header block starting at `from` ends (`at`) and its body begins (`next`), or null. */
function findBlankLine(buffer: Buffer, from: number): { at: number; next: number } | null {
  for (let i = buffer.indexOf(0x0a, from); i >= 0; i = buffer.indexOf(0x0a, i + 1)) {
    const at = buffer[i - 1] === 0x0d ? i - 1 : i; // the last header line's own CR is not its value's
    if (buffer[i + 1] === 0x0a) return { at, next: i + 2 };
    if (buffer[i + 1] === 0x0d && buffer[i + 2] === 0x0a) return { at, next: i + 3 };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The session

/**
 * One connected, send-only STOMP session. Sends may be pipelined: the broker handles the frames of one
 * connection in order, and its receipts come back in order. Frames written in the same tick leave in one
 * system call (the socket is corked until the next tick).
 */
export class Publisher {
  private readonly receipts: ReceiptWaiters;
  private seq = 0;
  private failure: StompSessionError | null = null;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly reader: FrameReader,
    readonly endpoint: BrokerEndpoint,
    receiptTimeoutMs: number,
    /** Frames that came in the same read as CONNECTED. */
    early: readonly Frame[] = [],
  ) {
    this.receipts = new ReceiptWaiters(receiptTimeoutMs, (reason) => this.fail(reason));
    socket.on('data', (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = this.reader.push(chunk);
      } catch (error) {
        return this.fail(error instanceof Error ? error.message : String(error));
      }
      for (const frame of frames) this.onFrame(frame);
    });
    socket.on('error', (error) => this.fail(`connection error: ${socketErrorReason(error)}`));
    socket.on('close', () => this.fail('connection closed by the broker'));
    for (const frame of early) this.onFrame(frame);
  }

  /** True until the connection failed or was closed. */
  get usable(): boolean {
    return this.failure === null && this.closing === null;
  }

  /** Number of sends still waiting for their RECEIPT. */
  get inFlight(): number {
    return this.receipts.size;
  }

  /** SENDs `body`; resolves on the broker's RECEIPT. */
  send(destination: string, body: string, options: PublishOptions = {}): Promise<void> {
    const receipt = `r${++this.seq}`;
    return this.confirmed(receipt, () => this.sendFrame(destination, body, { ...options.headers, receipt }, options));
  }

  /**
   * Sends `bodies` in one STOMP transaction (BEGIN, SEND…, COMMIT with a receipt) and resolves when the
   * broker confirmed the COMMIT: all of them are stored, or (on a rejection) none of this transaction.
   * One journal sync per transaction instead of one per message. Calls may be pipelined like `send()`.
   */
  sendTransaction(destination: string, bodies: readonly string[], options: PublishOptions = {}): Promise<void> {
    if (bodies.length === 0 && this.usable) return Promise.resolve();
    const n = ++this.seq;
    const transaction = `t${n}`;
    const receipt = `c${n}`;
    return this.confirmed(receipt, () => {
      this.write(encodeFrame('BEGIN', { transaction }));
      for (const body of bodies) this.sendFrame(destination, body, { ...options.headers, transaction }, options);
      this.write(encodeFrame('COMMIT', { transaction, receipt }));
    });
  }

  /**
   * Ends the session: a DISCONNECT (without a receipt: every frame that mattered was confirmed already),
   * then the socket is closed. Anything still waiting for a receipt is rejected. Safe to call twice.
   */
  close(timeoutMs = 1_000): Promise<void> {
    if (!this.closing) {
      const healthy = this.failure === null;
      this.closing = new Promise<void>((resolve) => {
        if (this.socket.destroyed) return resolve();
        const timer = setTimeout(() => this.socket.destroy(), timeoutMs);
        timer.unref();
        this.socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        // Once the DISCONNECT is handed to the kernel, the socket can go: waiting for the broker to
        // close its side too would only keep a forked command alive a little longer.
        if (healthy) this.socket.end(encodeFrame('DISCONNECT', {}), () => this.socket.destroy());
        else this.socket.destroy();
      });
      this.receipts.rejectAll(new StompSessionError('session closed before the receipt arrived'));
    }
    return this.closing;
  }

  private confirmed(receipt: string, writeFrames: () => void): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new StompSessionError('session is closing'));
    const done = this.receipts.wait(receipt);
    try {
      writeFrames();
    } catch (error) {
      this.fail(`cannot send: ${error instanceof Error ? error.message : String(error)}`);
    }
    return done;
  }

  private sendFrame(destination: string, body: string, headers: Headers, options: PublishOptions): void {
    const withContentLength = options.skipContentLength === false || body.includes('\0');
    this.write(encodeFrame('SEND', { destination, ...headers }, body, withContentLength));
  }

  private write(text: string): void {
    if (!this.socket.writableCorked) {
      this.socket.cork();
      process.nextTick(() => this.socket.uncork());
    }
    this.socket.write(text);
  }

  private onFrame(frame: Frame): void {
    if (frame.command === 'RECEIPT') {
      this.receipts.received(frame.headers['receipt-id'] ?? '');
    } else if (frame.command === 'ERROR') {
      const detail = frame.body.trim() ? `: ${frame.body.trim().split('\n')[0]}` : '';
      this.fail(`broker ERROR: ${frame.headers.message ?? 'no message'}${detail}`);
    }
  }

  private fail(reason: string): void {
    if (this.failure || this.closing) return;
    this.failure = new StompSessionError(`${describeEndpoint(this.endpoint)}: ${reason}`);
    this.receipts.rejectAll(this.failure);
    this.socket.destroy();
  }
}

/** Connects to one endpoint and waits for CONNECTED, or rejects with the reason within `connectTimeoutMs`. */
export function connectPublisher(endpoint: BrokerEndpoint, options: PublisherOptions = {}): Promise<Publisher> {
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: endpoint.host, port: endpoint.port, noDelay: true });
    const reader = new FrameReader();
    let socketError: string | undefined;
    const fail = (reason: string) => {
      cleanUp();
      socket.destroy();
      reject(new Error(reason));
    };
    const onData = (chunk: Buffer) => {
      let frames: Frame[];
      try {
        frames = reader.push(chunk);
      } catch (error) {
        return fail(error instanceof Error ? error.message : String(error));
      }
      const first = frames[0];
      if (!first) return;
      if (first.command !== 'CONNECTED') return fail(first.command === 'ERROR' ? `refused: ${first.headers.message ?? 'ERROR frame'}` : `unexpected ${first.command} before CONNECTED`);
      cleanUp();
      resolve(new Publisher(socket, reader, endpoint, options.receiptTimeoutMs ?? DEFAULT_RECEIPT_TIMEOUT_MS, frames.slice(1)));
    };
    const onError = (error: Error) => {
      socketError = socketErrorReason(error);
    };
    const onClose = () => fail(socketError ?? 'connection closed before CONNECTED');
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    const cleanUp = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
    const headers: Headers = { 'accept-version': '1.2', host: endpoint.host, 'heart-beat': '0,0' };
    if (endpoint.login !== undefined) {
      headers.login = endpoint.login;
      headers.passcode = endpoint.passcode ?? '';
    }
    socket.write(encodeFrame('CONNECT', headers));
  });
}

/** Tries each endpoint in order; throws `BrokerUnavailableError` (session.ts) when none accepts. */
export function connectFirstPublisher(endpoints: readonly BrokerEndpoint[], options: PublisherOptions = {}): Promise<Publisher> {
  return firstThatConnects(endpoints, (endpoint) => connectPublisher(endpoint, options));
}
