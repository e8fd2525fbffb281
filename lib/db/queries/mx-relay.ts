// Stored relay checks of our backup MX hosts (lib/net/relay-check.ts runs them), and the lease that
// lets one of several notifiers run the scheduled check. No 'server-only': the notifier imports it.
import { and, asc, desc, eq, lt, sql } from 'drizzle-orm';
import type { RelayCheckResult } from '../../net/relay-check';
import type { Database } from '../connection';
import { mailDomains, mxRelayChecks, settings } from '../schema';

export interface StoredRelayCheck {
  id: number;
  mxHost: string;
  checkedAt: Date;
  ok: boolean;
  openRelay: boolean;
  triggeredBy: string;
  /** As stored; null when the JSON is not a result this version understands. */
  result: RelayCheckResult | null;
}

export const SCHEDULE_TRIGGER = 'schedule';

function toStored(row: typeof mxRelayChecks.$inferSelect): StoredRelayCheck {
  const r = row.result as Partial<RelayCheckResult> | null;
  const result = r && r.version === 1 && Array.isArray(r.probes) ? (r as RelayCheckResult) : null;
  return { id: row.id, mxHost: row.mxHost, checkedAt: row.checkedAt, ok: row.ok, openRelay: row.openRelay, triggeredBy: row.triggeredBy, result };
}

/** Stores one result per host; returns the new rows' ids in the same order. */
export async function saveRelayChecks(db: Database, results: readonly RelayCheckResult[], triggeredBy: string): Promise<number[]> {
  const ids: number[] = [];
  for (const r of results) {
    const [row] = await db
      .insert(mxRelayChecks)
      .values({ mxHost: r.mxHost.slice(0, 253), checkedAt: new Date(r.checkedAt), ok: r.ok, openRelay: r.openRelay, result: r, triggeredBy: triggeredBy.slice(0, 255) })
      .$returningId();
    ids.push(row!.id);
  }
  return ids;
}

/** The newest check of each host, open relays first, then by host name. */
export async function latestRelayChecks(db: Database): Promise<StoredRelayCheck[]> {
  const newest = db
    .select({ mxHost: mxRelayChecks.mxHost, id: sql<number>`max(${mxRelayChecks.id})`.as('newest_id') })
    .from(mxRelayChecks)
    .groupBy(mxRelayChecks.mxHost)
    .as('newest');
  const rows = await db
    .select({ check: mxRelayChecks })
    .from(mxRelayChecks)
    .innerJoin(newest, eq(newest.id, mxRelayChecks.id))
    .orderBy(desc(mxRelayChecks.openRelay), asc(mxRelayChecks.mxHost));
  return rows.map((r) => toStored(r.check));
}

/** Earlier checks, newest first; `before` pages by id. */
export async function relayCheckHistory(db: Database, options: { limit?: number; before?: number; mxHost?: string } = {}): Promise<StoredRelayCheck[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const rows = await db
    .select()
    .from(mxRelayChecks)
    .where(
      and(
        options.before !== undefined ? lt(mxRelayChecks.id, options.before) : undefined,
        options.mxHost !== undefined ? eq(mxRelayChecks.mxHost, options.mxHost) : undefined,
      ),
    )
    .orderBy(desc(mxRelayChecks.id))
    .limit(limit);
  return rows.map(toStored);
}

/** Hosts whose newest check found an open relay: the loud banner on /admin and /admin/mx. */
export async function openRelayHosts(db: Database): Promise<StoredRelayCheck[]> {
  return (await latestRelayChecks(db)).filter((c) => c.openRelay);
}

/** Every customer's mail domain, once each, in a stable order: the candidates for the probes. */
export async function relayCandidateDomains(db: Database): Promise<string[]> {
  const rows = await db.selectDistinct({ domain: mailDomains.domain }).from(mailDomains).orderBy(asc(mailDomains.domain));
  return rows.map((r) => r.domain);
}

export const RELAY_LEASE_KEY = 'job.mx_relay_check';

/**
 * Claims the scheduled run: true for exactly one caller per interval, across every process. One
 * conditional UPDATE on a settings row (its updated_at is when the last run was claimed), atomic on
 * one server and certified on Galera, where GET_LOCK would not be cluster-wide.
 */
export async function claimRelaySchedule(db: Database, owner: string, intervalMs: number, now = new Date()): Promise<boolean> {
  await db
    .insert(settings)
    .values({ key: RELAY_LEASE_KEY, value: { owner: null }, updatedAt: new Date(0), updatedBy: null })
    .onDuplicateKeyUpdate({ set: { key: sql`${settings.key}` } });
  const [result] = await db
    .update(settings)
    .set({ value: { owner: owner.slice(0, 64), claimedAt: now.toISOString() }, updatedAt: now, updatedBy: owner.slice(0, 64) })
    .where(and(eq(settings.key, RELAY_LEASE_KEY), lt(settings.updatedAt, new Date(now.getTime() - intervalMs))));
  return result.affectedRows === 1;
}
