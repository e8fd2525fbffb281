// The staff wallboard's reads and writes: every current problem of every VM with its acknowledgement,
// and acknowledging (with its audit rows, in one transaction). Staff only, so no account parameter:
// the callers (lib/admin/wallboard.ts behind requireStaff / staffApiRoute) are the check.
// No 'server-only': the wallboard benchmark (scripts/bench/wallboard.ts) runs these outside Next.
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/mysql-core';
import type { Database } from '../connection';
import { accounts, auditLog, serviceStates, vms, wallboardAcks } from '../schema';

/** Plugin output on the board is one line; longer text stays on the VM page. */
export const OUTPUT_CHARS = 200;
const UP_STATES = ['OK', 'UP'];

export interface ProblemRow {
  vmId: number;
  hostname: string;
  accountId: number;
  accountName: string;
  /** '' for the host itself. */
  service: string;
  state: string;
  stateType: 'HARD' | 'SOFT';
  attempt: number;
  maxAttempts: number;
  output: string | null;
  since: Date;
  lastCheckAt: Date;
  ackAt: Date | null;
  ackBy: string | null;
}

/** One problem: a (VM, service) and the time its current state began. */
export interface ProblemKey {
  vmId: number;
  service: string;
  since: Date;
}

const ackMatches = (s: typeof serviceStates) =>
  and(eq(wallboardAcks.vmId, s.vmId), eq(wallboardAcks.service, s.service), eq(wallboardAcks.stateSince, s.stateSince));

/**
 * Every current problem (state not OK/UP, HARD or SOFT) of every VM, with its VM, account and
 * acknowledgement, in one statement: the wallboard's snapshot is exactly one query. Unordered (the
 * caller orders by lib/monitoring/severity.ts). A VM that Nagios reported under two names (its address
 * and its host_name) has two rows for one service: only the newest counts, as on the VM page, so an old
 * CRITICAL under a name no longer used does not stay on the board (the NOT EXISTS probes
 * service_states_vm_idx, (vm_id, service), for the problem rows only).
 *
 * STRAIGHT_JOIN: left to itself MariaDB 10.11 walks accounts → vms → service_states by VM, 22,000 index
 * probes for 2,000 VMs (about 24 ms, scripts/bench/wallboard.ts); one pass over service_states, then
 * primary-key lookups for the few hundred problems, takes about 10 ms.
 */
export async function currentProblems(db: Database): Promise<ProblemRow[]> {
  const s = serviceStates;
  const newer = alias(serviceStates, 'newer');
  const [rows] = (await db.execute(sql`
    SELECT STRAIGHT_JOIN ${vms.id} AS vmId, ${vms.hostname} AS hostname, ${accounts.id} AS accountId, ${accounts.name} AS accountName,
      ${s.service} AS service, ${s.state} AS state, ${s.stateType} AS stateType, ${s.attempt} AS attempt, ${s.maxAttempts} AS maxAttempts,
      LEFT(${s.output}, ${sql.raw(String(OUTPUT_CHARS))}) AS output, ${s.stateSince} AS since, ${s.lastCheckAt} AS lastCheckAt,
      ${wallboardAcks.acknowledgedAt} AS ackAt, ${wallboardAcks.acknowledgedBy} AS ackBy
    FROM ${s}
    JOIN ${vms} ON ${vms.id} = ${s.vmId}
    JOIN ${accounts} ON ${accounts.id} = ${vms.accountId}
    LEFT JOIN ${wallboardAcks} ON ${ackMatches(s)}
    WHERE ${vms.retiredAt} IS NULL AND ${s.state} NOT IN (${sql.join(
      UP_STATES.map((u) => sql`${u}`),
      sql`, `,
    )})
      AND NOT EXISTS (
        SELECT 1 FROM ${serviceStates} AS ${sql.identifier('newer')}
        WHERE ${newer.vmId} = ${s.vmId} AND ${newer.service} = ${s.service}
          AND (${newer.lastEventAt} > ${s.lastEventAt} OR (${newer.lastEventAt} = ${s.lastEventAt} AND ${newer.id} > ${s.id}))
      )`)) as unknown as [RawProblemRow[], unknown];
  return rows.map((r) => ({
    ...r,
    vmId: Number(r.vmId),
    accountId: Number(r.accountId),
    attempt: Number(r.attempt),
    maxAttempts: Number(r.maxAttempts),
    since: utc(r.since)!,
    lastCheckAt: utc(r.lastCheckAt)!,
    ackAt: utc(r.ackAt),
  }));
}

type RawProblemRow = Omit<ProblemRow, 'since' | 'lastCheckAt' | 'ackAt'> & { since: string | Date; lastCheckAt: string | Date; ackAt: string | Date | null };

/** A DATETIME(3) as a raw query returns it through drizzle's pool ('YYYY-MM-DD hh:mm:ss.fff', UTC). */
function utc(v: string | Date | null): Date | null {
  if (v === null || v instanceof Date) return v;
  return new Date(`${v.replace(' ', 'T')}Z`);
}

export interface AckActor {
  id: number | null;
  username: string;
  ip: string | null;
}

export interface AcknowledgedProblem extends ProblemKey {
  hostname: string;
  accountId: number;
  state: string;
  stateType: 'HARD' | 'SOFT';
}

export interface AckOutcome {
  /** Acknowledged by this call (each with its `wallboard.ack` audit row). */
  acknowledged: AcknowledgedProblem[];
  /** Someone had acknowledged them already (or did so at the same moment): nothing written. */
  already: number;
  /** No longer a current problem (recovered, or changed state: a new problem with a new key). */
  gone: number;
}

const keyOf = (k: { vmId: number; service: string; since: Date }) => `${k.vmId}\u0000${k.since.getTime()}\u0000${k.service}`;

/**
 * Acknowledges the problems that are still current, each once: the acknowledgement and its audit row
 * (`wallboard.ack`, target the VM, the VM's account) are written in one transaction, so there is never
 * one without the other. Two staff pressing at once: the unique key keeps the first, and only the
 * acknowledgements this call wrote are audited as its own.
 */
export async function acknowledgeProblems(db: Database, actor: AckActor, keys: readonly ProblemKey[], now = new Date()): Promise<AckOutcome> {
  const wanted = new Map(keys.map((k) => [keyOf(k), k]));
  if (wanted.size === 0) return { acknowledged: [], already: 0, gone: 0 };
  const vmIds = [...new Set([...wanted.values()].map((k) => k.vmId))];
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({
        vmId: serviceStates.vmId,
        service: serviceStates.service,
        since: serviceStates.stateSince,
        state: serviceStates.state,
        stateType: serviceStates.stateType,
        hostname: vms.hostname,
        accountId: vms.accountId,
        ackId: wallboardAcks.id,
      })
      .from(serviceStates)
      .innerJoin(vms, eq(vms.id, serviceStates.vmId))
      .leftJoin(wallboardAcks, ackMatches(serviceStates))
      // By VM through service_states_vm_idx; the exact keys are picked below.
      .where(and(inArray(serviceStates.vmId, vmIds), notInArray(serviceStates.state, UP_STATES)));
    const current = new Map<string, (typeof rows)[number] & { vmId: number }>();
    for (const r of rows) {
      if (r.vmId === null) continue;
      const key = keyOf({ vmId: r.vmId, service: r.service, since: r.since });
      if (wanted.has(key) && !current.has(key)) current.set(key, { ...r, vmId: r.vmId });
    }
    const open = [...current.values()].filter((r) => r.ackId === null);
    let mine: typeof open = [];
    if (open.length > 0) {
      const who = actor.username.slice(0, 255);
      await tx
        .insert(wallboardAcks)
        .ignore()
        .values(open.map((r) => ({ vmId: r.vmId, service: r.service, stateSince: r.since, state: r.state, acknowledgedAt: now, acknowledgedBy: who, acknowledgedByUserId: actor.id })));
      // INSERT IGNORE does not say which rows it kept: read back the ones that carry this call's stamp.
      const written = await tx
        .select({ vmId: wallboardAcks.vmId, service: wallboardAcks.service, since: wallboardAcks.stateSince })
        .from(wallboardAcks)
        .where(and(inArray(wallboardAcks.vmId, [...new Set(open.map((r) => r.vmId))]), eq(wallboardAcks.acknowledgedAt, now), eq(wallboardAcks.acknowledgedBy, who)));
      const ours = new Set(written.map((w) => keyOf(w)));
      mine = open.filter((r) => ours.has(keyOf(r)));
      if (mine.length > 0) {
        await tx.insert(auditLog).values(
          mine.map((r) => ({
            at: now,
            action: 'wallboard.ack',
            actorUserId: actor.id,
            actorUsername: who,
            accountId: r.accountId,
            targetType: 'vm',
            targetId: String(r.vmId),
            ip: actor.ip?.slice(0, 45) ?? null,
            details: { hostname: r.hostname, service: r.service === '' ? null : r.service, state: r.state, stateType: r.stateType, since: r.since.toISOString() },
          })),
        );
      }
    }
    return {
      acknowledged: mine.map((r) => ({ vmId: r.vmId, service: r.service, since: r.since, hostname: r.hostname, accountId: r.accountId, state: r.state, stateType: r.stateType })),
      already: current.size - mine.length,
      gone: wanted.size - current.size,
    };
  });
}
