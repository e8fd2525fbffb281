import { hostname } from 'node:os';
import { z } from 'zod';
import { databaseUrl, destination, parseEnv, positiveInt, stompUrl } from '../config/parse-env';
import { DEFAULT_MAX_CLOCK_SKEW_SECONDS } from './classify';

// The ingester's configuration, validated once at start-up.
const ingestEnvSchema = z.object({
  DATABASE_URL: databaseUrl.default('mysql://porthole:porthole@127.0.0.1:33306/porthole'),
  STOMP_URL: stompUrl.default('stomp://127.0.0.1:61713'),
  EVENTS_DESTINATION: destination.default('/queue/nagios.events'),
  /** Messages per database transaction, and how long a partial batch may wait. */
  INGEST_BATCH_SIZE: positiveInt(500),
  INGEST_BATCH_MS: positiveInt(25),
  /**
   * Unacknowledged messages the broker may hand us at once (bounds memory and redelivery): room for
   * the batches being written and the next one filling up. At most 1000 (ActiveMQ's own default for
   * queues): on a broker whose memory limit was taken up by other queues' backlogs, a prefetch of
   * 2000 stopped dispatch partway through a deep queue in 3 of 4 runs, while 1000 kept going.
   */
  INGEST_PREFETCH: positiveInt(1000, { limit: 1000, reason: "a larger prefetch can stall ActiveMQ's dispatch when its memory is short" }),
  /** Batches written at once, each in its own transaction: the next is written while one commits. */
  INGEST_CONCURRENCY: positiveInt(2),
  /** Durable subscription name for a /topic/ destination (and the STOMP client-id). */
  INGEST_SUBSCRIPTION: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)').default('porthole-ingester'),
  INGEST_INSTANCE: z.string().max(128).default(`${hostname()}:${process.pid}`),
  /**
   * How far after the broker received it an event may be dated (the Nagios and broker clocks
   * disagree a little); an event dated later is a dead letter and never a current state.
   */
  INGEST_MAX_CLOCK_SKEW_SECONDS: positiveInt(DEFAULT_MAX_CLOCK_SKEW_SECONDS),
  /** `single` stores and acks one message at a time: only for benchmarks. */
  INGEST_MODE: z.enum(['batch', 'single']).default('batch'),
});

export type IngestConfig = z.infer<typeof ingestEnvSchema>;
export const loadIngestConfig = (source: NodeJS.ProcessEnv = process.env): IngestConfig => parseEnv(ingestEnvSchema, source);
