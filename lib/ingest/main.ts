import { createDb } from '../db/connection';
import { pipelineHealthRow } from '../db/queries/health';
import { processTelemetry } from '../metrics/process';
import { ingesterMetrics, pipelineMetrics } from '../metrics/workers';
import { parseBrokerUrl } from '../stomp/broker-url';
import { loadIngestConfig } from './config';
import { Ingester } from './ingester';

const telemetry = processTelemetry('ingester');
const { log } = telemetry;

// `npm run ingester`: the long-running consumer beside the web server. Production runs its bundle,
// dist/ingester.js (scripts/build-processes.ts); the demo and the tests run this file through tsx.
async function main() {
  const config = loadIngestConfig();
  const { db, pool } = createDb(config.DATABASE_URL, { connectionLimit: config.INGEST_CONCURRENCY + 1 });
  // Lag and dead letters waiting, read when scraped: the ingester is the one process every install runs.
  pipelineMetrics(telemetry.registry, () => pipelineHealthRow(db));
  const ingester = new Ingester(db, {
    endpoints: parseBrokerUrl(config.STOMP_URL),
    destination: config.EVENTS_DESTINATION,
    batchSize: config.INGEST_BATCH_SIZE,
    batchMs: config.INGEST_BATCH_MS,
    prefetch: config.INGEST_PREFETCH,
    concurrency: config.INGEST_CONCURRENCY,
    subscriptionName: config.INGEST_SUBSCRIPTION,
    instance: config.INGEST_INSTANCE,
    mode: config.INGEST_MODE,
    maxClockSkewSec: config.INGEST_MAX_CLOCK_SKEW_SECONDS,
    log: (line) => log.info(line),
    observe: ingesterMetrics(telemetry.registry),
  });
  await telemetry.serve();
  ingester.start();

  const shutdown = async (signal: string) => {
    log.info({ signal }, `${signal}: finishing the batches in flight`);
    await ingester.stop();
    await Promise.all([pool.end(), telemetry.close()]);
    log.info({ acked: ingester.stats.acked }, `stopped (${ingester.stats.acked} messages acked)`);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: Error) => {
  log.fatal({ err: error }, error.message);
  process.exit(1);
});
