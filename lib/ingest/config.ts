import { hostname } from 'node:os';
import { z } from 'zod';
import { databaseUrl, destination, parseEnv, positiveInt, stompUrl } from '../config/parse-env';

// The ingester's configuration, validated once at start-up.
const ingestEnvSchema = z.object({
  DATABASE_URL: databaseUrl.default('mysql://porthole:porthole@127.0.0.1:33306/porthole'),
  STOMP_URL: stompUrl.default('stomp://127.0.0.1:61713'),
  EVENTS_DESTINATION: destination.default('/queue/nagios.events'),
  /** Messages per database transaction, and how long a partial batch may wait. */
  INGEST_BATCH_SIZE: positiveInt(500),
  INGEST_BATCH_MS: positiveInt(25),
  /**
   * Unacknowledged messages the broker may hand us at once (bounds memory and redelivery). Measured
   * on ActiveMQ 5.17 STOMP: a prefetch of 2000 over a deep queue stalled dispatch; 500 does not.
   */
  INGEST_PREFETCH: positiveInt(500),
  /** Durable subscription name for a /topic/ destination (and the STOMP client-id). */
  INGEST_SUBSCRIPTION: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)').default('porthole-ingester'),
  INGEST_INSTANCE: z.string().max(128).default(`${hostname()}:${process.pid}`),
  /** `single` stores and acks one message at a time: only for benchmarks. */
  INGEST_MODE: z.enum(['batch', 'single']).default('batch'),
});

export type IngestConfig = z.infer<typeof ingestEnvSchema>;
export const loadIngestConfig = (source: NodeJS.ProcessEnv = process.env): IngestConfig => parseEnv(ingestEnvSchema, source);
