import type { Client, IMessage, StompSubscription } from '@stomp/stompjs';
import type { Database } from '../db/connection';
import { driverError } from '../db/errors';
import { reportIngesterStatus } from '../db/queries/ingester-status';
import type { BrokerEndpoint } from '../stomp/broker-url';
import { createStompClient } from '../stomp/connect';
import { brokerReceivedAtMs, classifyMessage } from './classify';
import { writeIsolating } from './isolate';
import { type DeadLetterToStore, type EventToStore, storeBatch } from '../db/queries/event-store';
import type { BatchObservation } from '../metrics/workers';

export interface IngesterOptions {
  endpoints: BrokerEndpoint[];
  destination: string;
  batchSize: number;
  batchMs: number;
  prefetch: number;
  /** Batches stored at once, each in its own transaction and connection. */
  concurrency: number;
  subscriptionName: string;
  instance: string;
  mode: 'batch' | 'single';
  /** How far after its receipt by the broker an event may be dated (INGEST_MAX_CLOCK_SKEW_SECONDS). */
  maxClockSkewSec: number;
  log?: (line: string) => void;
  /** Told of every stored batch (lib/metrics/workers.ts counts them). */
  observe?: (batch: BatchObservation) => void;
}

export interface IngesterStats {
  connected: boolean;
  stored: number;
  duplicates: number;
  deadLetters: number;
  acked: number;
  lastMessageAt: Date | null;
  lastError: string | null;
}

interface Pending {
  message: IMessage;
  session: number;
}

/** A message of a batch with what it becomes: an event, or a dead letter. */
type Classified = { pending: Pending; event: EventToStore } | { pending: Pending; deadLetter: DeadLetterToStore };

const RETRY_MAX_MS = 30_000;

/**
 * What the ingester subscribes to for `destination`. A queue: itself; several ingesters compete on it.
 * A virtual topic (`/topic/VirtualTopic.<name>`, ActiveMQ's own pattern for competing consumers on a
 * topic): the consumer queue `/queue/Consumer.<subscription>.VirtualTopic.<name>`, which every ingester
 * with the same INGEST_SUBSCRIPTION shares, and which keeps what arrives while they are all down. Any
 * other topic: a durable subscription, which belongs to one client-id, so only one ingester can hold it.
 */
export function consumerDestination(destination: string, subscriptionName: string): { destination: string; durable: boolean } {
  const virtual = /^\/topic\/(VirtualTopic\..+)$/.exec(destination);
  if (virtual) return { destination: `/queue/Consumer.${subscriptionName}.${virtual[1]}`, durable: false };
  return { destination, durable: destination.startsWith('/topic/') };
}

/**
 * Consumes the events destination and stores what arrives exactly once: messages are acked one by
 * one (client-individual) only after the transaction holding them committed, inserts are idempotent,
 * and anything unacked when the connection drops is redelivered by the broker.
 */
export class Ingester {
  readonly stats: IngesterStats = { connected: false, stored: 0, duplicates: 0, deadLetters: 0, acked: 0, lastMessageAt: null, lastError: null };
  private readonly client: Client;
  /** The destination subscribed to (consumerDestination). */
  private readonly consumed: string;
  private readonly log: (line: string) => void;
  private subscription: StompSubscription | null = null;
  private pending: Pending[] = [];
  private session = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private statusTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private readonly startedAt = new Date();

  constructor(
    private readonly db: Database,
    private readonly options: IngesterOptions,
  ) {
    this.log = options.log ?? ((line) => console.log(`[ingester] ${line}`));
    const { destination, durable } = consumerDestination(options.destination, options.subscriptionName);
    this.consumed = destination;
    // createStompClient tries the next broker of a failover list on each (re)connect, with back-off.
    this.client = createStompClient(options.endpoints, {
      connectTimeoutMs: 5_000,
      reconnectDelayMs: 500,
      // A durable topic subscription belongs to a client-id; a queue needs none.
      connectHeaders: durable ? { 'client-id': options.subscriptionName } : {},
    });
    this.client.onConnect = () => this.onConnect(durable);
    this.client.onStompError = (frame) => this.onDisconnect(`broker error: ${frame.headers.message ?? frame.body}`);
    this.client.onWebSocketClose = () => this.onDisconnect('connection closed');
  }

  start(): void {
    this.client.activate();
    this.statusTimer = setInterval(() => void this.reportStatus(), 5_000);
    void this.reportStatus();
  }

  /** Subscribing in onConnect means every reconnect subscribes again. */
  private onConnect(durable: boolean) {
    this.session++;
    this.stats.connected = true;
    this.log(`connected; consuming ${this.consumed}`);
    this.subscription = this.client.subscribe(this.consumed, (message) => this.onMessage(message), {
      ack: 'client-individual',
      'activemq.prefetchSize': String(this.options.prefetch),
      ...(durable ? { 'activemq.subscriptionName': this.options.subscriptionName } : {}),
    });
    void this.reportStatus();
  }

  private onDisconnect(reason: string) {
    if (this.stats.connected) this.log(`disconnected (${reason}); unacked messages will be redelivered`);
    this.stats.connected = false;
    this.subscription = null;
    // Acks for this session cannot be sent any more; the broker redelivers those messages.
    this.pending = [];
  }

  private onMessage(message: IMessage) {
    this.pending.push({ message, session: this.session });
    this.stats.lastMessageAt = new Date();
    // A partial batch waits at most batchMs for company.
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.startBatches(true);
    }, this.options.batchMs);
    this.startBatches(false);
  }

  /**
   * Hands pending messages to up to `concurrency` transactions at once, so the next batch is
   * written while the broker still delivers. `due` also starts a batch that is not full.
   */
  private startBatches(due: boolean) {
    const size = this.options.mode === 'single' ? 1 : this.options.batchSize;
    const concurrency = this.options.mode === 'single' ? 1 : this.options.concurrency;
    while (this.inFlight.size < concurrency && this.pending.length > 0 && (due || this.pending.length >= size)) {
      const batch = this.pending.splice(0, size);
      const run: Promise<void> = this.storeAndAck(batch)
        // Unacked messages come again from the broker; one failed batch must not end the process.
        .catch((error: unknown) => this.log(`batch not acked: ${(error as Error).message}`))
        .finally(() => {
          this.inFlight.delete(run);
          // With no timer running, whatever is still pending is already due.
          this.startBatches(this.timer === null);
        });
      this.inFlight.add(run);
    }
  }

  /**
   * One transaction for the batch, then the acks. When the database refuses the batch because of
   * its content, it is split until the refused messages are alone (lib/ingest/isolate.ts): they
   * become dead letters with the database's reason and the rest is stored, so one poison message
   * can never hold up the others. On any other database error nothing is acked and it retries.
   */
  private async storeAndAck(batch: Pending[]): Promise<void> {
    const nowMs = Date.now();
    const items: Classified[] = batch.map((pending) => {
      const { message } = pending;
      const clock = { receivedAtMs: brokerReceivedAtMs(message.headers, nowMs), maxClockSkewSec: this.options.maxClockSkewSec };
      const result = classifyMessage({ body: message.body, headers: message.headers }, clock);
      return result.ok ? { pending, event: result.value } : { pending, deadLetter: this.deadLetter(message, result.error) };
    });
    let delay = 500;
    const startedAt = performance.now();
    for (;;) {
      try {
        let inserted = 0;
        let events = 0;
        let dead = 0;
        const refused = await writeIsolating(items, async (part) => {
          const batchEvents = part.flatMap((i) => ('event' in i ? [i.event] : []));
          const deadLetters = part.flatMap((i) => ('deadLetter' in i ? [i.deadLetter] : []));
          inserted += await storeBatch(this.db, { events: batchEvents, deadLetters });
          events += batchEvents.filter((e) => !e.check).length;
          dead += deadLetters.length;
        });
        if (refused.length > 0) {
          const letters = refused.map(({ item, error }) => {
            const why = `the database refused it: ${driverError(error).message}`;
            return this.deadLetter(item.pending.message, 'deadLetter' in item ? `${item.deadLetter.reason}; ${why}` : why);
          });
          await storeBatch(this.db, { events: [], deadLetters: letters });
          dead += letters.length;
          this.log(`${refused.length} message(s) the database refused kept as dead letters: ${letters[0]!.reason}`);
        }
        this.stats.stored += inserted;
        this.stats.duplicates += events - inserted;
        this.stats.deadLetters += dead;
        this.stats.lastError = null;
        this.options.observe?.({ size: batch.length, stored: inserted, duplicates: events - inserted, deadLetters: dead, commitSeconds: (performance.now() - startedAt) / 1000 });
        break;
      } catch (error) {
        this.stats.lastError = driverError(error).message;
        this.log(`database write failed, retrying in ${delay} ms without acking: ${this.stats.lastError}`);
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }
    this.ackAll(batch);
  }

  private deadLetter(message: IMessage, reason: string): DeadLetterToStore {
    return {
      destination: this.options.destination,
      messageId: message.headers['message-id'] ?? null,
      headers: message.headers,
      body: message.body,
      reason,
    };
  }

  /** Individual acks for the messages of this session; earlier sessions' messages are redelivered anyway. */
  private ackAll(batch: Pending[]) {
    if (!this.client.connected) return;
    for (const { message, session } of batch) {
      if (session !== this.session) continue;
      message.ack();
      this.stats.acked++;
    }
  }

  private async reportStatus(): Promise<void> {
    const row = {
      instance: this.options.instance,
      destination: this.options.destination,
      connected: this.stats.connected,
      startedAt: this.startedAt,
      updatedAt: new Date(),
      lastMessageAt: this.stats.lastMessageAt,
      messagesTotal: this.stats.acked,
      deadLettersTotal: this.stats.deadLetters,
      lastError: this.stats.lastError?.slice(0, 1024) ?? null,
    };
    try {
      await reportIngesterStatus(this.db, row);
    } catch {
      // Status is best effort; a database outage is already reported by the batch writer.
    }
  }

  /** Graceful: stop receiving, finish the batches in flight and what is pending, ack them, close. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    try {
      this.subscription?.unsubscribe();
    } catch {
      // already disconnected
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.pending.length > 0 || this.inFlight.size > 0) {
      this.startBatches(true);
      await Promise.race(this.inFlight);
    }
    if (this.statusTimer) clearInterval(this.statusTimer);
    await this.client.deactivate();
    this.stats.connected = false;
    await this.reportStatus();
  }
}
