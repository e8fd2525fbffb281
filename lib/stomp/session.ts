// What both STOMP sessions share, whichever client writes the frames (connect.ts' stompjs session in the
// long-running processes, publisher.ts' frame writer in the Nagios-side commands): their defaults and
// errors, the failover loop, and the sends waiting for their RECEIPT with the watchdog that gives up on
// a stalled broker. Free of stompjs, so the commands can bundle it.
import { type BrokerEndpoint, describeEndpoint } from './broker-url';

/** Per endpoint: TCP connect + CONNECTED. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
/** Fail a session when receipts are outstanding and none arrived for this long. */
export const DEFAULT_RECEIPT_TIMEOUT_MS = 10_000;

/** No endpoint of the list accepted a STOMP connection. `attempts` says why, per endpoint. */
export class BrokerUnavailableError extends Error {
  override name = 'BrokerUnavailableError';
  constructor(readonly attempts: ReadonlyArray<{ endpoint: BrokerEndpoint; reason: string }>) {
    super(`no broker answered: ${attempts.map((a) => `${describeEndpoint(a.endpoint)} (${a.reason})`).join('; ')}`);
  }
}

/** The connection failed while messages were waiting for their RECEIPT: they may or may not be stored. */
export class StompSessionError extends Error {
  override name = 'StompSessionError';
}

/** Tries each endpoint in order with `connect`; throws `BrokerUnavailableError` when none accepts. */
export async function firstThatConnects<T>(endpoints: readonly BrokerEndpoint[], connect: (endpoint: BrokerEndpoint) => Promise<T>): Promise<T> {
  const attempts: Array<{ endpoint: BrokerEndpoint; reason: string }> = [];
  for (const endpoint of endpoints) {
    try {
      return await connect(endpoint);
    } catch (error) {
      attempts.push({ endpoint, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  throw new BrokerUnavailableError(attempts);
}

/** A socket error as one short reason: the errno code (ECONNREFUSED) when there is one. */
export function socketErrorReason(error: unknown): string {
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code || error.message;
  return typeof error === 'string' ? error : 'socket error';
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

export class ReceiptWaiters {
  private readonly waiting = new Map<string, Waiter>();
  private watchdog: ReturnType<typeof setTimeout> | null = null;

  /** `onStall` is told why when receipts are outstanding and none arrived for `timeoutMs`. */
  constructor(
    private readonly timeoutMs: number,
    private readonly onStall: (reason: string) => void,
  ) {}

  get size(): number {
    return this.waiting.size;
  }

  /** Resolves when `received(receipt)` is called; rejects with `rejectAll`'s error. */
  wait(receipt: string): Promise<void> {
    const done = new Promise<void>((resolve, reject) => this.waiting.set(receipt, { resolve, reject }));
    this.watchdog ??= setTimeout(() => {
      this.watchdog = null;
      if (this.waiting.size > 0) this.onStall(`no receipt from the broker within ${this.timeoutMs} ms`);
    }, this.timeoutMs);
    return done;
  }

  /** The broker confirmed `receipt` (an unknown one is ignored); each confirmation restarts the watchdog. */
  received(receipt: string): void {
    const waiter = this.waiting.get(receipt);
    if (!waiter) return;
    this.waiting.delete(receipt);
    waiter.resolve();
    if (this.waiting.size === 0) this.stopWatchdog();
    else this.watchdog?.refresh();
  }

  /** Rejects everything still waiting and stops the watchdog. */
  rejectAll(error: Error): void {
    this.stopWatchdog();
    const waiters = [...this.waiting.values()];
    this.waiting.clear();
    for (const w of waiters) w.reject(error);
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = null;
  }
}
