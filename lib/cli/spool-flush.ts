// porthole-spool-flush: sends what the notify commands and porthole-perfdata spooled while no broker
// answered, oldest first, each file deleted once the broker confirmed it. Every spooled batch keeps
// the destination it was meant for, so only the broker is needed. Safe to run from cron beside Nagios.
import { hostname } from 'node:os';
import { Spool } from './spool';
import { BROKER_HELP, ENV_HELP, USAGE, parseBroker, parseCliEnv } from './args';
import { deliver } from './deliver';
import { type CliMain, EXIT_OK, stderrLogger, usageError } from './run';

const NAME = 'porthole-spool-flush';

export const spoolFlushMain: CliMain = async (io) => {
  if (io.argv[0] === '--help' || io.argv[0] === '-h') {
    await io.stdout([USAGE[NAME], BROKER_HELP, ENV_HELP, '  PORTHOLE_BROKER              BROKER when no argument is given'].join('\n') + '\n');
    return EXIT_OK;
  }
  if (io.argv.length > 1) return usageError(io, NAME, `expected at most 1 argument, got ${io.argv.length}`, USAGE[NAME], BROKER_HELP);
  const brokerText = io.argv[0] ?? (io.env.PORTHOLE_BROKER || undefined);
  if (brokerText === undefined) return usageError(io, NAME, 'no BROKER argument and PORTHOLE_BROKER is not set', USAGE[NAME], BROKER_HELP);
  const broker = parseBroker(brokerText);
  if (!broker.ok) return usageError(io, NAME, broker.error, USAGE[NAME], BROKER_HELP);
  const env = parseCliEnv(io.env, hostname());
  if (!env.ok) return usageError(io, NAME, env.error, USAGE[NAME], ENV_HELP);

  const log = stderrLogger(NAME, io);
  const spool = new Spool(env.value.spoolDir);
  const report = await deliver(null, {
    endpoints: broker.value,
    spool,
    connectTimeoutMs: env.value.connectTimeoutMs,
    receiptTimeoutMs: env.value.receiptTimeoutMs,
    log,
  });
  const left = spool.list().length;
  const summary = `sent ${report.flushedFiles} spooled file(s) (${report.flushedMessages} message(s)); ${left} left in ${spool.dir}`;
  log(report.brokerError ? `${report.brokerError}; ${summary}` : summary);
  return EXIT_OK;
};
