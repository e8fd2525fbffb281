import { getTableName } from 'drizzle-orm';
import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { bulkInsert } from '../bulk-insert';
import { accounts, alertContacts, alertDeliveries, alertOutbox, alertRules, maintenanceWindows, monitoringEvents, serviceStates, vms } from '../schema';
import type { AlertEvent } from '../../alerts/decide';

// The notifier's statements (lib/notify/notifier.ts). Several notifiers may run: outbox rows and due
// deliveries are claimed with FOR UPDATE SKIP LOCKED, so each is worked on by one of them at a time.

const T = {
  outbox: getTableName(alertOutbox),
  events: getTableName(monitoringEvents),
  vms: getTableName(vms),
  accounts: getTableName(accounts),
  rules: getTableName(alertRules),
  contacts: getTableName(alertContacts),
  deliveries: getTableName(alertDeliveries),
  states: getTableName(serviceStates),
  maintenance: getTableName(maintenanceWindows),
};

/** The notifier's transaction handle (rawTransaction's connection). */
export type NotifierConnection = PoolConnection;

export interface AlertEventRow extends AlertEvent {
  accountId: number;
}

const EVENT_COLUMNS = `e.id AS eventId, e.vm_id AS vmId, v.hostname AS vmName, v.account_id AS accountId, e.kind, e.service,
  e.state, e.state_type AS stateType, e.attempt, e.max_attempts AS maxAttempts, e.occurred_at AS occurredAt,
  e.output, e.perfdata, v.nagios_host_name AS nagiosHostName, v.address,
  (SELECT a.time_zone FROM ${getTableName(accounts)} a WHERE a.id = v.account_id) AS timeZone`;

/** The oldest outbox rows no other notifier holds, locked until this transaction ends, with their events. */
export async function claimOutbox(connection: PoolConnection, limit: number): Promise<{ outboxIds: number[]; events: AlertEventRow[] }> {
  const [claimed] = await connection.query<RowDataPacket[]>(`SELECT id, event_id AS eventId FROM ${T.outbox} ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`, [limit]);
  if (claimed.length === 0) return { outboxIds: [], events: [] };
  const events = await alertEvents(
    connection,
    claimed.map((r) => Number(r.eventId)),
    { alertingOnly: true },
  );
  return { outboxIds: claimed.map((r) => Number(r.id)), events };
}

/**
 * The events with their VMs. `alertingOnly` (new events from the outbox) leaves out those of retired VMs
 * and suspended accounts: neither alerts anyone, and a reactivated account is not flooded with old news.
 */
export async function alertEvents(connection: PoolConnection, eventIds: number[], { alertingOnly = false } = {}): Promise<AlertEventRow[]> {
  if (eventIds.length === 0) return [];
  const alerting = alertingOnly ? `AND v.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM ${T.accounts} a WHERE a.id = v.account_id AND a.suspended_at IS NOT NULL)` : '';
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT ${EVENT_COLUMNS} FROM ${T.events} e JOIN ${T.vms} v ON v.id = e.vm_id WHERE e.id IN (?) ${alerting} ORDER BY e.occurred_at, e.id`,
    [eventIds],
  );
  return rows.map((r) => ({ ...(r as AlertEventRow), eventId: Number(r.eventId) }));
}

export async function finishOutbox(connection: PoolConnection, outboxIds: number[]): Promise<void> {
  if (outboxIds.length > 0) await connection.query(`DELETE FROM ${T.outbox} WHERE id IN (?)`, [outboxIds]);
}

export interface StoredRule {
  id: number;
  accountId: number;
  definition: unknown;
}

export async function enabledRules(connection: Pick<PoolConnection, 'query'>, accountIds: number[]): Promise<StoredRule[]> {
  if (accountIds.length === 0) return [];
  const [rows] = await connection.query<RowDataPacket[]>(`SELECT id, account_id AS accountId, definition FROM ${T.rules} WHERE account_id IN (?) AND enabled = 1`, [
    accountIds,
  ]);
  return rows.map((r) => ({ id: r.id, accountId: r.accountId, definition: typeof r.definition === 'string' ? JSON.parse(r.definition) : r.definition }));
}

export interface StoredContact {
  id: number;
  accountId: number;
  kind: 'email' | 'sms' | 'webhook' | 'push' | 'alarm';
  label: string;
  target: string;
  options: Record<string, string> | null;
  verified: boolean;
}

export async function contactsById(connection: Pick<PoolConnection, 'query'>, ids: number[]): Promise<Map<number, StoredContact>> {
  if (ids.length === 0) return new Map();
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT id, account_id AS accountId, kind, label, target, options, verified_at IS NOT NULL AS verified FROM ${T.contacts} WHERE id IN (?)`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.id as number,
      { ...(r as StoredContact), verified: Boolean(r.verified), options: typeof r.options === 'string' ? JSON.parse(r.options) : r.options },
    ]),
  );
}

/** The current host state of each VM ('' service row). */
export async function hostStates(connection: PoolConnection, vmIds: number[]): Promise<Map<number, string>> {
  if (vmIds.length === 0) return new Map();
  const [rows] = await connection.query<RowDataPacket[]>(`SELECT vm_id AS vmId, state FROM ${T.states} WHERE vm_id IN (?) AND service = ''`, [vmIds]);
  return new Map(rows.map((r) => [r.vmId as number, r.state as string]));
}

/** The current state of one (vm, service): a timer decides whether a problem is still there. */
export async function currentState(connection: PoolConnection, vmId: number, service: string): Promise<string | null> {
  const [rows] = await connection.query<RowDataPacket[]>(`SELECT state FROM ${T.states} WHERE vm_id = ? AND service = ? ORDER BY last_event_at DESC LIMIT 1`, [
    vmId,
    service,
  ]);
  return (rows[0]?.state as string | undefined) ?? null;
}

export async function vmsInMaintenance(connection: PoolConnection, vmIds: number[], at: Date): Promise<Set<number>> {
  if (vmIds.length === 0) return new Set();
  const [rows] = await connection.query<RowDataPacket[]>(`SELECT DISTINCT vm_id AS vmId FROM ${T.maintenance} WHERE vm_id IN (?) AND starts_at <= ? AND ends_at > ?`, [
    vmIds,
    at,
    at,
  ]);
  return new Set(rows.map((r) => r.vmId as number));
}

/** Statuses that stand for a message sent or on its way: what throttles and "already notified" count. */
const NOTIFYING = ['pending', 'sending', 'sent', 'waiting', 'held', 'grouped', 'digested'];

/** Messages each (rule, contact) sent or queued since `since`. Key: `rule:contact`. */
export async function recentCounts(connection: PoolConnection, ruleIds: number[], since: Date): Promise<Map<string, number>> {
  if (ruleIds.length === 0) return new Map();
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT rule_id AS ruleId, contact_id AS contactId, COUNT(*) AS n FROM ${T.deliveries}
      WHERE rule_id IN (?) AND created_at > ? AND status IN ('pending', 'sending', 'sent') AND carried_by IS NULL GROUP BY rule_id, contact_id`,
    [ruleIds, since],
  );
  return new Map(rows.map((r) => [`${r.ruleId}:${r.contactId}`, Number(r.n)]));
}

/** The last state each (rule, vm, service) notified about, and whether that message still waits out its "for N minutes" (a repeat's wait follows a message sent). Key: `rule:vm:service`. */
export async function lastNotifiedStates(
  connection: PoolConnection,
  subjects: Array<[number, number, string]>,
): Promise<Map<string, { state: string; waiting: boolean }>> {
  if (subjects.length === 0) return new Map();
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT d.rule_id AS ruleId, d.vm_id AS vmId, d.service, d.state, d.status, d.reason FROM ${T.deliveries} d
       JOIN (SELECT MAX(id) AS id FROM ${T.deliveries} WHERE (rule_id, vm_id, service) IN (?) AND status IN (?) GROUP BY rule_id, vm_id, service) m
         ON m.id = d.id`,
    [subjects, NOTIFYING],
  );
  return new Map(rows.map((r) => [`${r.ruleId}:${r.vmId}:${r.service}`, { state: r.state as string, waiting: r.status === 'waiting' && r.reason !== 'repeat' }]));
}

export type NewDelivery = typeof alertDeliveries.$inferInsert;

/** Decisions already taken for the same (rule, event, contact, seq) are kept as they are. */
export async function insertDeliveries(connection: Pick<PoolConnection, 'query'>, rows: NewDelivery[]): Promise<void> {
  if (rows.length > 0) await connection.query(bulkInsert(alertDeliveries, rows, 'id = id'));
}

export interface DueDelivery {
  id: number;
  accountId: number;
  ruleId: number;
  eventId: number;
  contactId: number;
  seq: number;
  vmId: number;
  service: string;
  state: string;
  channel: StoredContact['kind'];
  status: 'pending' | 'sending' | 'waiting' | 'held' | 'grouped' | 'digested';
  reason: string;
  groupKey: string | null;
  body: string | null;
  attempts: number;
}

/** Deliveries whose time has come (or whose sender's lease ran out), locked for this transaction. */
export async function claimDue(connection: PoolConnection, now: Date, limit: number): Promise<DueDelivery[]> {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT id, account_id AS accountId, rule_id AS ruleId, event_id AS eventId, contact_id AS contactId, seq, vm_id AS vmId,
            service, state, channel, status, reason, group_key AS groupKey, body, attempts
       FROM ${T.deliveries} WHERE status IN ('pending', 'sending', 'waiting', 'held', 'grouped', 'digested') AND due_at <= ?
      ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED`,
    [now, limit],
  );
  return rows.map((r) => ({ ...(r as DueDelivery), id: Number(r.id), eventId: Number(r.eventId) }));
}

/** Marks claimed deliveries as being sent, each one attempt more, until `leaseUntil` (then another notifier may retry). */
export async function claimForSending(connection: Pick<PoolConnection, 'query'>, ids: number[], leaseUntil: Date, now: Date): Promise<void> {
  if (ids.length === 0) return;
  await connection.query(`UPDATE ${T.deliveries} SET status = 'sending', attempts = attempts + 1, due_at = ?, updated_at = ? WHERE id IN (?)`, [leaseUntil, now, ids]);
}

/** The other members of a group or digest, still waiting, locked. */
export async function groupMembers(connection: PoolConnection, groupKey: string): Promise<DueDelivery[]> {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT id, account_id AS accountId, rule_id AS ruleId, event_id AS eventId, contact_id AS contactId, seq, vm_id AS vmId,
            service, state, channel, status, reason, group_key AS groupKey, body, attempts
       FROM ${T.deliveries} WHERE group_key = ? AND status IN ('grouped', 'digested') AND due_at IS NOT NULL ORDER BY id FOR UPDATE`,
    [groupKey],
  );
  return rows.map((r) => ({ ...(r as DueDelivery), id: Number(r.id), eventId: Number(r.eventId) }));
}

export interface DeliveryUpdate {
  status?: (typeof alertDeliveries.$inferSelect)['status'];
  groupKey?: string | null;
  reason?: string;
  detail?: string | null;
  dueAt?: Date | null;
  attempts?: number;
  response?: string | null;
  subject?: string | null;
  body?: string | null;
  carriedBy?: number | null;
}

const UPDATE_COLUMNS: Record<keyof DeliveryUpdate, string> = {
  status: 'status',
  reason: 'reason',
  detail: 'detail',
  dueAt: 'due_at',
  attempts: 'attempts',
  response: 'response',
  subject: 'subject',
  body: 'body',
  carriedBy: 'carried_by',
  groupKey: 'group_key',
};

export async function updateDelivery(connection: Pick<PoolConnection, 'query'>, ids: number | number[], update: DeliveryUpdate, now: Date): Promise<void> {
  const list = Array.isArray(ids) ? ids : [ids];
  if (list.length === 0) return;
  const entries = (Object.keys(update) as Array<keyof DeliveryUpdate>).filter((k) => update[k] !== undefined);
  const sets = entries.map((k) => `${UPDATE_COLUMNS[k]} = ?`);
  const values = entries.map((k) => {
    const v = update[k];
    if (k === 'detail' || k === 'response') return typeof v === 'string' ? v.slice(0, 1024) : v;
    if (k === 'subject') return typeof v === 'string' ? v.slice(0, 255) : v;
    return v;
  });
  await connection.query(`UPDATE ${T.deliveries} SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE id IN (?)`, [...values, now, list]);
}

/** Groups and digests still collecting, per `rule:contact:status`: new members join them. */
export async function openGroups(connection: PoolConnection, ruleIds: number[], now: Date): Promise<Map<string, { groupKey: string; dueAt: Date }>> {
  if (ruleIds.length === 0) return new Map();
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT rule_id AS ruleId, contact_id AS contactId, status, group_key AS groupKey, MIN(due_at) AS dueAt FROM ${T.deliveries}
      WHERE rule_id IN (?) AND status IN ('grouped', 'digested') AND due_at > ? GROUP BY rule_id, contact_id, status, group_key`,
    [ruleIds, now],
  );
  return new Map(rows.map((r) => [`${r.ruleId}:${r.contactId}:${r.status}`, { groupKey: r.groupKey as string, dueAt: r.dueAt as Date }]));
}
