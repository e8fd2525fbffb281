import { createDb } from '../db/connection';
import { processTelemetry } from '../metrics/process';
import { provisioningMetrics } from '../metrics/workers';
import { parseBrokerUrl } from '../stomp/broker-url';
import { loadProvisioningConfig } from './config';
import { ProvisioningWorker } from './provisioning';

const telemetry = processTelemetry('provisioning');
const { log } = telemetry;

// `npm run provisioning`: publishes plan-change orders to the host's provisioning system and applies its
// replies. Several may run against one database (the outbox is claimed with SKIP LOCKED).
async function main() {
  const config = loadProvisioningConfig();
  const { db, pool } = createDb(config.DATABASE_URL, { connectionLimit: 4 });
  const worker = new ProvisioningWorker(db, {
    endpoints: parseBrokerUrl(config.STOMP_URL),
    requestQueue: config.PROVISIONING_QUEUE,
    replyQueue: config.PROVISIONING_REPLY_QUEUE,
    pollMs: config.PROVISIONING_POLL_MS,
    portalUrl: config.NEXTAUTH_URL,
    log: (line) => log.info(line),
  });
  provisioningMetrics(telemetry.registry, worker.stats);
  await telemetry.serve();
  worker.start();
  log.info(`started: orders to ${config.PROVISIONING_QUEUE}, replies from ${config.PROVISIONING_REPLY_QUEUE}`);
  const shutdown = async (signal: string) => {
    log.info({ signal }, `${signal}: stopping`);
    await worker.stop();
    await Promise.all([pool.end(), telemetry.close()]);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: Error) => {
  log.fatal({ err: error }, error.message);
  process.exit(1);
});
