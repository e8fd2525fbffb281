// How many messages wait on the broker, from ActiveMQ's statistics plugin (<statisticsBrokerPlugin/> in
// activemq.xml): a message sent to `ActiveMQ.Statistics.Destination.<queue>` (wildcards allowed) is
// answered on its reply-to with one MapMessage per matching queue. STOMP carries a MapMessage as JSON
// when the subscription asks for it (`transformation: jms-map-json`), which needs XStream and Jettison
// on the broker's classpath: upstream's distribution ships them, Debian's activemq package does not
// (libxstream-java and libjettison-java, linked into the broker's lib/; scripts/stack/activemq.ts).
// A broker without the plugin never answers, so the depth is then unknown (null), never a guess.
import type { StompSession } from './connect';

export interface QueueDepth {
  /** The queue's name as the broker knows it, without `/queue/`. */
  queue: string;
  /** Messages stored and not yet acknowledged. */
  messages: number;
  consumers: number;
}

/**
 * The queue(s) whose depth tells how far the ingesters are behind on `destination`: a queue is itself; a
 * virtual topic's are its consumer queues (one per INGEST_SUBSCRIPTION, lib/ingest/ingester.ts); a plain
 * topic keeps no queue of its own to count (null).
 */
export function statisticsPattern(destination: string): string | null {
  const queue = /^\/queue\/(.+)$/.exec(destination);
  if (queue) return queue[1]!;
  const virtual = /^\/topic\/(VirtualTopic\..+)$/.exec(destination);
  return virtual ? `Consumer.*.${virtual[1]}` : null;
}

type Entry = Record<string, unknown>;

/** The plugin's reply as jms-map-json writes it: `{"map":{"entry":[{"string":"size","long":5}, …]}}`. */
export function parseStatisticsMap(body: string): Record<string, string | number> {
  const parsed = JSON.parse(body) as { map?: { entry?: Entry | Entry[] } };
  const entries = parsed.map?.entry;
  const list = Array.isArray(entries) ? entries : entries ? [entries] : [];
  const out: Record<string, string | number> = {};
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null) continue;
    const key = entry.string;
    // A string value comes as a pair under "string"; any other type under its own name ("long", "int").
    if (Array.isArray(key) && key.length === 2) out[String(key[0])] = String(key[1]);
    else if (typeof key === 'string') {
      const value = Object.entries(entry).find(([k]) => k !== 'string')?.[1];
      if (typeof value === 'number' || typeof value === 'string') out[key] = Number.isFinite(Number(value)) ? Number(value) : String(value);
    }
  }
  return out;
}

function toDepth(stats: Record<string, string | number>): QueueDepth | null {
  const name = typeof stats.destinationName === 'string' ? stats.destinationName.replace(/^queue:\/\//, '') : null;
  if (name === null || typeof stats.size !== 'number') return null;
  return { queue: name, messages: stats.size, consumers: typeof stats.consumerCount === 'number' ? stats.consumerCount : 0 };
}

let sequence = 0;

/**
 * Asks the broker of `session` for the depth of the queues matching `pattern`. Answers the queues that
 * replied within `timeoutMs` (a wildcard's replies are collected until `settleMs` pass without another),
 * or null when none did: no plugin, no transformation, or no such queue.
 */
export async function queueDepths(session: StompSession, pattern: string, options: { timeoutMs?: number; settleMs?: number } = {}): Promise<QueueDepth[] | null> {
  const timeoutMs = options.timeoutMs ?? 1_000;
  const settleMs = options.settleMs ?? 150;
  const wildcard = /[*>]/.test(pattern);
  const replyTo = `/temp-queue/porthole.statistics.${process.pid}.${++sequence}`;
  const found = new Map<string, QueueDepth>();
  return new Promise((resolve) => {
    let settle: ReturnType<typeof setTimeout> | undefined;
    const finish = () => {
      clearTimeout(deadline);
      clearTimeout(settle);
      try {
        subscription.unsubscribe();
      } catch {
        // The session may be gone already; the answer stands.
      }
      resolve(found.size > 0 ? [...found.values()].sort((a, b) => a.queue.localeCompare(b.queue)) : null);
    };
    const deadline = setTimeout(finish, timeoutMs);
    const subscription = session.client.subscribe(
      replyTo,
      (message) => {
        let depth: QueueDepth | null = null;
        try {
          depth = toDepth(parseStatisticsMap(message.body));
        } catch {
          // Not the JSON we asked for (a broker without the transformation): ignored, so the answer is null.
        }
        if (depth) found.set(depth.queue, depth);
        if (!wildcard) return finish();
        clearTimeout(settle);
        settle = setTimeout(finish, settleMs);
      },
      { transformation: 'jms-map-json' },
    );
    // Non-persistent and short-lived: on a broker without the plugin the request would otherwise sit on a
    // queue of that name for good.
    session.client.publish({
      destination: `/queue/ActiveMQ.Statistics.Destination.${pattern}`,
      body: '',
      headers: { 'reply-to': replyTo, persistent: 'false', expires: String(Date.now() + 60_000) },
    });
  });
}
