import { createDb } from '../db/connection';
import { mailCheckScheduleMinutes, startMailCheckSchedule } from '../mx/mail-checks';
import { relayScheduleMinutes, startRelaySchedule } from '../mx/relay-checks';
import { createChannels } from './channels';
import { loadNotifyConfig } from './config';
import { Notifier } from './notifier';

// `npm run notifier`: delivers alerts beside the ingester. Several may run against one database.
async function main() {
  const config = loadNotifyConfig();
  const { db, pool } = createDb(config.DATABASE_URL, { connectionLimit: 8 });
  const channels = createChannels();
  const notifier = new Notifier(db, { channels, portalUrl: config.NEXTAUTH_URL, pollMs: config.NOTIFY_POLL_MS, leaseMs: config.NOTIFY_LEASE_MS, forecastIntervalMs: config.NOTIFY_FORECAST_MINUTES * 60_000 });
  notifier.start();
  // The backup MX hosts' relay check rides along: one notifier per interval claims it (README, "Relay check").
  const relayMinutes = relayScheduleMinutes();
  const relaySchedule = relayMinutes > 0 ? startRelaySchedule(db, { intervalMs: relayMinutes * 60_000, owner: config.NOTIFY_INSTANCE }) : null;
  // So do the customers' mail-domain DNS checks, each result stored as if the customer pressed "Check now" (README, "Mail checks on a schedule").
  const mailMinutes = mailCheckScheduleMinutes();
  const mailSchedule = mailMinutes > 0 ? startMailCheckSchedule(db, { intervalMs: mailMinutes * 60_000, owner: config.NOTIFY_INSTANCE }) : null;
  console.log(`[notifier] ${config.NOTIFY_INSTANCE} started (${Object.keys(channels).join(', ')}, alarm)`);

  const shutdown = async (signal: string) => {
    console.log(`[notifier] ${signal}: finishing the messages in flight`);
    await Promise.all([notifier.stop(), relaySchedule?.stop(), mailSchedule?.stop()]);
    await pool.end();
    console.log(`[notifier] stopped (${notifier.stats.sent} sent, ${notifier.stats.failed} failed)`);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: Error) => {
  console.error(`[notifier] ${error.message}`);
  process.exit(1);
});
