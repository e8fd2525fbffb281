import { inArray, or, sql } from 'drizzle-orm';
import type { Database } from '../db/connection';
import type { PerfSample } from '../monitoring/perfdata';
import { deadLetters, monitoringEvents, perfSamples, serviceStates, vms } from '../db/schema';

/** One validated event, ready to store. `check` marks a perfdata check result: samples and state, no history row. */
export interface EventToStore {
  key: string;
  check: boolean;
  kind: 'host' | 'service';
  hostname: string;
  hostName?: string | null;
  address?: string | null;
  service: string | null;
  state: string;
  stateType: 'HARD' | 'SOFT';
  stateDurationSec: number;
  attempt: number;
  maxAttempts: number;
  occurredAt: Date;
  output?: string | null;
  longOutput?: string | null;
  perfdata?: string | null;
  eventId?: string | null;
  source?: string | null;
  extra?: Record<string, unknown> | null;
  samples: Array<Pick<PerfSample, 'label' | 'value' | 'unit' | 'warn' | 'crit' | 'min' | 'max'>>;
}

interface VmKeys {
  id: number;
  nagiosHostName: string;
  address: string;
  hostname: string;
}

/** Nagios host name first, then address, then hostname; the seed's `hostname` field may hold any of them. */
export function matchVm(event: Pick<EventToStore, 'hostName' | 'address' | 'hostname'>, candidates: VmKeys[]): number | null {
  const byName = (name: string | null | undefined) => (name ? candidates.find((vm) => vm.nagiosHostName === name) : undefined);
  const byAddress = (addr: string | null | undefined) => (addr ? candidates.find((vm) => vm.address === addr) : undefined);
  const byHostname = (name: string) => candidates.find((vm) => vm.hostname === name);
  const vm =
    byName(event.hostName) ??
    byAddress(event.address) ??
    byName(event.hostname) ??
    byAddress(event.hostname) ??
    byHostname(event.hostname);
  return vm?.id ?? null;
}

async function candidateVms(db: Database, events: EventToStore[]): Promise<VmKeys[]> {
  const names = new Set<string>();
  for (const e of events) {
    names.add(e.hostname);
    if (e.hostName) names.add(e.hostName);
    if (e.address) names.add(e.address);
  }
  const list = [...names];
  return db
    .select({ id: vms.id, nagiosHostName: vms.nagiosHostName, address: vms.address, hostname: vms.hostname })
    .from(vms)
    .where(or(inArray(vms.nagiosHostName, list), inArray(vms.address, list), inArray(vms.hostname, list)));
}

export interface DeadLetterToStore {
  destination: string;
  messageId: string | null;
  headers: Record<string, string>;
  body: string;
  reason: string;
}

/**
 * Stores a batch in one transaction with idempotent multi-row writes: an event already stored
 * (same key) or a dead letter already kept (same broker message-id) changes nothing, and a late,
 * older event never overwrites a newer current state. Returns how many history rows were new.
 */
export async function storeBatch(
  db: Database,
  batch: { events: EventToStore[]; deadLetters?: DeadLetterToStore[] },
  receivedAt = new Date(),
): Promise<number> {
  const events = [...batch.events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  const dead = batch.deadLetters ?? [];
  if (events.length === 0 && dead.length === 0) return 0;
  return db.transaction(async (tx) => {
    if (dead.length > 0) {
      await tx
        .insert(deadLetters)
        .values(dead.map((d) => ({ ...d, receivedAt, body: d.body, reason: d.reason.slice(0, 1024) })))
        .onDuplicateKeyUpdate({ set: { messageId: sql`${deadLetters.messageId}` } });
    }
    if (events.length === 0) return 0;
    const candidates = await candidateVms(tx as unknown as Database, events);
    const vmIds = events.map((e) => matchVm(e, candidates));

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
      // A duplicate key is a no-op (affectedRows 0); unlike INSERT IGNORE, other errors still fail.
      const [result] = await tx
        .insert(monitoringEvents)
        .values(history)
        .onDuplicateKeyUpdate({ set: { eventKey: sql`${monitoringEvents.eventKey}` } });
      inserted = (result as unknown as { affectedRows: number }).affectedRows;
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
      await tx
        .insert(perfSamples)
        .values(samples)
        .onDuplicateKeyUpdate({ set: { eventKey: sql`${perfSamples.eventKey}` } });
    }

    await tx
      .insert(serviceStates)
      .values(
        events.map((e, i) => ({
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
        })),
      )
      .onDuplicateKeyUpdate({
        // MariaDB applies these left to right: state_since must look at the old state first.
        set: {
          stateSince: sql`IF(VALUES(last_event_at) >= last_event_at AND VALUES(state) <> state, VALUES(state_since), state_since)`,
          vmId: sql`COALESCE(VALUES(vm_id), vm_id)`,
          state: sql`IF(VALUES(last_event_at) >= last_event_at, VALUES(state), state)`,
          stateType: sql`IF(VALUES(last_event_at) >= last_event_at, VALUES(state_type), state_type)`,
          attempt: sql`IF(VALUES(last_event_at) >= last_event_at, VALUES(attempt), attempt)`,
          maxAttempts: sql`IF(VALUES(last_event_at) >= last_event_at, VALUES(max_attempts), max_attempts)`,
          output: sql`IF(VALUES(last_event_at) >= last_event_at, VALUES(output), output)`,
          perfdata: sql`IF(VALUES(last_event_at) >= last_event_at, COALESCE(VALUES(perfdata), perfdata), perfdata)`,
          lastCheckAt: sql`GREATEST(VALUES(last_check_at), last_check_at)`,
          lastEventAt: sql`GREATEST(VALUES(last_event_at), last_event_at)`,
        },
      });
    return inserted;
  });
}
