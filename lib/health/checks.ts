import type { Directory } from '../auth/ldap';
import type { Database } from '../db/connection';
import { pingDatabase, pipelineHealthRow } from '../db/queries/health';
import type { BrokerEndpoint } from '../stomp/broker-url';
import { probeBroker, withStompConnection } from '../stomp/connect';
import { type QueueDepth, queueDepths, statisticsPattern } from '../stomp/queue-depth';
import { type CheckName, type HealthReport, healthStatus, pipelineHealth } from './status';
import { PORTHOLE_VERSION } from './version';

export type { CheckName, HealthReport } from './status';

const TIMEOUT_MS = 3000;

function withTimeout<T>(promise: Promise<T>, what: string, ms = TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The error's own words; drizzle's "Failed query: …" wrapper gives way to the driver's reason (ECONNREFUSED, Access denied). */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : null;
  const text = cause && error.message.startsWith('Failed query') ? cause.message || (cause as NodeJS.ErrnoException).code : error.message;
  return text || String(error);
}

async function run(what: string, fn: () => Promise<unknown>): Promise<string> {
  try {
    await withTimeout(fn(), what);
    return 'ok';
  } catch (error) {
    return errorText(error);
  }
}

/**
 * The depth of the events' queue(s) as the broker tells it (lib/stomp/queue-depth.ts). A broker that did
 * not answer is asked again only after `quietMs`, so a broker without the statistics plugin does not
 * cost every health request a wait.
 */
export function brokerQueueProbe(brokers: readonly BrokerEndpoint[], destination: string, quietMs = 5 * 60_000): () => Promise<QueueDepth[] | null> {
  const pattern = statisticsPattern(destination);
  let askAgainAt = 0;
  return async () => {
    if (pattern === null || Date.now() < askAgainAt) return null;
    const depths = await withStompConnection(brokers, TIMEOUT_MS, (session) => queueDepths(session, pattern)).catch(() => null);
    if (depths === null) askAgainAt = Date.now() + quietMs;
    return depths;
  };
}

/**
 * Every dependency checked in parallel; each answers "ok" or its error text. The pipeline's numbers are
 * read once the database answered; reading them failing is reported, not fatal (the instance can serve).
 */
export async function checkHealth(deps: {
  db: Database;
  directory: Directory;
  brokers: BrokerEndpoint[];
  /** The events queue's depth (brokerQueueProbe); unknown when not given. */
  queueDepths?: () => Promise<QueueDepth[] | null>;
  now?: () => Date;
}): Promise<HealthReport> {
  const now = deps.now ?? (() => new Date());
  // Any broker of a failover list answering is enough: publishers and the ingester fail over.
  const anyBroker = () => Promise.any(deps.brokers.map((b) => probeBroker(b, TIMEOUT_MS))).catch((e: AggregateError) => {
    throw new Error(e.errors.map((x: Error) => x.message).join('; '));
  });
  const queues = deps.queueDepths ? deps.queueDepths().catch(() => null) : Promise.resolve(null);
  const [database, ldap, broker] = await Promise.all([
    run('database', () => pingDatabase(deps.db)),
    run('ldap', () => deps.directory.ping()),
    run('broker', anyBroker),
  ]);
  const checks = { database, ldap, broker } satisfies Record<CheckName, string>;
  let pipeline: HealthReport['pipeline'] = null;
  if (database === 'ok') {
    const [row, depths] = await Promise.all([withTimeout(pipelineHealthRow(deps.db, now()), 'database').catch(() => null), queues]);
    pipeline = row ? pipelineHealth(row, now(), depths) : null;
  }
  return { status: healthStatus(checks), checks, version: PORTHOLE_VERSION, pipeline };
}

export interface ReadyReport {
  status: 'ok' | 'down';
  database: string;
}

/** Readiness: this instance can serve, which needs the database and nothing else. */
export async function checkReady(db: Database): Promise<ReadyReport> {
  const database = await run('database', () => pingDatabase(db));
  return { status: database === 'ok' ? 'ok' : 'down', database };
}
