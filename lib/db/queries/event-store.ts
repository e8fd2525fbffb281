import { getTableName } from 'drizzle-orm';
import { escape } from 'mysql2';
import type { PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { bulkInsert, insertedRows } from '../bulk-insert';
import type { Database } from '../connection';
import { driverError } from '../errors';
import { rawTransaction } from '../raw-transaction';
import type { PerfSample } from '../../monitoring/perfdata';
import type { EventFields, MonitoringEvent } from '../../monitoring/wire';
import { alertOutbox, deadLetters, monitoringEvents, perfSamples, serviceStates, vms } from '../schema';

type OptionalField = 'hostName' | 'address' | 'output' | 'longOutput' | 'perfdata' | 'eventId' | 'source';

/**
 * One validated event, ready to store: the contract's fields (lib/monitoring/wire.ts), where an absent
 * optional one may also be null (rows built from stored data), its key and its parsed samples. `check`
 * marks a perfdata check result: samples and state, no history row. `state` is any stored state name.
 */
export interface EventToStore
  extends Omit<EventFields, OptionalField | 'state' | 'check'>,
    Partial<Record<OptionalField, string | null>> {
  key: string;
  check: boolean;
  state: string;
  extra?: MonitoringEvent['extra'] | null;
  samples: Array<Pick<PerfSample, 'label' | 'value' | 'unit' | 'warn' | 'crit' | 'min' | 'max'>>;
}

interface VmKeys {
  id: number;
  nagiosHostName: string;
  address: string;
  hostname: string;
}

type VmMatcher = (event: Pick<EventToStore, 'hostName' | 'address' | 'hostname'>) => number | null;

/**
 * Nagios host name first, then address, then hostname; the seed's `hostname` field may hold any of them.
 * Indexed once per batch: looking each event up in the candidate list was quadratic in the batch.
 * Where several candidates share a name, the first wins, as in the list.
 */
export function vmMatcher(candidates: VmKeys[]): VmMatcher {
  const index = (key: keyof Omit<VmKeys, 'id'>) => {
    const map = new Map<string, number>();
    for (const vm of candidates) if (!map.has(vm[key])) map.set(vm[key], vm.id);
    return map;
  };
  const byName = index('nagiosHostName');
  const byAddress = index('address');
  const byHostname = index('hostname');
  return (event) =>
    (event.hostName ? byName.get(event.hostName) : undefined) ??
    (event.address ? byAddress.get(event.address) : undefined) ??
    (event.hostname ? (byName.get(event.hostname) ?? byAddress.get(event.hostname) ?? byHostname.get(event.hostname)) : undefined) ??
    null;
}

/** One event's VM among `candidates` (vmMatcher, for a single lookup). */
export function matchVm(event: Pick<EventToStore, 'hostName' | 'address' | 'hostname'>, candidates: VmKeys[]): number | null {
  return vmMatcher(candidates)(event);
}

/** The VMs any event of the batch may belong to: one query over the three indexed name columns. */
async function candidateVms(connection: PoolConnection, events: EventToStore[]): Promise<VmKeys[]> {
  const names = new Set<string>();
  for (const e of events) {
    names.add(e.hostname);
    if (e.hostName) names.add(e.hostName);
    if (e.address) names.add(e.address);
  }
  // The list escaped once, not once per column by mysql2's placeholders (a batch has hundreds of names).
  const list = [...names].map((name) => escape(name)).join(',');
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT id, nagios_host_name AS nagiosHostName, address, hostname FROM ${getTableName(vms)}
      WHERE nagios_host_name IN (${list}) OR address IN (${list}) OR hostname IN (${list})`,
  );
  return rows as unknown as VmKeys[];
}

export interface DeadLetterToStore {
  destination: string;
  messageId: string | null;
  headers: Record<string, string>;
  body: string;
  reason: string;
}

/**
 * A dead letter's body is kept for re-play, up to this many UTF-8 bytes: a body over the event
 * limit (256 KiB) can never be re-played anyway, and a message of many megabytes (MEDIUMTEXT holds
 * 16 MiB, a statement at most max_allowed_packet, 16 MiB by default) must not be the one row the
 * database refuses. Longer bodies keep their beginning and say so in the reason.
 */
export const DEAD_LETTER_BODY_BYTES = 1024 * 1024;

/** The columns of a dead letter cut to what dead_letters holds (reason VARCHAR(1024), message_id VARCHAR(255)). */
function storableDeadLetter(d: DeadLetterToStore): Pick<DeadLetterToStore, 'body' | 'reason' | 'messageId'> {
  let { body, reason } = d;
  if (body.length > DEAD_LETTER_BODY_BYTES / 4 && Buffer.byteLength(body, 'utf8') > DEAD_LETTER_BODY_BYTES) {
    const bytes = Buffer.byteLength(body, 'utf8');
    body = Buffer.from(body, 'utf8').subarray(0, DEAD_LETTER_BODY_BYTES).toString('utf8').replace(/\uFFFD$/, '');
    reason = `${reason} (body of ${bytes} bytes kept only up to ${DEAD_LETTER_BODY_BYTES} bytes)`;
  }
  return { body, reason: reason.slice(0, 1024), messageId: d.messageId?.slice(0, 255) ?? null };
}

/**
 * A row that is not older than the stored one replaces it; an older, late one changes only the
 * check time. MariaDB applies the assignments left to right, so state_since is decided while
 * `state` still holds the old value, and last_event_at moves last.
 */
const SERVICE_STATE_UPDATE = [
  'state_since = IF(VALUES(last_event_at) >= last_event_at AND VALUES(state) <> state, VALUES(state_since), state_since)',
  'vm_id = COALESCE(VALUES(vm_id), vm_id)',
  ...['state', 'state_type', 'attempt', 'max_attempts', 'output'].map((c) => `${c} = IF(VALUES(last_event_at) >= last_event_at, VALUES(${c}), ${c})`),
  'perfdata = IF(VALUES(last_event_at) >= last_event_at, COALESCE(VALUES(perfdata), perfdata), perfdata)',
  'last_check_at = GREATEST(VALUES(last_check_at), last_check_at)',
  'last_event_at = GREATEST(VALUES(last_event_at), last_event_at)',
].join(', ');

/**
 * Stores a batch in one transaction with idempotent multi-row writes: an event already stored
 * (same key) or a dead letter already kept (same broker message-id) changes nothing, and a late,
 * older event never overwrites a newer current state. Batches may be stored concurrently: a
 * deadlock between two of them is retried here. Returns how many history rows were new.
 */
export async function storeBatch(
  db: Database,
  batch: { events: EventToStore[]; deadLetters?: DeadLetterToStore[] },
  receivedAt = new Date(),
): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await writeBatch(db, batch, receivedAt);
    } catch (error) {
      if (!isLockConflict(error) || attempt >= LOCK_CONFLICT_ATTEMPTS) throw error;
    }
  }
}

const LOCK_CONFLICT_ATTEMPTS = 5;

/** Two transactions wanted the same rows (concurrent batches, several ingesters): MariaDB rolled this one back. */
function isLockConflict(error: unknown): boolean {
  const { errno } = driverError(error);
  return errno === 1213 /* ER_LOCK_DEADLOCK */ || errno === 1205 /* ER_LOCK_WAIT_TIMEOUT */;
}

async function writeBatch(db: Database, batch: { events: EventToStore[]; deadLetters?: DeadLetterToStore[] }, receivedAt: Date): Promise<number> {
  const events = [...batch.events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const dead = batch.deadLetters ?? [];
  if (events.length === 0 && dead.length === 0) return 0;
  return rawTransaction(db, async (connection) => {
    if (dead.length > 0) {
      await connection.query(
        bulkInsert(
          deadLetters,
          dead.map((d) => ({ ...d, receivedAt, ...storableDeadLetter(d) })),
          'message_id = message_id',
        ),
      );
    }
    if (events.length === 0) return 0;
    const candidates = await candidateVms(connection, events);
    const vmOf = vmMatcher(candidates);
    const vmIds = events.map(vmOf);

    const history = events.flatMap((e, i) =>
      e.check
        ? []
        : [
            {
              eventKey: e.key,
              vmId: vmIds[i]!,
              hostname: e.hostname,
              hostName: e.hostName ?? null,
              kind: e.kind,
              service: e.service ?? '',
              state: e.state,
              stateType: e.stateType,
              stateDurationSec: e.stateDurationSec,
              attempt: e.attempt,
              maxAttempts: e.maxAttempts,
              occurredAt: e.occurredAt,
              receivedAt,
              output: e.output ?? null,
              longOutput: e.longOutput ?? null,
              perfdata: e.perfdata ?? null,
              source: e.source ?? null,
              eventId: e.eventId ?? null,
              extra: e.extra && Object.keys(e.extra).length > 0 ? e.extra : null,
            },
          ],
    );
    let inserted = 0;
    if (history.length > 0) {
      // A duplicate key is a no-op; unlike INSERT IGNORE, other errors still fail.
      const [result] = await connection.query<ResultSetHeader>(bulkInsert(monitoringEvents, history, 'event_key = event_key'));
      inserted = insertedRows(result, history.length);
      if (inserted > 0) await queueForAlerts(connection, history.filter((h) => h.vmId !== null).map((h) => h.eventKey), receivedAt);
    }

    const samples = events.flatMap((e, i) =>
      e.samples.map((s) => ({
        eventKey: e.key,
        vmId: vmIds[i]!,
        hostname: e.hostname,
        service: e.service ?? '',
        label: s.label.slice(0, 128),
        value: s.value,
        unit: s.unit.slice(0, 16),
        warn: s.warn,
        crit: s.crit,
        min: s.min,
        max: s.max,
        sampledAt: e.occurredAt,
      })),
    );
    if (samples.length > 0) {
      await connection.query(bulkInsert(perfSamples, samples, 'event_key = event_key'));
    }

    const states = events.map((e, i) => ({
      hostname: e.hostname,
      service: e.service ?? '',
      vmId: vmIds[i]!,
      kind: e.kind,
      state: e.state,
      stateType: e.stateType,
      attempt: e.attempt,
      maxAttempts: e.maxAttempts,
      output: e.output ?? null,
      perfdata: e.perfdata ?? null,
      stateSince: new Date(e.occurredAt.getTime() - e.stateDurationSec * 1000),
      lastEventAt: e.occurredAt,
      lastCheckAt: e.occurredAt,
    }));
    // One lock order for every batch, so two batches written at once don't deadlock; the sort is
    // stable, so a host's events keep their time order.
    states.sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
    await connection.query(bulkInsert(serviceStates, states, SERVICE_STATE_UPDATE));
    return inserted;
  });
}

/**
 * The batch's events of a known VM go to the alert outbox in the same transaction that stores them, so
 * an event can't be stored and never considered for alerts. Rules are matched later, by the notifier:
 * ingest costs the same whether ten or ten thousand rules exist. An event stored before (a duplicate
 * delivery) may be queued again; its decisions are unique per (rule, event, contact), so it sends nothing twice.
 */
async function queueForAlerts(connection: PoolConnection, eventKeys: string[], receivedAt: Date): Promise<void> {
  if (eventKeys.length === 0) return;
  await connection.query(
    `INSERT INTO ${getTableName(alertOutbox)} (event_id, created_at)
       SELECT id, ? FROM ${getTableName(monitoringEvents)} WHERE event_key IN (?)
     ON DUPLICATE KEY UPDATE ${getTableName(alertOutbox)}.event_id = ${getTableName(alertOutbox)}.event_id`,
    [receivedAt, eventKeys],
  );
}
