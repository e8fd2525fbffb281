// The workers' own series, beside the default ones every registry has (lib/metrics/registry.mjs). The
// workers report through plain callbacks (IngesterOptions.observe, NotifierOptions.observe), so their
// classes know nothing of prom-client; the main entry points wire them here.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface BatchObservation {
  /** Messages in the batch, events and dead letters alike. */
  size: number;
  /** Events newly stored (duplicates of stored ones not counted). */
  stored: number;
  duplicates: number;
  deadLetters: number;
  /** From the first write to the commit of the last part, retries included. */
  commitSeconds: number;
}

export function ingesterMetrics(registry: Registry) {
  const events = new Counter({ name: 'porthole_ingest_events_total', help: 'Messages taken from the broker and acked, by outcome: stored, duplicate or dead_letter.', labelNames: ['outcome'], registers: [registry] });
  const batches = new Histogram({ name: 'porthole_ingest_batch_size', help: 'Messages per stored batch.', buckets: [1, 2, 5, 10, 25, 50, 100, 200, 500, 1000], registers: [registry] });
  const commit = new Histogram({ name: 'porthole_ingest_commit_seconds', help: 'Time to store a batch, from the first write to its commit (retries included).', buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30], registers: [registry] });
  const deadLetters = new Counter({ name: 'porthole_ingest_dead_letters_total', help: 'Messages kept as dead letters (unreadable, or refused by the database).', registers: [registry] });
  for (const outcome of ['stored', 'duplicate', 'dead_letter']) events.inc({ outcome }, 0);
  return (b: BatchObservation) => {
    events.inc({ outcome: 'stored' }, b.stored);
    events.inc({ outcome: 'duplicate' }, b.duplicates);
    events.inc({ outcome: 'dead_letter' }, b.deadLetters);
    deadLetters.inc(b.deadLetters);
    batches.observe(b.size);
    commit.observe(b.commitSeconds);
  };
}

export type NotificationOutcome = 'sent' | 'retried' | 'failed';

export function notifierMetrics(registry: Registry) {
  const sent = new Counter({ name: 'porthole_notifications_total', help: 'Delivery attempts by channel (email, sms, webpush, alarm, …) and outcome: sent, retried (will try again) or failed (gave up or rejected).', labelNames: ['channel', 'outcome'], registers: [registry] });
  return (channel: string, outcome: NotificationOutcome) => sent.inc({ channel, outcome });
}

/** The provisioning publisher's running counts (ProvisioningWorker.stats), read at scrape time. */
export interface ProvisioningStats {
  published: number;
  publishFailures: number;
  replies: number;
  deadLetters: number;
}

export function provisioningMetrics(registry: Registry, stats: Readonly<ProvisioningStats>) {
  const counter = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  counter('porthole_provisioning_published_total', 'Order messages the provisioning system confirmed receiving (broker receipts).', () => stats.published);
  counter('porthole_provisioning_publish_failures_total', 'Publishing rounds that found no broker; their messages wait in the outbox.', () => stats.publishFailures);
  counter('porthole_provisioning_replies_total', 'Replies from the provisioning system applied (or found to change nothing).', () => stats.replies);
  counter('porthole_provisioning_reply_dead_letters_total', 'Replies kept as dead letters for staff (unreadable, no such order, or contradicting it).', () => stats.deadLetters);
}

export interface PipelineReading {
  newestEventAt: Date | null;
  deadLetters: number;
  notificationBacklog: number;
}

/**
 * Queue lag read from the database when scraped (lib/db/queries/health.ts, the same indexed reads as
 * /api/health), at most once per `cacheMs` so that several scrapers cost one round of queries. NaN, not 0,
 * when the database does not answer: no backlog and an unknown one must not look alike.
 */
export function pipelineMetrics(registry: Registry, read: () => Promise<PipelineReading>, { cacheMs = 10_000, now = () => Date.now() } = {}) {
  let last: { at: number; value: Promise<PipelineReading | null> } | null = null;
  const reading = () => {
    if (!last || now() - last.at > cacheMs) last = { at: now(), value: read().catch(() => null) };
    return last.value;
  };
  new Gauge({
    name: 'porthole_event_lag_seconds',
    help: 'Age of the newest stored event (by the time the broker received it); NaN when none is stored or the database does not answer.',
    registers: [registry],
    async collect() {
      const r = await reading();
      this.set(r?.newestEventAt ? (now() - r.newestEventAt.getTime()) / 1000 : Number.NaN);
    },
  });
  new Gauge({
    name: 'porthole_dead_letters_waiting',
    help: 'Dead letters waiting for staff (status new); NaN when the database does not answer.',
    registers: [registry],
    async collect() {
      const r = await reading();
      this.set(r ? r.deadLetters : Number.NaN);
    },
  });
  new Gauge({
    name: 'porthole_notification_backlog',
    help: 'Alert deliveries already due that no notifier has finished (the pending outbox); NaN when the database does not answer.',
    registers: [registry],
    async collect() {
      const r = await reading();
      this.set(r ? r.notificationBacklog : Number.NaN);
    },
  });
}
