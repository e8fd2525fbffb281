import { createHash } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '../connection';
import { accounts, alertContacts, alertDeliveries, alertOutbox, alertRules, maintenanceWindows, monitoringEvents, serviceStates, vms } from '../schema';
import type { DecisionEvent } from '../../alerts/decide';
import { defaultRule, type Rule } from '../../alerts/rule';

// A customer's alert rules, contacts and delivery log. Every function takes the account id and scopes
// by it: another account's rule or contact id finds nothing, exactly like a foreign VM id.

export interface RuleRecord {
  id: number;
  name: string;
  enabled: boolean;
  rule: Rule;
  createdAt: Date;
  updatedAt: Date;
}

const asRule = (definition: unknown): Rule => (typeof definition === 'string' ? JSON.parse(definition) : definition) as Rule;

export async function listRules(db: Database, accountId: number): Promise<RuleRecord[]> {
  const rows = await db.select().from(alertRules).where(eq(alertRules.accountId, accountId)).orderBy(alertRules.id);
  return rows.map((r) => ({ id: r.id, name: r.name, enabled: r.enabled, rule: asRule(r.definition), createdAt: r.createdAt, updatedAt: r.updatedAt }));
}

export async function ownedRule(db: Database, accountId: number, ruleId: number): Promise<RuleRecord | null> {
  const [r] = await db
    .select()
    .from(alertRules)
    .where(and(eq(alertRules.accountId, accountId), eq(alertRules.id, ruleId)));
  return r ? { id: r.id, name: r.name, enabled: r.enabled, rule: asRule(r.definition), createdAt: r.createdAt, updatedAt: r.updatedAt } : null;
}

/**
 * The VM and contact ids a rule names that are not the account's own: a rule may only point at what the
 * account owns. Empty when all are.
 */
export async function foreignReferences(db: Database, accountId: number, rule: Pick<Rule, 'vms' | 'contactIds'>): Promise<string[]> {
  const problems: string[] = [];
  if (rule.vms !== 'all' && rule.vms.length > 0) {
    const own = new Set(
      (await db.select({ id: vms.id }).from(vms).where(and(eq(vms.accountId, accountId), inArray(vms.id, rule.vms)))).map((v) => v.id),
    );
    const foreign = rule.vms.filter((id) => !own.has(id));
    if (foreign.length > 0) problems.push(`vms: no VM of yours has the id ${foreign.join(', ')}.`);
  }
  if (rule.contactIds.length > 0) {
    const own = new Set(
      (
        await db
          .select({ id: alertContacts.id })
          .from(alertContacts)
          .where(and(eq(alertContacts.accountId, accountId), inArray(alertContacts.id, rule.contactIds)))
      ).map((c) => c.id),
    );
    const foreign = rule.contactIds.filter((id) => !own.has(id));
    if (foreign.length > 0) problems.push(`contactIds: no contact of yours has the id ${foreign.join(', ')}.`);
  }
  return problems;
}

export async function createRule(db: Database, accountId: number, rule: Rule, now = new Date()): Promise<number> {
  const [row] = await db
    .insert(alertRules)
    .values({ accountId, name: rule.name, enabled: rule.enabled, definition: rule, createdAt: now, updatedAt: now })
    .$returningId();
  return row!.id;
}

export async function updateRule(db: Database, accountId: number, ruleId: number, rule: Rule, now = new Date()): Promise<boolean> {
  const [result] = await db
    .update(alertRules)
    .set({ name: rule.name, enabled: rule.enabled, definition: rule, updatedAt: now })
    .where(and(eq(alertRules.accountId, accountId), eq(alertRules.id, ruleId)));
  return result.affectedRows > 0;
}

export async function deleteRule(db: Database, accountId: number, ruleId: number): Promise<boolean> {
  const [result] = await db.delete(alertRules).where(and(eq(alertRules.accountId, accountId), eq(alertRules.id, ruleId)));
  return result.affectedRows > 0;
}

export interface ContactRecord {
  id: number;
  kind: 'email' | 'sms' | 'webhook' | 'push' | 'alarm';
  label: string;
  target: string;
  verified: boolean;
  createdAt: Date;
}

export const contactKey = (target: string) => createHash('sha256').update(target).digest('hex');

export async function listContacts(db: Database, accountId: number): Promise<ContactRecord[]> {
  const rows = await db
    .select({
      id: alertContacts.id,
      kind: alertContacts.kind,
      label: alertContacts.label,
      target: alertContacts.target,
      verifiedAt: alertContacts.verifiedAt,
      createdAt: alertContacts.createdAt,
    })
    .from(alertContacts)
    .where(eq(alertContacts.accountId, accountId))
    .orderBy(alertContacts.id);
  return rows.map(({ verifiedAt, ...r }) => ({ ...r, verified: verifiedAt !== null }));
}

export interface NewContact {
  kind: ContactRecord['kind'];
  label: string;
  target: string;
  options?: Record<string, string> | null;
  verified?: boolean;
}

/** Adds a contact; one already there with the same target is returned as it is. */
export async function addContact(db: Database, accountId: number, contact: NewContact, now = new Date()): Promise<number> {
  const targetKey = contactKey(contact.target);
  await db
    .insert(alertContacts)
    .values({
      accountId,
      kind: contact.kind,
      label: contact.label,
      target: contact.target,
      targetKey,
      options: contact.options ?? null,
      verifiedAt: contact.verified ? now : null,
      createdAt: now,
    })
    .onDuplicateKeyUpdate({ set: { label: sql`label` } });
  const [row] = await db
    .select({ id: alertContacts.id })
    .from(alertContacts)
    .where(and(eq(alertContacts.accountId, accountId), eq(alertContacts.kind, contact.kind), eq(alertContacts.targetKey, targetKey)));
  return row!.id;
}

/**
 * A new account's alerting: its contact address (entered by staff, so trusted) and the audible alarm as
 * contacts, and one rule: HARD problems and recoveries, by email. Does nothing if the account has rules.
 */
export async function ensureDefaultAlerts(db: Database, accountId: number, now = new Date()): Promise<void> {
  const [existing] = await db.select({ id: alertRules.id }).from(alertRules).where(eq(alertRules.accountId, accountId)).limit(1);
  if (existing) return;
  const [account] = await db.select({ contactEmail: accounts.contactEmail }).from(accounts).where(eq(accounts.id, accountId));
  await addContact(db, accountId, { kind: 'alarm', label: 'Audible alarm on open dashboards', target: '', verified: true }, now);
  if (!account?.contactEmail) return;
  const emailId = await addContact(db, accountId, { kind: 'email', label: account.contactEmail, target: account.contactEmail, verified: true }, now);
  await createRule(db, accountId, defaultRule(emailId, 'UTC'), now);
}

/** History is not news: the outbox entries of events stored by a seed or an import are dropped. */
export async function dropOutboxForVms(db: Database, vmIds: number[]): Promise<void> {
  if (vmIds.length === 0) return;
  await db.delete(alertOutbox).where(inArray(alertOutbox.eventId, db.select({ id: monitoringEvents.id }).from(monitoringEvents).where(inArray(monitoringEvents.vmId, vmIds))));
}

export interface DeliveryRecord {
  id: number;
  ruleId: number;
  eventId: number;
  contactId: number;
  channel: string;
  status: string;
  reason: string;
  detail: string | null;
  subject: string | null;
  response: string | null;
  attempts: number;
  vmId: number;
  service: string;
  state: string;
  carriedBy: number | null;
  at: Date;
  accountId: number;
}

/** Newest first, `before` an id (the cursor); `accountId` null is staff's view of every account. */
export async function listDeliveries(
  db: Database,
  {
    accountId,
    before,
    limit = 50,
    ruleId,
    status,
    forAccount,
  }: { accountId: number | null; before?: number; limit?: number; ruleId?: number; status?: DeliveryStatus; forAccount?: number },
): Promise<DeliveryRecord[]> {
  const conditions = [
    accountId === null ? undefined : eq(alertDeliveries.accountId, accountId),
    forAccount === undefined ? undefined : eq(alertDeliveries.accountId, forAccount),
    status === undefined ? undefined : eq(alertDeliveries.status, status),
    before === undefined ? undefined : lt(alertDeliveries.id, before),
    ruleId === undefined ? undefined : eq(alertDeliveries.ruleId, ruleId),
  ].filter((c) => c !== undefined);
  return db
    .select({
      id: alertDeliveries.id,
      ruleId: alertDeliveries.ruleId,
      eventId: alertDeliveries.eventId,
      contactId: alertDeliveries.contactId,
      channel: alertDeliveries.channel,
      status: alertDeliveries.status,
      reason: alertDeliveries.reason,
      detail: alertDeliveries.detail,
      subject: alertDeliveries.subject,
      response: alertDeliveries.response,
      attempts: alertDeliveries.attempts,
      vmId: alertDeliveries.vmId,
      service: alertDeliveries.service,
      state: alertDeliveries.state,
      carriedBy: alertDeliveries.carriedBy,
      at: alertDeliveries.updatedAt,
      accountId: alertDeliveries.accountId,
    })
    .from(alertDeliveries)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(alertDeliveries.id))
    .limit(limit);
}

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'suppressed', 'waiting', 'held', 'grouped', 'digested'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryLabels {
  rules: Map<number, string>;
  contacts: Map<number, string>;
  vms: Map<number, string>;
  accounts: Map<number, string>;
}

/** The names a page of the log mentions, read for that page only (staff's page spans every account). */
export async function deliveryLabels(db: Database, rows: DeliveryRecord[]): Promise<DeliveryLabels> {
  const ids = <K extends keyof DeliveryRecord>(key: K) => [...new Set(rows.map((r) => r[key] as number))];
  const [ruleRows, contactRows, vmRows, accountRows] = rows.length === 0 ? [[], [], [], []] : await Promise.all([
    db.select({ id: alertRules.id, name: alertRules.name }).from(alertRules).where(inArray(alertRules.id, ids('ruleId'))),
    db.select({ id: alertContacts.id, name: alertContacts.label }).from(alertContacts).where(inArray(alertContacts.id, ids('contactId'))),
    db.select({ id: vms.id, name: vms.hostname }).from(vms).where(inArray(vms.id, ids('vmId'))),
    db.select({ id: accounts.id, name: accounts.name }).from(accounts).where(inArray(accounts.id, ids('accountId'))),
  ]);
  const map = (list: Array<{ id: number; name: string }>) => new Map(list.map((r) => [r.id, r.name]));
  return { rules: map(ruleRows), contacts: map(contactRows), vms: map(vmRows), accounts: map(accountRows) };
}

/**
 * How delivery stands across every account: what is due, the oldest due, what failed in the last day.
 * Each count walks the (status, due_at) index for one rare status, never the whole log.
 */
export async function deliveryBacklog(db: Database, now = new Date()) {
  const [[due], [failed]] = await Promise.all([
    db
      .select({ count: sql<number>`COUNT(*)`, oldest: sql<Date | null>`MIN(${alertDeliveries.dueAt})`.mapWith(alertDeliveries.dueAt) })
      .from(alertDeliveries)
      .where(inArray(alertDeliveries.status, ['pending', 'sending'])),
    db
      .select({ count: sql<number>`COUNT(*)` })
      .from(alertDeliveries)
      .where(and(eq(alertDeliveries.status, 'failed'), gt(alertDeliveries.updatedAt, new Date(now.getTime() - 86_400_000)))),
  ]);
  return { due: Number(due?.count ?? 0), oldestDue: due?.oldest ?? null, failedDay: Number(failed?.count ?? 0) };
}

/** The messages as rendered (JSON) of the deliveries given, scoped like the list; absent where none was. */
export async function deliveryMessages(db: Database, accountId: number | null, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: alertDeliveries.id, body: alertDeliveries.body })
    .from(alertDeliveries)
    .where(and(inArray(alertDeliveries.id, ids), accountId === null ? undefined : eq(alertDeliveries.accountId, accountId)));
  return new Map(rows.filter((r) => r.body !== null).map((r) => [r.id, r.body!]));
}

/** Alarm messages sent since `afterId`, for the account's open dashboards. */
export async function alarmsSince(db: Database, accountId: number, afterId: number) {
  return db
    .select({ id: alertDeliveries.id, subject: alertDeliveries.subject, state: alertDeliveries.state, at: alertDeliveries.updatedAt })
    .from(alertDeliveries)
    .where(
      and(
        eq(alertDeliveries.accountId, accountId),
        eq(alertDeliveries.channel, 'alarm'),
        eq(alertDeliveries.status, 'sent'),
        sql`${alertDeliveries.id} > ${afterId}`,
        isNull(alertDeliveries.carriedBy),
      ),
    )
    .orderBy(desc(alertDeliveries.id))
    .limit(20);
}

/** Every service name the account's VMs have reported: what a rule's names and patterns can match. */
export async function knownServices(db: Database, accountId: number): Promise<string[]> {
  const rows = await db
    .selectDistinct({ service: serviceStates.service })
    .from(serviceStates)
    .innerJoin(vms, eq(vms.id, serviceStates.vmId))
    .where(and(eq(vms.accountId, accountId), isNull(vms.retiredAt), sql`${serviceStates.service} <> ''`))
    .orderBy(serviceStates.service);
  return rows.map((r) => r.service);
}

/** Staff: every account's rules. */
export async function allRules(db: Database): Promise<Array<RuleRecord & { accountId: number }>> {
  const rows = await db.select().from(alertRules).orderBy(alertRules.accountId, alertRules.id).limit(5000);
  return rows.map((r) => ({ id: r.id, accountId: r.accountId, name: r.name, enabled: r.enabled, rule: asRule(r.definition), createdAt: r.createdAt, updatedAt: r.updatedAt }));
}

export interface ContactSecrets extends ContactRecord {
  options: Record<string, string> | null;
  verifyCodeHash: string | null;
  verifyExpiresAt: Date | null;
  verifyAttempts: number;
}

export async function ownedContact(db: Database, accountId: number, contactId: number): Promise<ContactSecrets | null> {
  const [r] = await db
    .select()
    .from(alertContacts)
    .where(and(eq(alertContacts.accountId, accountId), eq(alertContacts.id, contactId)));
  if (!r) return null;
  return {
    id: r.id,
    kind: r.kind,
    label: r.label,
    target: r.target,
    verified: r.verifiedAt !== null,
    createdAt: r.createdAt,
    options: r.options ?? null,
    verifyCodeHash: r.verifyCodeHash,
    verifyExpiresAt: r.verifyExpiresAt,
    verifyAttempts: r.verifyAttempts,
  };
}

export async function setVerification(
  db: Database,
  accountId: number,
  contactId: number,
  change: { codeHash?: string | null; expiresAt?: Date | null; attempts?: number; verifiedAt?: Date | null },
): Promise<void> {
  await db
    .update(alertContacts)
    .set({
      ...(change.codeHash !== undefined ? { verifyCodeHash: change.codeHash } : {}),
      ...(change.expiresAt !== undefined ? { verifyExpiresAt: change.expiresAt } : {}),
      ...(change.attempts !== undefined ? { verifyAttempts: change.attempts } : {}),
      ...(change.verifiedAt !== undefined ? { verifiedAt: change.verifiedAt } : {}),
    })
    .where(and(eq(alertContacts.accountId, accountId), eq(alertContacts.id, contactId)));
}

/** Removes a contact; the rules that named it keep their other contacts (the notifier skips a missing one). */
export async function deleteContact(db: Database, accountId: number, contactId: number): Promise<boolean> {
  const [result] = await db.delete(alertContacts).where(and(eq(alertContacts.accountId, accountId), eq(alertContacts.id, contactId), sql`${alertContacts.kind} <> 'alarm'`));
  return result.affectedRows > 0;
}

/** How many of an account's newest state changes the rule preview replays at most. */
export const PREVIEW_EVENTS = 20_000;

/**
 * The account's newest state changes since `since` (at most `limit`), oldest first, with only what a
 * rule's decision reads: the columns of the timeline's index, so MariaDB reads no event row itself (a
 * 200-VM account's month, 74,000 changes: was 2.2 s with every column and the oldest first).
 * `complete` is false when older changes in the period were left out.
 */
export async function accountPreviewEvents(db: Database, accountId: number, since: Date, limit = PREVIEW_EVENTS): Promise<{ events: DecisionEvent[]; complete: boolean }> {
  const rows = await db
    .select({
      vmId: vms.id,
      vmName: vms.hostname,
      service: monitoringEvents.service,
      state: monitoringEvents.state,
      stateType: monitoringEvents.stateType,
      occurredAt: monitoringEvents.occurredAt,
    })
    .from(monitoringEvents)
    .innerJoin(vms, eq(vms.id, monitoringEvents.vmId))
    .where(and(eq(vms.accountId, accountId), isNull(vms.retiredAt), gt(monitoringEvents.occurredAt, since)))
    .orderBy(desc(monitoringEvents.occurredAt), desc(monitoringEvents.id))
    .limit(limit + 1);
  const complete = rows.length <= limit;
  const events = rows.slice(0, limit).reverse().map((r) => ({ ...r, kind: r.service === '' ? ('host' as const) : ('service' as const) }));
  return { events, complete };
}

export async function accountMaintenance(db: Database, accountId: number, since: Date) {
  const rows = await db
    .select({ vmId: maintenanceWindows.vmId, from: maintenanceWindows.startsAt, to: maintenanceWindows.endsAt })
    .from(maintenanceWindows)
    .where(and(eq(maintenanceWindows.accountId, accountId), gt(maintenanceWindows.endsAt, since)));
  return rows;
}
