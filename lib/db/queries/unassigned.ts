import 'server-only';
import { isIP } from 'node:net';
import { getTableName } from 'drizzle-orm';
import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { bulkInsert } from '../bulk-insert';
import type { Database } from '../connection';
import { driverError } from '../errors';
import { rawTransaction } from '../raw-transaction';
import { monitoringEvents, perfSamples, serviceStates, vms } from '../schema';
import { matchVm } from './event-store';

// Events from hosts no VM matched when they arrived (monitoring_events.vm_id NULL), for staff: grouped by
// host, and given to a VM afterwards with their samples and current states. Callers must have passed the
// staff guard; nothing here is scoped by account.
//
// A host is what the ingester would match a VM on first: the Nagios host_name an event carries, or else
// its `hostname` (the seed's publisher and our CLI without NAGIOS_HOSTNAME send $HOSTADDRESS$ there).
// Every `hostname` value under one host is listed as its addresses.
//
// Indexes: both reads and the backfill walk the unassigned rows through the vm_id prefix of
// monitoring_events_vm_time_state_idx (vm_id NULL) and read host_name/hostname from the rows. That is
// fine while unknown hosts are a handful of rows; a busy unknown host (thousands of events) would want
// an index on monitoring_events (vm_id, host_name, hostname).

const T = {
  events: getTableName(monitoringEvents),
  samples: getTableName(perfSamples),
  states: getTableName(serviceStates),
  vms: getTableName(vms),
};

/** The grouping key: the Nagios host name, or the `hostname` an event was sent with. */
const HOST = 'COALESCE(host_name, hostname)';

export interface UnassignedState {
  /** '' for the host itself. */
  service: string;
  kind: 'host' | 'service';
  state: string;
  stateType: 'HARD' | 'SOFT';
  output: string | null;
  lastEventAt: Date;
  lastCheckAt: Date;
}

export interface UnassignedHost {
  /** The Nagios host name of its events, or the `hostname` they carry when they name none. */
  hostName: string;
  /** Every `hostname` value its events carry (its $HOSTADDRESS$ for our CLI), sorted. */
  hostnames: string[];
  /** The first of those that is an IP address: what a VM created from this host gets. */
  address: string | null;
  events: number;
  firstSeen: Date;
  lastSeen: Date;
  /** Its newest event. */
  last: { service: string; kind: 'host' | 'service'; state: string; stateType: 'HARD' | 'SOFT'; output: string | null; occurredAt: Date } | null;
  /** The current state of the host and each service not yet on a VM (service_states), newest per service. */
  states: UnassignedState[];
}

export interface UnassignedPage {
  hosts: UnassignedHost[];
  /** Hosts in all, over every page. */
  total: number;
  page: number;
  pageSize: number;
}

const rowsOf = async (db: Database, sql: string, values: unknown[]) => (await db.$client.query<RowDataPacket[]>(sql, values))[0];

/** Unassigned hosts, the most recently heard from first (then by name), `pageSize` a page. */
export async function listUnassignedHosts(db: Database, { page = 1, pageSize = 25 }: { page?: number; pageSize?: number } = {}): Promise<UnassignedPage> {
  const size = Math.min(Math.max(Math.trunc(pageSize) || 1, 1), 200);
  const number = Math.max(Math.trunc(page) || 1, 1);
  const [totals, groups] = await Promise.all([
    rowsOf(db, `SELECT COUNT(DISTINCT ${HOST}) AS n FROM ${T.events} WHERE vm_id IS NULL`, []),
    rowsOf(
      db,
      `SELECT ${HOST} AS host, COUNT(*) AS events, MIN(occurred_at) AS firstSeen, MAX(occurred_at) AS lastSeen
         FROM ${T.events} WHERE vm_id IS NULL
        GROUP BY ${HOST} ORDER BY lastSeen DESC, host ASC LIMIT ? OFFSET ?`,
      [size, (number - 1) * size],
    ),
  ]);
  return { hosts: await describeHosts(db, groups), total: Number(totals[0]?.n ?? 0), page: number, pageSize: size };
}

/** One unassigned host by the name the list shows, or null when none of its events is unassigned. */
export async function unassignedHost(db: Database, hostName: string): Promise<UnassignedHost | null> {
  const groups = await rowsOf(
    db,
    `SELECT ${HOST} AS host, COUNT(*) AS events, MIN(occurred_at) AS firstSeen, MAX(occurred_at) AS lastSeen
       FROM ${T.events} WHERE vm_id IS NULL AND (host_name = ? OR (host_name IS NULL AND hostname = ?))
      GROUP BY ${HOST}`,
    [hostName, hostName],
  );
  return (await describeHosts(db, groups))[0] ?? null;
}

/** The addresses, newest event and current states of the given groups: three reads for the whole page. */
async function describeHosts(db: Database, groups: RowDataPacket[]): Promise<UnassignedHost[]> {
  if (groups.length === 0) return [];
  const keys = groups.map((g) => String(g.host));
  const inGroups = `vm_id IS NULL AND (host_name IN (?) OR (host_name IS NULL AND hostname IN (?)))`;
  const [names, newest] = await Promise.all([
    rowsOf(db, `SELECT DISTINCT ${HOST} AS host, hostname FROM ${T.events} WHERE ${inGroups}`, [keys, keys]),
    rowsOf(
      db,
      `SELECT host, service, kind, state, stateType, output, occurredAt FROM (
         SELECT ${HOST} AS host, service, kind, state, state_type AS stateType, output, occurred_at AS occurredAt,
                ROW_NUMBER() OVER (PARTITION BY ${HOST} ORDER BY occurred_at DESC, id DESC) AS n
           FROM ${T.events} WHERE ${inGroups}) newest
        WHERE n = 1`,
      [keys, keys],
    ),
  ]);
  const hostnamesOf = new Map<string, string[]>();
  for (const r of names) hostnamesOf.set(String(r.host), [...(hostnamesOf.get(String(r.host)) ?? []), String(r.hostname)]);
  const allHostnames = [...new Set(names.map((r) => String(r.hostname)))];
  const states = allHostnames.length
    ? await rowsOf(
        db,
        `SELECT hostname, service, kind, state, state_type AS stateType, output, last_event_at AS lastEventAt, last_check_at AS lastCheckAt
           FROM ${T.states} WHERE vm_id IS NULL AND hostname IN (?) ORDER BY service`,
        [allHostnames],
      )
    : [];
  const lastOf = new Map(newest.map((r) => [String(r.host), r]));
  return groups.map((g) => {
    const host = String(g.host);
    const hostnames = (hostnamesOf.get(host) ?? []).sort();
    // Newest per service when the host's events came with more than one hostname.
    const perService = new Map<string, UnassignedState>();
    for (const s of states) {
      if (!hostnames.includes(String(s.hostname))) continue;
      const seen = perService.get(String(s.service));
      if (seen && seen.lastEventAt >= (s.lastEventAt as Date)) continue;
      perService.set(String(s.service), {
        service: String(s.service),
        kind: s.kind as UnassignedState['kind'],
        state: String(s.state),
        stateType: s.stateType as UnassignedState['stateType'],
        output: (s.output as string | null) ?? null,
        lastEventAt: s.lastEventAt as Date,
        lastCheckAt: s.lastCheckAt as Date,
      });
    }
    const last = lastOf.get(host);
    return {
      hostName: host,
      hostnames,
      address: hostnames.find((h) => isIP(h) !== 0) ?? null,
      events: Number(g.events),
      firstSeen: g.firstSeen as Date,
      lastSeen: g.lastSeen as Date,
      last: last
        ? {
            service: String(last.service),
            kind: last.kind as UnassignedState['kind'],
            state: String(last.state),
            stateType: last.stateType as UnassignedState['stateType'],
            output: (last.output as string | null) ?? null,
            occurredAt: last.occurredAt as Date,
          }
        : null,
      states: [...perService.values()].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0)),
    };
  });
}

// ---- the backfill

export interface AssignCounts {
  /** History rows that now carry the VM's id. */
  events: number;
  /** Perf samples that now carry it (of those events, and of the host's check results). */
  samples: number;
  /** Current-state rows (host and services) the VM gained. */
  states: number;
  /** The `hostname` values whose rows moved. */
  hostnames: string[];
}

/**
 * What a later state row may change. The same rules as the ingester's upsert (SERVICE_STATE_UPDATE in
 * event-store.ts, not exported, so written again here; keep the two alike): a row not older than the
 * stored one replaces it, an older one changes only the check time, assignments apply left to right.
 * One difference: the owner. The ingester takes any event's VM; a backfill claims a state that has no
 * VM, or one its event is at least as new as, and never takes a newer state away from another VM.
 */
const BACKFILL_STATE_UPDATE = [
  'state_since = IF(VALUES(last_event_at) >= last_event_at AND VALUES(state) <> state, VALUES(state_since), state_since)',
  'vm_id = IF(vm_id IS NULL OR VALUES(last_event_at) >= last_event_at, VALUES(vm_id), vm_id)',
  ...['state', 'state_type', 'attempt', 'max_attempts', 'output'].map((c) => `${c} = IF(VALUES(last_event_at) >= last_event_at, VALUES(${c}), ${c})`),
  'perfdata = IF(VALUES(last_event_at) >= last_event_at, COALESCE(VALUES(perfdata), perfdata), perfdata)',
  'last_check_at = GREATEST(VALUES(last_check_at), last_check_at)',
  'last_event_at = GREATEST(VALUES(last_event_at), last_event_at)',
].join(', ');

const LOCK_CONFLICT_ATTEMPTS = 5;

/**
 * Gives a host's unassigned history to a VM, in one transaction: every unassigned event the ingester
 * would have matched to a VM known as `hostName` (Nagios host name, then `address`, then hostname; an
 * event whose host_name names another existing VM stays out), the perf samples of those events and of
 * the host's check results, and the current states, rebuilt from the newest backfilled event of each
 * (hostname, service) under the ingester's rule that an older event never overwrites a newer state.
 *
 * Nothing is put in alert_outbox: these are old events, already past, and a backfill must not alert
 * anyone about them (the ingester queues only events of a known VM, as they arrive).
 *
 * Returns what moved; a second call finds nothing and changes nothing. Null when the VM does not exist.
 */
export async function assignHostEvents(db: Database, target: { hostName: string; address?: string | null; vmId: number }): Promise<AssignCounts | null> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await rawTransaction(db, (connection) => backfill(connection, target));
    } catch (error) {
      // The ingester writes the same rows (a new event of the host); MariaDB rolled this one back whole.
      const { errno } = driverError(error);
      if ((errno !== 1213 && errno !== 1205) || attempt >= LOCK_CONFLICT_ATTEMPTS) throw error;
    }
  }
}

interface Pair {
  hostName: string | null;
  hostname: string;
}

async function backfill(connection: PoolConnection, { hostName, address, vmId }: { hostName: string; address?: string | null; vmId: number }): Promise<AssignCounts | null> {
  const query = async (sql: string, values: unknown[]) => (await connection.query<RowDataPacket[]>(sql, values))[0];
  const execute = async (sql: string, values: unknown[]) => (await connection.query<ResultSetHeader>(sql, values))[0];

  // The VM stays while its history moves to it (VMs are never deleted today; this keeps it so).
  if ((await query(`SELECT id FROM ${T.vms} WHERE id = ? LOCK IN SHARE MODE`, [vmId])).length === 0) return null;

  const names = [...new Set([hostName, ...(address ? [address] : [])])];
  // Every (host_name, hostname) the host's unassigned rows carry, and hostnames with only check results
  // (a current state, samples, no history row).
  const pairs: Pair[] = [
    ...(await query(`SELECT DISTINCT host_name AS hostName, hostname FROM ${T.events} WHERE vm_id IS NULL AND (host_name = ? OR hostname IN (?))`, [hostName, names])),
    ...(await query(`SELECT DISTINCT NULL AS hostName, hostname FROM ${T.states} WHERE vm_id IS NULL AND hostname IN (?)`, [names])),
  ].map((r) => ({ hostName: (r.hostName as string | null) ?? null, hostname: String(r.hostname) }));
  const none: AssignCounts = { events: 0, samples: 0, states: 0, hostnames: [] };
  if (pairs.length === 0) return none;

  // The ingester's own matcher over the VM as the host names it and every other VM those names reach,
  // so an event that names another VM (created since) by host_name is left for that one.
  const mentioned = [...new Set(pairs.flatMap((p) => (p.hostName ? [p.hostName, p.hostname] : [p.hostname])))];
  const others = (await query(
    `SELECT id, nagios_host_name AS nagiosHostName, address, hostname FROM ${T.vms}
      WHERE id <> ? AND (nagios_host_name IN (?) OR address IN (?) OR hostname IN (?))`,
    [vmId, mentioned, mentioned, mentioned],
  )) as Array<{ id: number; nagiosHostName: string; address: string; hostname: string }>;
  const asHost = { id: vmId, nagiosHostName: hostName, address: address ?? '', hostname: hostName };
  const ours = pairs.filter((p) => matchVm({ hostName: p.hostName, hostname: p.hostname, address: null }, [asHost, ...others]) === vmId);
  if (ours.length === 0) return none;
  const hostnames = [...new Set(ours.map((p) => p.hostname))].sort();
  const eventPairs = ours.filter((p, i) => ours.findIndex((q) => q.hostName === p.hostName && q.hostname === p.hostname) === i);
  const pairSql = eventPairs.map(() => '(host_name <=> ? AND hostname = ?)').join(' OR ');
  const pairValues = eventPairs.flatMap((p) => [p.hostName, p.hostname]);

  // The newest event of each (hostname, service) about to move, read before the move so only the
  // unassigned rows are scanned (the VM's own history may be long).
  const newest = await query(
    `SELECT hostname, service, kind, state, state_type AS stateType, attempt, max_attempts AS maxAttempts, output, perfdata,
            occurred_at AS occurredAt, state_duration_sec AS stateDurationSec FROM (
       SELECT hostname, service, kind, state, state_type, attempt, max_attempts, output, perfdata, occurred_at, state_duration_sec,
              ROW_NUMBER() OVER (PARTITION BY hostname, service ORDER BY occurred_at DESC, id DESC) AS n
         FROM ${T.events} WHERE vm_id IS NULL AND (${pairSql})) newest
      WHERE n = 1 ORDER BY hostname, service`,
    pairValues,
  );

  const moved = await execute(`UPDATE ${T.events} SET vm_id = ? WHERE vm_id IS NULL AND (${pairSql})`, [vmId, ...pairValues]);

  // Rows keyed by hostname alone (check results' samples, current states) cannot say which Nagios host
  // sent them: one whose service still has unassigned events at that hostname (another host_name at the
  // same address, left out above) stays where it is.
  const othersStillThere = (alias: string) =>
    `NOT EXISTS (SELECT 1 FROM ${T.events} u WHERE u.vm_id IS NULL AND u.hostname = ${alias}.hostname AND u.service = ${alias}.service)`;

  // Samples of the events just moved (or already on the VM), and of check results, which have no
  // history row; samples of events left unassigned or on another VM stay where they are.
  const samples = await execute(
    `UPDATE ${T.samples} p LEFT JOIN ${T.events} e ON e.event_key = p.event_key
        SET p.vm_id = ?
      WHERE p.vm_id IS NULL AND p.hostname IN (?) AND (e.vm_id = ? OR (e.id IS NULL AND ${othersStillThere('p')}))`,
    [vmId, hostnames, vmId],
  );

  const statesBefore = await query(`SELECT COUNT(*) AS n FROM ${T.states} WHERE vm_id = ? AND hostname IN (?)`, [vmId, hostnames]);
  if (newest.length > 0) {
    // Sorted by (hostname, service), the ingester's lock order, so the two do not deadlock each other.
    const rows = newest.map((e) => ({
      hostname: String(e.hostname),
      service: String(e.service),
      vmId,
      kind: e.kind as 'host' | 'service',
      state: String(e.state),
      stateType: e.stateType as 'HARD' | 'SOFT',
      attempt: Number(e.attempt),
      maxAttempts: Number(e.maxAttempts),
      output: (e.output as string | null) ?? null,
      perfdata: (e.perfdata as string | null) ?? null,
      stateSince: new Date((e.occurredAt as Date).getTime() - Number(e.stateDurationSec) * 1000),
      lastEventAt: e.occurredAt as Date,
      lastCheckAt: e.occurredAt as Date,
    }));
    await connection.query(bulkInsert(serviceStates, rows, BACKFILL_STATE_UPDATE));
  }
  // States known only from check results (no history row to rebuild them from) follow their hostname.
  await execute(`UPDATE ${T.states} s SET s.vm_id = ? WHERE s.vm_id IS NULL AND s.hostname IN (?) AND ${othersStillThere('s')}`, [vmId, hostnames]);
  const statesAfter = await query(`SELECT COUNT(*) AS n FROM ${T.states} WHERE vm_id = ? AND hostname IN (?)`, [vmId, hostnames]);

  return {
    events: moved.affectedRows,
    samples: samples.affectedRows,
    states: Number(statesAfter[0]?.n ?? 0) - Number(statesBefore[0]?.n ?? 0),
    hostnames,
  };
}
