import type { Client, IMessage, StompSubscription } from '@stomp/stompjs';
import type { RowDataPacket } from 'mysql2/promise';
import { eq, getTableName, inArray } from 'drizzle-orm';
import type { Database } from '../db/connection';
import { rawTransaction } from '../db/raw-transaction';
import { auditLog, deadLetters, planOrders, plans, provisioningOutbox, vms } from '../db/schema';
import { notifyOrderEnded } from '../notify/forecasts';
import type { BrokerEndpoint } from '../stomp/broker-url';
import { connectFirst, createStompClient, type StompSession } from '../stomp/connect';
import { parseReply, transition } from './provisioning-message';
import { fail, ok, type Result } from '../result';

// The portal's side of provisioning (DESIGN.md: portal upgrade → order in MySQL → STOMP
// /queue/portal.provisioning): publishes the outbox with a receipt for every message, retrying with
// back-off while the broker is away, and applies the provisioning system's replies exactly once.

const T = {
  outbox: getTableName(provisioningOutbox),
  orders: getTableName(planOrders),
  vms: getTableName(vms),
  deadLetters: getTableName(deadLetters),
  audit: getTableName(auditLog),
};

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
      const [rows] = await c.query<RowDataPacket[]>(`SELECT id, order_id AS orderId, body FROM ${T.outbox} WHERE due_at <= ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`, [
        now,
        this.o.batch,
      ]);
      if (rows.length === 0) return 0;
      const ids = rows.map((r) => r.id as number);
      try {
        if (!this.session?.usable) this.session = await connectFirst(this.o.endpoints, { connectTimeoutMs: 3_000, receiptTimeoutMs: 10_000 });
        const session = this.session;
        await Promise.all(
          rows.map((r) =>
            session.send(this.o.requestQueue, r.body as string, {
              headers: { 'content-type': 'application/json', persistent: 'true', 'porthole-order-id': String(r.orderId) },
            }),
          ),
        );
      } catch (error) {
        this.session = null;
        this.stats.publishFailures++;
        const reason = (error as Error).message.slice(0, 1024);
        await c.query(`UPDATE ${T.outbox} SET attempts = attempts + 1, last_error = ?, due_at = ? + INTERVAL LEAST(60, POW(2, attempts)) SECOND WHERE id IN (?)`, [reason, now, ids]);
        this.o.log(`broker unavailable, ${rows.length} order message(s) wait: ${reason}`);
        return 0;
      }
      await c.query(`DELETE FROM ${T.outbox} WHERE id IN (?)`, [ids]);
      await c.query(`UPDATE ${T.orders} SET status = 'sent', sent_at = ?, updated_at = ? WHERE id IN (?) AND status = 'requested'`, [now, now, rows.map((r) => r.orderId)]);
      this.stats.published += rows.length;
      return rows.length;
    });
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
    await this.db.$client.query(`INSERT IGNORE INTO ${T.deadLetters} (received_at, destination, message_id, headers, body, reason, status) VALUES (?, ?, ?, NULL, ?, ?, 'new')`, [
      now,
      this.o.replyQueue,
      messageId,
      body.slice(0, 1_000_000),
      outcome.error.slice(0, 1024),
    ]);
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
    const [[order]] = (await c.query<RowDataPacket[]>(`SELECT id, account_id AS accountId, vm_id AS vmId, to_plan_id AS toPlanId, status, idempotency_key AS idempotencyKey FROM ${T.orders} WHERE id = ? FOR UPDATE`, [
      reply.orderId,
    ])) as unknown as [Array<{ id: number; accountId: number; vmId: number; toPlanId: number; status: Parameters<typeof transition>[0]; idempotencyKey: string }>];
    if (!order) return { dead: `No order ${reply.orderId} exists.` };
    if (reply.idempotencyKey !== undefined && reply.idempotencyKey !== order.idempotencyKey) return { dead: `The reply's idempotencyKey does not match order ${order.id}.` };
    const next = transition(order.status, reply);
    if (!next.change) return next.why === 'conflict' ? { dead: next.detail } : { unchanged: next.detail };
    const stamp = { accepted: 'accepted_at', completed: 'completed_at', failed: 'failed_at' }[reply.status];
    const ends = next.status === 'completed' || next.status === 'failed';
    await c.query(`UPDATE ${T.orders} SET status = ?, ${stamp} = ?, reason = ?, updated_at = ?${ends ? ', open_vm_id = NULL' : ''} WHERE id = ?`, [
      next.status,
      reply.at ? new Date(reply.at) : now,
      next.reason,
      now,
      order.id,
    ]);
    if (next.status === 'completed') await c.query(`UPDATE ${T.vms} SET plan_id = ? WHERE id = ?`, [order.toPlanId, order.vmId]);
    await c.query(`INSERT INTO ${T.audit} (at, action, actor_username, account_id, target_type, target_id, details) VALUES (?, ?, 'provisioning', ?, 'plan_order', ?, ?)`, [
      now,
      `plans.order.${next.status}`,
      order.accountId,
      String(order.id),
      JSON.stringify({ vmId: order.vmId, reason: next.reason }),
    ]);
    return { applied: next.status };
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
  const [row] = await db
    .select({ id: planOrders.id, accountId: planOrders.accountId, vmId: planOrders.vmId, status: planOrders.status, reason: planOrders.reason, hostname: vms.hostname, fromPlanId: planOrders.fromPlanId, toPlanId: planOrders.toPlanId })
    .from(planOrders)
    .innerJoin(vms, eq(vms.id, planOrders.vmId))
    .where(eq(planOrders.id, orderId));
  if (!row || (row.status !== 'completed' && row.status !== 'failed')) return;
  const names = new Map((await db.select({ id: plans.id, name: plans.name }).from(plans).where(inArray(plans.id, [row.fromPlanId, row.toPlanId]))).map((p) => [p.id, p.name]));
  await notifyOrderEnded(db, portalUrl, {
    ...row,
    status: row.status,
    fromPlanName: names.get(row.fromPlanId) ?? 'the old plan',
    toPlanName: names.get(row.toPlanId) ?? 'the new plan',
  });
}
