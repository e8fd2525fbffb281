// Runs the relay check (lib/net/relay-check.ts) with the host's settings and stores the results: for
// staff (the /admin/mx action and the API) and on a schedule in the notifier (lib/notify/main.ts),
// where one of several notifiers claims each run (lib/db/queries/mx-relay.ts claimRelaySchedule).
// No 'server-only': the notifier imports it.
import { hostname } from 'node:os';
import { z } from 'zod';
import { parseEnv } from '../config/parse-env';
import type { Database } from '../db/connection';
import { SCHEDULE_TRIGGER, claimRelaySchedule, relayCandidateDomains, saveRelayChecks } from '../db/queries/mx-relay';
import { loadGuideSettings } from '../db/queries/settings';
import { mxBackupInput } from '../guides/settings';
import { type RelayCheckConfig, type RelayCheckResult, type RelayDns, checkAllRelays, relayCheckConfigFromEnv, resolverDns } from '../net/relay-check';
import { type Repeating, repeatTries } from './repeat';

export interface RelayRun {
  results: RelayCheckResult[];
  ids: number[];
}

/** Checks every configured MX host now and stores one row per host. */
export async function runRelayChecks(
  db: Database,
  triggeredBy: string,
  options: { config?: RelayCheckConfig; dns?: RelayDns } = {},
): Promise<RelayRun> {
  const [{ values }, customerDomains] = await Promise.all([loadGuideSettings(db), relayCandidateDomains(db)]);
  // The same resolvers as the customers' MX checks: staff's DNS servers setting, else the system's.
  const dns = options.dns ?? resolverDns({ servers: values.dnsServers });
  const results = await checkAllRelays({ settings: mxBackupInput(values), customerDomains, config: options.config ?? relayCheckConfigFromEnv(), dns });
  const ids = await saveRelayChecks(db, results, triggeredBy);
  return { results, ids };
}

const scheduleEnvSchema = z.object({
  /** How often the scheduled relay check runs; 0: never. */
  RELAY_CHECK_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(360),
});

export function relayScheduleMinutes(source: NodeJS.ProcessEnv = process.env): number {
  return parseEnv(scheduleEnvSchema, source).RELAY_CHECK_INTERVAL_MINUTES;
}

export type RelaySchedule = Repeating;

/**
 * Every minute (or interval, if shorter) tries to claim the run; the one process that gets it checks
 * every host. An open relay is logged loudly here and shown at the top of /admin and /admin/mx.
 */
export function startRelaySchedule(
  db: Database,
  options: { intervalMs: number; owner?: string; log?: (line: string) => void; config?: RelayCheckConfig; dns?: RelayDns },
): RelaySchedule {
  const owner = options.owner ?? `${hostname()}:${process.pid}`;
  const log = options.log ?? ((line: string) => console.log(`[relay-check] ${line}`));
  const tick = async () => {
    try {
      if (!(await claimRelaySchedule(db, owner, options.intervalMs))) return;
      const { results } = await runRelayChecks(db, SCHEDULE_TRIGGER, options);
      for (const r of results) {
        const line = `${r.mxHost}: ${r.status.toUpperCase()}: ${r.summary}`;
        if (r.openRelay) console.error(`[relay-check] ALERT ${line}`);
        else log(line);
      }
    } catch (error) {
      log(`the scheduled relay check failed: ${(error as Error).message}`);
    }
  };
  return repeatTries(tick, options.intervalMs);
}
