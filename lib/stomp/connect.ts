// STOMP over plain TCP with @stomp/stompjs + @stomp/tcp-wrapper, for the processes that subscribe or
// stay connected: the ingester and provisioning (long-lived, reconnecting), stompcat, the health check.
// The Nagios-side publishers send with publisher.ts instead, which costs a forked command less.
import { createConnection, type Socket } from 'node:net';
import { Client, FrameImpl, type IFrame, ReconnectionTimeMode, type StompHeaders } from '@stomp/stompjs';
import { TCPWrapper } from '@stomp/tcp-wrapper';
import { type BrokerEndpoint, describeEndpoint } from './broker-url';
import {
  BrokerUnavailableError,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_RECEIPT_TIMEOUT_MS,
  ReceiptWaiters,
  StompSessionError,
  firstThatConnects,
  socketErrorReason,
} from './session';

export { BrokerUnavailableError, StompSessionError };

/**
 * TCPWrapper with Nagle off (a SEND is one small write and we wait for its RECEIPT) whose frames
 * sent in the same tick leave in one write: a batch's hundreds of ACKs, or a burst of pipelined
 * SENDs, cost one system call instead of one each.
 */
class NoDelayTcpWrapper extends TCPWrapper {
  // Assigned from getSocket(), which the base constructor calls: `declare` emits no initialiser.
  declare private tcp: Socket;

  protected override getSocket(port: number, host: string): Socket {
    this.tcp = createConnection({ port, host, noDelay: true });
    return this.tcp;
  }

  override send(data: string | ArrayBuffer): void {
    const socket = this.tcp;
    if (!socket.writableCorked) {
      socket.cork();
      process.nextTick(() => socket.uncork());
    }
    super.send(data);
  }
}

/** A socket factory for `Client.webSocketFactory`. */
export function tcpSocketFactory(endpoint: BrokerEndpoint): () => TCPWrapper {
  return () => new NoDelayTcpWrapper(endpoint.host, endpoint.port);
}

/** CONNECT headers for an endpoint: STOMP 1.2 `host`, credentials when given, then `extra`. */
export function connectHeadersFor(endpoint: BrokerEndpoint, extra: StompHeaders = {}): StompHeaders {
  const headers: StompHeaders = { host: endpoint.host };
  if (endpoint.login !== undefined) {
    headers.login = endpoint.login;
    headers.passcode = endpoint.passcode ?? '';
  }
  return { ...headers, ...extra };
}

// ---------------------------------------------------------------------------------------------
// Long-lived client (the ingester)

export interface StompClientOptions {
  /** Per attempt: TCP connect + CONNECTED frame. Default 2000 ms. */
  connectTimeoutMs?: number;
  /** First delay before reconnecting; doubles per failed attempt up to `maxReconnectDelayMs`. 0 disables reconnects. Default 1000. */
  reconnectDelayMs?: number;
  /** Default 30000. */
  maxReconnectDelayMs?: number;
  /** STOMP heart-beats in ms (0 disables a direction). Default 10000 both ways. */
  heartbeat?: { outgoing: number; incoming: number };
  /** Extra CONNECT headers, e.g. `client-id` for a durable topic subscription. */
  connectHeaders?: StompHeaders;
  /** Called before every connection attempt with the endpoint about to be tried (1-based attempt count). */
  onAttempt?: (endpoint: BrokerEndpoint, attempt: number) => void;
  /** stompjs debug lines (very chatty). */
  debug?: (line: string) => void;
}

/**
 * A stompjs `Client` over TCP that reconnects with exponential back-off and walks the failover list:
 * attempt n uses `endpoints[(n - 1) % endpoints.length]`, so after a broker goes away the next one is
 * tried first (what a JDBC master/slave pair needs). Set `onConnect` (subscribe there, so every
 * reconnect re-subscribes), `onStompError`, `onWebSocketClose` etc. on the returned client, then
 * `activate()`; `await client.deactivate()` on shutdown.
 *
 * Hung connects and lost heart-beats discard the socket (`socket.destroy()`): a plain `end()` on a
 * socket that never connected would wait for the operating system's TCP timeout.
 */
export function createStompClient(endpoints: readonly BrokerEndpoint[], options: StompClientOptions = {}): Client {
  if (endpoints.length === 0) throw new Error('createStompClient: no broker endpoints');
  const list = [...endpoints];
  let attempt = 0;
  const reconnectDelay = options.reconnectDelayMs ?? 1_000;
  return new Client({
    beforeConnect: (client) => {
      const endpoint = list[attempt % list.length]!;
      attempt += 1;
      client.webSocketFactory = tcpSocketFactory(endpoint);
      client.connectHeaders = connectHeadersFor(endpoint, options.connectHeaders);
      options.onAttempt?.(endpoint, attempt);
    },
    connectionTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    reconnectDelay,
    maxReconnectDelay: Math.max(options.maxReconnectDelayMs ?? 30_000, reconnectDelay),
    reconnectTimeMode: ReconnectionTimeMode.EXPONENTIAL,
    heartbeatOutgoing: options.heartbeat?.outgoing ?? 10_000,
    heartbeatIncoming: options.heartbeat?.incoming ?? 10_000,
    discardWebsocketOnCommFailure: true,
    debug: options.debug ?? (() => undefined),
    // Without a debug sink, spare stompjs re-serialising every frame just to log it: a tenth of the
    // ingester's CPU in bench:ingest.
    logRawCommunication: !options.debug,
  });
}

// ---------------------------------------------------------------------------------------------
// One-shot connection (the health check, provisioning requests; the CLIs use publisher.ts)

export interface SessionOptions {
  /** Per endpoint: TCP connect + CONNECTED. Default 2000 ms. */
  connectTimeoutMs?: number;
  /** Fail the session when receipts are outstanding and none arrived for this long. Default 10000 ms. */
  receiptTimeoutMs?: number;
  connectHeaders?: StompHeaders;
  debug?: (line: string) => void;
}

export interface SendOptions {
  headers?: StompHeaders;
  /**
   * Leave out `content-length` (default true): ActiveMQ then stores a JMS TextMessage rather than a
   * BytesMessage. Only safe for bodies without NUL characters, which JSON.stringify guarantees.
   */
  skipContentLength?: boolean;
}

/**
 * One connected STOMP session. `send()` resolves when the broker's RECEIPT arrives, so a resolved
 * send is a message the broker has taken responsibility for. Sends may be pipelined: the broker
 * handles the frames of one connection in order, and receipts come back in order.
 */
export class StompSession {
  private readonly receipts: ReceiptWaiters;
  private seq = 0;
  private failure: StompSessionError | null = null;
  private closing: Promise<void> | null = null;

  constructor(
    readonly client: Client,
    readonly endpoint: BrokerEndpoint,
    receiptTimeoutMs: number,
  ) {
    this.receipts = new ReceiptWaiters(receiptTimeoutMs, (reason) => this.fail(reason));
    client.onStompError = (frame: IFrame) => {
      const detail = frame.body ? `: ${frame.body.trim().split('\n')[0]}` : '';
      this.fail(`broker ERROR: ${frame.headers.message ?? 'no message'}${detail}`);
    };
    client.onWebSocketClose = () => this.fail('connection closed by the broker');
    client.onWebSocketError = (event: unknown) => this.fail(`connection error: ${socketErrorText(event)}`);
  }

  /** True until the connection failed or was closed. */
  get usable(): boolean {
    return this.failure === null && this.closing === null;
  }

  /** Number of sends still waiting for their RECEIPT. */
  get inFlight(): number {
    return this.receipts.size;
  }

  send(destination: string, body: string, options: SendOptions = {}): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new StompSessionError('session is closing'));
    const receipt = `r${++this.seq}`;
    const done = this.receipts.wait(receipt);
    this.client.watchForReceipt(receipt, () => this.receipts.received(receipt));
    try {
      this.client.publish({
        destination,
        body,
        headers: { ...options.headers, receipt },
        skipContentLengthHeader: options.skipContentLength ?? true,
      });
    } catch (error) {
      this.fail(`cannot send: ${error instanceof Error ? error.message : String(error)}`);
    }
    return done;
  }

  /**
   * Sends `bodies` in one STOMP transaction (BEGIN, SEND…, COMMIT with a receipt) and resolves when the
   * broker confirmed the COMMIT: all of them are stored, or (on a rejection) none of this transaction.
   * With a persistent store this costs one journal sync per transaction instead of one per message
   * (ActiveMQ + KahaDB, 10,000 messages: 0.6 s in transactions of 1,000 vs 4.1 s with a receipt each).
   * Calls may be pipelined like `send()`.
   */
  sendTransaction(destination: string, bodies: readonly string[], options: SendOptions = {}): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new StompSessionError('session is closing'));
    if (bodies.length === 0) return Promise.resolve();
    const n = ++this.seq;
    const transaction = `t${n}`;
    const receipt = `c${n}`;
    const done = this.receipts.wait(receipt);
    this.client.watchForReceipt(receipt, () => this.receipts.received(receipt));
    try {
      this.client.begin(transaction);
      const skipContentLengthHeader = options.skipContentLength ?? true;
      for (const body of bodies) {
        this.client.publish({ destination, body, headers: { ...options.headers, transaction }, skipContentLengthHeader });
      }
      // stompjs' commit() takes no headers, so the COMMIT (with its receipt) is written as a raw frame.
      const socket = this.client.webSocket;
      if (!socket) throw new Error('no socket');
      socket.send(FrameImpl.marshall({ command: 'COMMIT', headers: { transaction, receipt } }) as string);
    } catch (error) {
      this.fail(`cannot send: ${error instanceof Error ? error.message : String(error)}`);
    }
    return done;
  }

  /** DISCONNECT politely (bounded by `timeoutMs`), then make sure the socket is gone. Safe to call twice. */
  close(timeoutMs = 1_000): Promise<void> {
    if (!this.closing) {
      this.closing = (async () => {
        if (this.failure === null && this.client.connected) {
          let timer: ReturnType<typeof setTimeout> | undefined;
          const gave = await Promise.race([
            this.client.deactivate().then(() => false),
            new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
          ]);
          clearTimeout(timer);
          if (!gave) return;
        }
        await this.client.deactivate({ force: true });
      })();
      // Whatever is still waiting for a receipt will not get one now.
      this.receipts.rejectAll(new StompSessionError('session closed before the receipt arrived'));
    }
    return this.closing;
  }

  private fail(reason: string): void {
    if (this.failure || this.closing) return;
    this.failure = new StompSessionError(`${describeEndpoint(this.endpoint)}: ${reason}`);
    this.receipts.rejectAll(this.failure);
    void this.client.deactivate({ force: true });
  }
}

/** Connects to one endpoint, or rejects with the reason within `connectTimeoutMs`. */
export function connectSession(endpoint: BrokerEndpoint, options: SessionOptions = {}): Promise<StompSession> {
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    let settled = false;
    let socketError: string | undefined;
    const client = new Client({
      webSocketFactory: tcpSocketFactory(endpoint),
      connectHeaders: connectHeadersFor(endpoint, options.connectHeaders),
      reconnectDelay: 0,
      heartbeatIncoming: 0,
      heartbeatOutgoing: 0,
      discardWebsocketOnCommFailure: true,
      debug: options.debug ?? (() => undefined),
    });
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void client.deactivate({ force: true }).finally(() => reject(new Error(reason)));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    client.onConnect = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(new StompSession(client, endpoint, options.receiptTimeoutMs ?? DEFAULT_RECEIPT_TIMEOUT_MS));
    };
    client.onStompError = (frame) => fail(`refused: ${frame.headers.message ?? 'ERROR frame'}`);
    client.onWebSocketError = (event: unknown) => {
      socketError = socketErrorText(event);
    };
    client.onWebSocketClose = () => fail(socketError ?? 'connection closed before CONNECTED');
    client.activate();
  });
}

/** Opens a STOMP session and closes it: proves the broker answers, not just its socket. */
export async function probeBroker(endpoint: BrokerEndpoint, timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<void> {
  let session: StompSession;
  try {
    session = await connectSession(endpoint, { connectTimeoutMs: timeoutMs });
  } catch (error) {
    throw new Error(`${describeEndpoint(endpoint)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  await session.close();
}

/** Tries each endpoint in order; throws `BrokerUnavailableError` when none accepts. */
export function connectFirst(endpoints: readonly BrokerEndpoint[], options: SessionOptions = {}): Promise<StompSession> {
  return firstThatConnects(endpoints, (endpoint) => connectSession(endpoint, options));
}

/**
 * One-shot use: connect to the first endpoint that answers (each gets `connectTimeoutMs`), run `fn`,
 * and always disconnect afterwards, so the process can exit right away (no timers or sockets left).
 * Throws `BrokerUnavailableError` when no endpoint answers; errors from `fn` propagate.
 */
export async function withStompConnection<T>(
  endpoints: readonly BrokerEndpoint[],
  connectTimeoutMs: number,
  fn: (session: StompSession) => Promise<T>,
  options: Omit<SessionOptions, 'connectTimeoutMs'> = {},
): Promise<T> {
  const session = await connectFirst(endpoints, { ...options, connectTimeoutMs });
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

/** A stompjs socket error event (its `message` is the socket's Error) as one short reason. */
function socketErrorText(event: unknown): string {
  return socketErrorReason((event as { message?: unknown } | undefined)?.message);
}
