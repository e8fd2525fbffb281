import 'server-only';
import type { Database } from '../db/connection';
import { recordAudit } from '../db/queries/audit';
import type { RelayCheckResult } from '../net/relay-check';

/** The audit row of a relay check a staff member ran (the page's button or the API). */
export async function auditRelayRun(
  db: Database,
  actor: { id?: number | null; username?: string | null },
  results: readonly RelayCheckResult[],
  ip: string | null = null,
): Promise<void> {
  await recordAudit(db, {
    action: 'mx.relay_check',
    actor,
    target: { type: 'settings', id: 'mx' },
    ip,
    details: {
      hosts: results.map((r) => r.mxHost),
      ok: results.every((r) => r.ok),
      openRelays: results.filter((r) => r.openRelay).map((r) => r.mxHost),
      statuses: Object.fromEntries(results.map((r) => [r.mxHost, r.status])),
    },
  });
}
