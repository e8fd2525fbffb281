import type { Directory } from '../auth/ldap';
import type { Database } from '../db/connection';
import { pingDatabase } from '../db/queries/health';
import type { BrokerEndpoint } from '../stomp/broker-url';
import { probeBroker } from '../stomp/connect';

export type CheckName = 'database' | 'ldap' | 'broker';
export interface HealthReport {
  status: 'ok' | 'error';
  checks: Record<CheckName, string>;
}

const TIMEOUT_MS = 3000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Every dependency checked in parallel; each answers "ok" or its error text. */
export async function checkHealth(deps: {
  db: Database;
  directory: Directory;
  brokers: BrokerEndpoint[];
}): Promise<HealthReport> {
  const run = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await withTimeout(fn(), what);
      return 'ok';
    } catch (error) {
      return (error as Error).message || String(error);
    }
  };
  // Any broker of a failover list answering is enough: publishers and the ingester fail over.
  const anyBroker = () => Promise.any(deps.brokers.map((b) => probeBroker(b, TIMEOUT_MS))).catch((e: AggregateError) => {
    throw new Error(e.errors.map((x: Error) => x.message).join('; '));
  });
  const [database, ldap, broker] = await Promise.all([
    run('database', () => pingDatabase(deps.db)),
    run('ldap', () => deps.directory.ping()),
    run('broker', anyBroker),
  ]);
  const checks = { database, ldap, broker };
  return { status: Object.values(checks).every((c) => c === 'ok') ? 'ok' : 'error', checks };
}
