import { createDb } from '../db/connection';
import { pipelineHealthRow } from '../db/queries/health';
import { processTelemetry } from '../metrics/process';
import { notifierMetrics, pipelineMetrics } from '../metrics/workers';
import { mailCheckScheduleMinutes, startMailCheckSchedule } from '../mx/mail-checks';
import { relayScheduleMinutes, startRelaySchedule } from '../mx/relay-checks';
import { createChannels } from './channels';
import { loadNotifyConfig } from './config';
import { Notifier } from './notifier';

const telemetry = processTelemetry('notifier');
const { log } = telemetry;

// `npm run notifier`: delivers alerts beside the ingester. Several may run against one database.
async function main() {
  const config = loadNotifyConfig();
  const { db, pool } = createDb(config.DATABASE_URL, { connectionLimit: 8 });
  const channels = createChannels();
  const notifier = new Notifier(db, { channels, portalUrl: config.NEXTAUTH_URL, pollMs: config.NOTIFY_POLL_MS, leaseMs: config.NOTIFY_LEASE_MS, forecastIntervalMs: config.NOTIFY_FORECAST_MINUTES * 60_000, log: (line) => log.info(line), observe: notifierMetrics(telemetry.registry) });
  pipelineMetrics(telemetry.registry, () => pipelineHealthRow(db));
  await telemetry.serve();
  notifier.start();
  // The backup MX hosts' relay check rides along: one notifier per interval claims it (README, "Relay check").
  const relayMinutes = relayScheduleMinutes();
  const relaySchedule = relayMinutes > 0 ? startRelaySchedule(db, { intervalMs: relayMinutes * 60_000, owner: config.NOTIFY_INSTANCE }) : null;
  // So do the customers' mail-domain DNS checks, each result stored as if the customer pressed "Check now" (README, "Mail checks on a schedule").
  const mailMinutes = mailCheckScheduleMinutes();
  const mailSchedule = mailMinutes > 0 ? startMailCheckSchedule(db, { intervalMs: mailMinutes * 60_000, portalUrl: config.NEXTAUTH_URL, owner: config.NOTIFY_INSTANCE, log: (line) => log.info({ job: 'mail-check' }, line) }) : null;
  log.info(`${config.NOTIFY_INSTANCE} started (${Object.keys(channels).join(', ')}, alarm)`);

  const shutdown = async (signal: string) => {
    log.info({ signal }, `${signal}: finishing the messages in flight`);
    await Promise.all([notifier.stop(), relaySchedule?.stop(), mailSchedule?.stop()]);
    await Promise.all([pool.end(), telemetry.close()]);
    log.info(`stopped (${notifier.stats.sent} sent, ${notifier.stats.failed} failed)`);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: Error) => {
  log.fatal({ err: error }, error.message);
  process.exit(1);
});
