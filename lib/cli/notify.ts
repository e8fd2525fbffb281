// notify-service-by-stomp / notify-host-by-stomp: what Nagios runs from global_service_event_handler /
// global_host_event_handler (or as a notification command). One event per run, sent after whatever is
// spooled; spooled itself when no broker confirms it. Exit 0 whenever the event is sent or spooled.
import { hostname } from 'node:os';
import { Spool } from './spool';
import { BROKER_HELP, DESTINATION_HELP, ENV_HELP, USAGE, parseCliEnv, parseNotifyArgs } from './args';
import { deliver } from './deliver';
import { type EventKind, WIRE_LIMITS, buildEventBody, identifierProblem } from '../monitoring/wire';
import { newEventId, stateEventId } from './event-id';
import { type CliMain, EXIT_FAILURE, EXIT_OK, stderrLogger, usageError } from './run';

export function notifyMain(kind: EventKind): CliMain {
  const name = kind === 'service' ? 'notify-service-by-stomp' : 'notify-host-by-stomp';
  const usage = USAGE[name];
  return async (io) => {
    if (io.argv.length === 1 && (io.argv[0] === '--help' || io.argv[0] === '-h')) {
      await io.stdout([usage, BROKER_HELP, DESTINATION_HELP, ENV_HELP].join('\n') + '\n');
      return EXIT_OK;
    }
    const args = parseNotifyArgs(kind, io.argv);
    if (!args.ok) return usageError(io, name, args.error, usage, BROKER_HELP, DESTINATION_HELP);
    const env = parseCliEnv(io.env, hostname());
    if (!env.ok) return usageError(io, name, env.error, usage, ENV_HELP);
    const a = args.value;

    // With enable_environment_macros=1, Nagios also exports these; use them when they are usable.
    const hostName = io.env.NAGIOS_HOSTNAME;
    const longOutput = kind === 'service' ? io.env.NAGIOS_LONGSERVICEOUTPUT : io.env.NAGIOS_LONGHOSTOUTPUT;
    // Named by Nagios' own state-change time when it is given (argument, or the environment macro), so
    // the same state change from the perfdata file path is stored once; a random id otherwise.
    const envChange = kind === 'service' ? io.env.NAGIOS_LASTSERVICESTATECHANGE : io.env.NAGIOS_LASTHOSTSTATECHANGE;
    const lastStateChange = a.lastStateChange ?? (envChange && /^\d{1,10}$/.test(envChange) ? Number(envChange) : null);
    const eventId =
      lastStateChange !== null && lastStateChange > 0
        ? stateEventId(env.value.source, { kind, hostname: a.hostname, service: a.service, state: a.state, stateType: a.stateType, attempt: a.attempt, lastStateChange })
        : newEventId();
    const body = buildEventBody({
      kind,
      occurredAt: new Date(),
      state: a.state,
      stateType: a.stateType,
      stateDurationSec: a.stateDurationSec,
      attempt: a.attempt,
      maxAttempts: a.maxAttempts,
      hostname: a.hostname,
      service: a.service,
      ...(hostName && !identifierProblem(hostName, WIRE_LIMITS.hostNameChars) ? { hostName } : {}),
      output: a.output,
      ...(longOutput ? { longOutput } : {}),
      perfdata: a.perfdata,
      eventId,
      source: env.value.source,
    });

    const log = stderrLogger(name, io);
    try {
      const report = await deliver(
        { destination: a.destination, bodies: [body] },
        {
          endpoints: a.endpoints,
          spool: new Spool(env.value.spoolDir),
          connectTimeoutMs: env.value.connectTimeoutMs,
          receiptTimeoutMs: env.value.receiptTimeoutMs,
          log,
        },
      );
      if (report.flushedFiles > 0) log(`sent ${report.flushedFiles} spooled file(s) (${report.flushedMessages} message(s)) first`);
      if (report.outcome === 'spooled') log(`${report.brokerError}; event ${eventId} spooled to ${report.spooledPath}`);
      return EXIT_OK;
    } catch (error) {
      log(`event NOT sent and NOT spooled (${error instanceof Error ? error.message : String(error)}): ${body}`);
      return EXIT_FAILURE;
    }
  };
}
