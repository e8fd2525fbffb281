import type { Client, IMessage, StompSubscription } from '@stomp/stompjs';
import type { Database } from '../db/connection';
import { advanceOrder, claimDueMessages, deferMessages, endedOrder, finishMessages, insertReplyDeadLetter, lockOrder } from '../db/queries/provisioning';
import { rawTransaction } from '../db/raw-transaction';
import { notifyOrderEnded } from '../notify/forecasts';
import type { BrokerEndpoint } from '../stomp/broker-url';
import { connectFirst, createStompClient, type StompSession } from '../stomp/connect';
import { parseReply, transition } from './provisioning-message';
import { fail, ok, type Result } from '../result';

// The portal's side of provisioning (DESIGN.md: portal upgrade → order in MySQL → STOMP
// /queue/portal.provisioning): publishes the outbox with a receipt for every message, retrying with
// back-off while the broker is away, and applies the provisioning system's replies exactly once.

export interface ProvisioningOptions {
  endpoints: readonly BrokerEndpoint[];
  requestQueue: string;
  replyQueue: string;
  pollMs?: number;
  batch?: number;
  /** The portal's public URL, for links in the messages that tell customers an order ended. */
  portalUrl?: string;
  log?: (line: string) => void;
  now?: () => Date;
}

export class ProvisioningWorker {
  readonly stats = { published: 0, publishFailures: 0, replies: 0, deadLetters: 0 };
  private readonly o: Required<Omit<ProvisioningOptions, 'endpoints'>> & Pick<ProvisioningOptions, 'endpoints'>;
  private session: StompSession | null = null;
  private readonly consumer: Client;
  private subscription: StompSubscription | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  /** Replies are applied one at a time, in arrival order. */
  private replies: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    options: ProvisioningOptions,
  ) {
    this.o = { pollMs: 500, batch: 50, portalUrl: 'http://127.0.0.1:3000', log: (line) => console.log(`[provisioning] ${line}`), now: () => new Date(), ...options };
    this.consumer = createStompClient(options.endpoints, { connectTimeoutMs: 5_000, reconnectDelayMs: 500 });
    this.consumer.onConnect = () => {
      this.o.log(`connected; replies from ${this.o.replyQueue}`);
      // One unacked reply at a time: the next is only delivered once this one is stored.
      this.subscription = this.consumer.subscribe(this.o.replyQueue, (m) => (this.replies = this.replies.then(() => this.onReply(m))), {
        ack: 'client-individual',
        'activemq.prefetchSize': '1',
      });
    };
    this.consumer.onWebSocketClose = () => (this.subscription = null);
  }

  start(): void {
    this.running = true;
    this.consumer.activate();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    try {
      this.subscription?.unsubscribe();
    } catch {
      // already disconnected
    }
    await this.replies;
    await this.consumer.deactivate();
    await this.session?.close().catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let busy = false;
      try {
        busy = (await this.publishDue()) > 0;
      } catch (error) {
        this.o.log(`publishing failed: ${(error as Error).message}`);
      }
      if (!busy && this.running) await new Promise<void>((resolve) => ((this.wake = resolve), setTimeout(resolve, this.o.pollMs)));
    }
  }

  /**
   * Sends the due outbox rows, each with a receipt, and removes them once the broker has them all. A
   * failure leaves them for later (1 s, doubling, at most a minute). A crash between the receipts and
   * the commit sends them again: receivers drop the copy by its idempotencyKey.
   */
  async publishDue(): Promise<number> {
    const now = this.o.now();
    return rawTransaction(this.db, async (c) => {
      const rows = await claimDueMessages(c, now, this.o.batch);
      if (rows.length === 0) return 0;
      const ids = rows.map((r) => r.id);
      try {
        if (!this.session?.usable) this.session = await connectFirst(this.o.endpoints, { connectTimeoutMs: 3_000, receiptTimeoutMs: 10_000 });
        const session = this.session;
        await Promise.all(
          rows.map((r) =>
            session.send(this.o.requestQueue, r.body, {
              headers: { 'content-type': 'application/json', persistent: 'true', 'porthole-order-id': String(r.orderId) },
            }),
          ),
        );
      } catch (error) {
        this.session = null;
        this.stats.publishFailures++;
        const reason = (error as Error).message;
        await deferMessages(c, ids, reason, now);
        this.o.log(`broker unavailable, ${rows.length} order message(s) wait: ${reason}`);
        return 0;
      }
      await finishMessages(
        c,
        ids,
        rows.map((r) => r.orderId),
        now,
      );
      this.stats.published += rows.length;
      return rows.length;
    }, { readCommitted: true });
  }

  private async onReply(message: IMessage): Promise<void> {
    for (let attempt = 1; this.running || attempt === 1; attempt++) {
      try {
        await this.applyReply(message.body, message.headers['message-id'] ?? null);
        message.ack();
        return;
      } catch (error) {
        // The database is away: keep the reply unacked and try again; nothing is lost or applied twice.
        this.o.log(`reply not stored yet (${(error as Error).message}); retrying`);
        await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** attempt)));
      }
    }
  }

  /** One reply: applied, or kept as a dead letter with its reason (see applyReply). */
  async applyReply(body: string, messageId: string | null): Promise<'applied' | 'unchanged' | 'dead-letter'> {
    const now = this.o.now();
    const outcome = await applyReply(this.db, body, { now, portalUrl: this.o.portalUrl, log: this.o.log });
    if (outcome.ok) {
      this.stats.replies++;
      return outcome.value;
    }
    await insertReplyDeadLetter(this.db, { receivedAt: now, destination: this.o.replyQueue, messageId, body, reason: outcome.error });
    this.stats.deadLetters++;
    this.o.log(`reply kept as a dead letter: ${outcome.error}`);
    return 'dead-letter';
  }
}

/**
 * One reply, in one transaction: the order moves on (a completed one changes the VM's plan, and the
 * customer is told), or nothing changes (a duplicate, a stale "accepted"), or the error says why it must
 * be kept for staff (it does not parse, names no order, or contradicts how the order ended). Used by the
 * worker and by staff replaying a dead letter.
 */
export async function applyReply(
  db: Database,
  body: string,
  { now = new Date(), portalUrl, log = () => undefined }: { now?: Date; portalUrl: string; log?: (line: string) => void },
): Promise<Result<'applied' | 'unchanged'>> {
  const parsed = parseReply(body);
  if (!parsed.ok) return fail(parsed.error);
  const reply = parsed.value;
  const outcome = await rawTransaction(db, async (c) => {
    const order = await lockOrder(c, reply.orderId);
    if (!order) return { dead: `No order ${reply.orderId} exists.` };
    if (reply.idempotencyKey !== undefined && reply.idempotencyKey !== order.idempotencyKey) return { dead: `The reply's idempotencyKey does not match order ${order.id}.` };
    const next = transition(order.status, reply);
    if (!next.change) return next.why === 'conflict' ? { dead: next.detail } : { unchanged: next.detail };
    await advanceOrder(c, order, { status: reply.status, reason: next.reason, at: reply.at ? new Date(reply.at) : now }, now);
    return { applied: reply.status };
  });
  if ('dead' in outcome) return fail(outcome.dead!);
  if ('unchanged' in outcome) return ok('unchanged');
  if (outcome.applied === 'completed' || outcome.applied === 'failed') {
    await tellCustomer(db, portalUrl, reply.orderId).catch((error: Error) => log(`order ${reply.orderId}: could not queue the customer's message: ${error.message}`));
  }
  return ok('applied');
}

/** The account's alert contacts hear that the order ended (once: the notice's key is per order and outcome). */
async function tellCustomer(db: Database, portalUrl: string, orderId: number): Promise<void> {
  const order = await endedOrder(db, orderId);
  if (order) await notifyOrderEnded(db, portalUrl, order);
}
