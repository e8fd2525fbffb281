// The pure half of /api/health: what the checks and the pipeline's numbers mean for a load balancer and
// for check_porthole. No I/O here, so every state is a unit test (status.test.ts).
import type { PipelineHealthRow } from '../db/queries/health';
import type { QueueDepth } from '../stomp/queue-depth';

export type CheckName = 'database' | 'ldap' | 'broker';
export type HealthStatus = 'ok' | 'degraded' | 'down';

/** An ingester whose heartbeat (every 5 s, lib/ingest/ingester.ts) is older than this is stale, as on /admin/pipeline. */
export const INGESTER_STALE_MS = 30_000;

export interface IngesterHealth {
  instance: string;
  destination: string;
  /** Connected to the broker at its last heartbeat, and that heartbeat is fresh. */
  connected: boolean;
  heartbeatAgeSeconds: number;
  lastMessageAt: string | null;
}

export interface PipelineHealth {
  ingesters: IngesterHealth[];
  /** Age of the newest stored event (by the time it was received); null when none is stored. */
  lagSeconds: number | null;
  /** Dead letters waiting for staff. */
  deadLetters: number;
  /** Alert deliveries whose time has come and that no notifier has finished: the notification backlog. */
  notificationBacklog: number;
  /** Events waiting on the broker for an ingester, summed over `queues`; null when the broker does not tell. */
  queueDepth: number | null;
  queues: QueueDepth[] | null;
}

export interface HealthReport {
  status: HealthStatus;
  checks: Record<CheckName, string>;
  version: string;
  /** Null when the database did not answer (then nothing of the pipeline can be read). */
  pipeline: PipelineHealth | null;
}

/**
 * Only the database makes an instance `down` (503: it can serve nothing). LDAP or the broker failing
 * makes it `degraded` (200): logged-in users keep working, events wait on the broker or the Nagios
 * host's spool, and taking every instance out of the load balancer would help no one.
 */
export function healthStatus(checks: Record<CheckName, string>): HealthStatus {
  if (checks.database !== 'ok') return 'down';
  return checks.ldap === 'ok' && checks.broker === 'ok' ? 'ok' : 'degraded';
}

export function httpStatusFor(status: HealthStatus): 200 | 503 {
  return status === 'down' ? 503 : 200;
}

const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));

/** The pipeline's rows and the broker's queue depths as the report shows them, ages counted from `now`. */
export function pipelineHealth(row: PipelineHealthRow, now: Date, queues: QueueDepth[] | null = null): PipelineHealth {
  return {
    ingesters: row.ingesters.map((i) => {
      const age = now.getTime() - i.updatedAt.getTime();
      return {
        instance: i.instance,
        destination: i.destination,
        connected: i.connected && age < INGESTER_STALE_MS,
        heartbeatAgeSeconds: seconds(age),
        lastMessageAt: i.lastMessageAt?.toISOString() ?? null,
      };
    }),
    lagSeconds: row.newestEventAt ? seconds(now.getTime() - row.newestEventAt.getTime()) : null,
    deadLetters: row.deadLetters,
    notificationBacklog: row.notificationBacklog,
    queueDepth: queues ? queues.reduce((n, q) => n + q.messages, 0) : null,
    queues,
  };
}
