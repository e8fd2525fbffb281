// The sends of one STOMP session still waiting for their RECEIPT, and the watchdog that gives up on a
// stalled broker: shared by connect.ts' stompjs session and publisher.ts' frame writer.

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
