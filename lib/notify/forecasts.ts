import type { Database } from '../db/connection';
import { type OrderKind, vmPlan } from '../db/queries/orders';
import { contactsById, insertDeliveries, type NewDelivery, type StoredContact, vmsInMaintenance } from '../db/queries/notifier';
import { accountOwnedVms, type OwnedVm } from '../db/queries/vms';
import { enabledRuleDefinitions, storeNotice } from '../db/queries/notices';
import { ruleSchema, type Rule } from '../alerts/rule';
import { recommendPlan } from '../plans/recommend';
import { listPlans } from '../db/queries/orders';
import { vmForecast } from '../plans/vm-forecast';
import type { OutgoingMessage } from './channels/types';

// Forecasts as alert triggers: a rule can ask to hear when a disk would be full within N days or the
// month's transfer quota will run out. Notifiers look every NOTIFY_FORECAST_MINUTES; each finding is a
// notice with a key per VM, disk (or transfer) and month, and each (rule, notice, contact) one message,
// however many notifiers look how often (the deliveries' unique key).

export interface ForecastCheckResult {
  vms: number;
  notices: number;
  messages: number;
}

interface Finding {
  kind: 'disk' | 'transfer';
  key: string;
  service: string;
  subject: string;
  text: string;
  /** The disk's low end of "full in N days"; 0 for transfer. */
  days: number;
}

const month = (d: Date) => d.toISOString().slice(0, 7);

export async function checkForecasts(db: Database, portalUrl: string, now = new Date()): Promise<ForecastCheckResult> {
  const rows = await enabledRuleDefinitions(db);
  const rules = rows
    .map((r) => ({ id: r.id, accountId: r.accountId, parsed: ruleSchema.safeParse(r.definition) }))
    .filter((r): r is { id: number; accountId: number; parsed: { success: true; data: Rule } } => r.parsed.success)
    .map((r) => ({ id: r.id, accountId: r.accountId, rule: r.parsed.data }))
    .filter((r) => r.rule.forecast && (r.rule.forecast.diskFullDays !== null || r.rule.forecast.quotaOut));
  const result: ForecastCheckResult = { vms: 0, notices: 0, messages: 0 };
  if (rules.length === 0) return result;
  const plans = await listPlans(db);
  const base = portalUrl.replace(/\/$/, '');

  for (const accountId of new Set(rules.map((r) => r.accountId))) {
    const accountRules = rules.filter((r) => r.accountId === accountId);
    const vms = (await accountOwnedVms(db, accountId)).filter((vm) => accountRules.some((r) => r.rule.vms === 'all' || r.rule.vms.includes(vm.id)));
    const contacts = await contactsById(db.$client, [...new Set(accountRules.flatMap((r) => r.rule.contactIds))]);
    const connection = await db.$client.getConnection();
    const inMaintenance = await vmsInMaintenance(connection, vms.map((v) => v.id), now).finally(() => connection.release());
    for (const vm of vms) {
      result.vms++;
      const findings = await vmFindings(db, vm, plans, base, now);
      for (const finding of findings) {
        const rulesForIt = accountRules.filter(
          (r) =>
            (r.rule.vms === 'all' || r.rule.vms.includes(vm.id)) &&
            (finding.kind === 'disk' ? r.rule.forecast!.diskFullDays !== null && finding.days <= r.rule.forecast!.diskFullDays : r.rule.forecast!.quotaOut),
        );
        if (rulesForIt.length === 0) continue;
        const queued = await queueNotice(
          db,
          { accountId, vmId: vm.id, kind: finding.kind, key: finding.key, service: finding.service, subject: finding.subject, text: finding.text, url: `${base}/vms/${vm.id}/plan` },
          rulesForIt.flatMap(({ id: ruleId, rule }) => rule.contactIds.map((contactId) => ({ ruleId, ruleName: rule.name, contactId }))),
          contacts,
          { inMaintenance: inMaintenance.has(vm.id), now },
        );
        if (queued === null) continue;
        result.notices++;
        result.messages += queued;
      }
    }
  }
  return result;
}

export interface Notice {
  accountId: number;
  /** 0 when the news is the account's rather than one VM's (a mail domain's check). */
  vmId: number;
  kind: 'disk' | 'transfer' | 'order' | 'mail';
  /** Unique: the same news found again is the same notice. */
  key: string;
  /** What the delivery log says it is about, e.g. "forecast: Disk /". */
  service: string;
  subject: string;
  text: string;
  url: string;
}

/**
 * Stores a notice once and queues one message per (rule, contact) target of the account: verified
 * contacts get it now, others are logged as not verified, and a VM in maintenance as such. Returns the
 * messages queued, or null when the notice could not be stored.
 */
export async function queueNotice(
  db: Database,
  notice: Notice,
  targets: Array<{ ruleId: number; ruleName: string; contactId: number }>,
  contacts: Map<number, StoredContact>,
  { inMaintenance = false, now = new Date() }: { inMaintenance?: boolean; now?: Date } = {},
): Promise<number | null> {
  const noticeId = await storeNotice(db, notice, now);
  if (noticeId === null) return null;
  const row = { id: noticeId };
  const isForecast = notice.kind === 'disk' || notice.kind === 'transfer';
  const deliveries: NewDelivery[] = [];
  for (const { ruleId, ruleName, contactId } of targets) {
    const contact = contacts.get(contactId);
    if (!contact || contact.accountId !== notice.accountId) continue;
    const suppressed = !contact.verified ? 'not-verified' : inMaintenance ? 'maintenance' : null;
    const message: OutgoingMessage = {
      idempotencyKey: `porthole-${ruleId}-n${row.id}-${contactId}-0`,
      subject: notice.subject,
      text: notice.text,
      short: notice.subject,
      url: notice.url,
      data: { rule: ruleName, notice: notice.kind, ...(notice.vmId > 0 ? { vmId: notice.vmId } : {}) },
      urgent: false,
    };
    deliveries.push({
      accountId: notice.accountId,
      ruleId,
      eventId: 0,
      noticeId: row.id,
      contactId,
      seq: 0,
      vmId: notice.vmId,
      service: notice.service.slice(0, 255),
      state: isForecast ? 'FORECAST' : 'NOTICE',
      channel: contact.kind,
      status: suppressed ? 'suppressed' : 'pending',
      reason: suppressed ?? (isForecast ? 'forecast' : 'notice'),
      detail: suppressed === 'maintenance' ? 'A maintenance window covers this VM.' : suppressed ? 'This contact is not verified yet.' : null,
      subject: notice.subject.slice(0, 255),
      body: JSON.stringify(message),
      dueAt: suppressed ? null : now,
      createdAt: now,
      updatedAt: now,
    });
  }
  await insertDeliveries(db.$client, deliveries);
  return deliveries.filter((d) => d.status === 'pending').length;
}

/** What a customer is told when an order ended: a plan change, or a rebuild (which links to the VM's new guides). */
export function orderEndedWords(order: {
  id: number;
  status: 'completed' | 'failed';
  reason: string | null;
  fromPlanName: string;
  toPlanName: string;
  hostname: string;
  kind?: OrderKind;
  targetRelease?: string | null;
}): { subject: string; text: string; service: string; page: 'plan' | 'packages' } {
  const done = order.status === 'completed';
  if (order.kind === 'rebuild') {
    const release = `Ubuntu ${order.targetRelease ?? 'the new release'}`;
    return {
      service: 'rebuild',
      page: 'packages',
      subject: done ? `${order.hostname} has been rebuilt on ${release}` : `${order.hostname}: the rebuild on ${release} could not be carried out`,
      text: done
        ? `${order.hostname} has been rebuilt on a fresh image of ${release} (order #${order.id}). Its old data is not on it: restore what you need from your backups. The package sources and firewall instructions for the new release are on its page.`
        : `The rebuild of ${order.hostname} on ${release} (order #${order.id}) could not be carried out: ${order.reason ?? 'no reason given'}. Please contact support.`,
    };
  }
  return {
    service: 'plan change',
    page: 'plan',
    subject: done ? `${order.hostname} is now on ${order.toPlanName}` : `${order.hostname}: the change to ${order.toPlanName} could not be carried out`,
    text: done
      ? `Your plan change for ${order.hostname} from ${order.fromPlanName} to ${order.toPlanName} is done (order #${order.id}). The next measurements will show the new limits.`
      : `Your plan change for ${order.hostname} from ${order.fromPlanName} to ${order.toPlanName} (order #${order.id}) could not be carried out: ${order.reason ?? 'no reason given'}. Please contact support.`,
  };
}

/**
 * A plan change or rebuild ended: the account's rules that cover the VM tell their contacts, each contact once.
 * Sent even in a maintenance window, which is when an upgrade usually happens.
 */
export async function notifyOrderEnded(
  db: Database,
  portalUrl: string,
  order: {
    id: number;
    accountId: number;
    vmId: number;
    status: 'completed' | 'failed';
    reason: string | null;
    fromPlanName: string;
    toPlanName: string;
    hostname: string;
    /** 'upgrade' when left out. */
    kind?: OrderKind;
    targetRelease?: string | null;
  },
  now = new Date(),
): Promise<number> {
  const rows = await enabledRuleDefinitions(db, order.accountId);
  const seen = new Set<number>();
  const targets: Array<{ ruleId: number; ruleName: string; contactId: number }> = [];
  for (const r of rows) {
    const parsed = ruleSchema.safeParse(r.definition);
    if (!parsed.success || (parsed.data.vms !== 'all' && !parsed.data.vms.includes(order.vmId))) continue;
    for (const contactId of parsed.data.contactIds) {
      if (seen.has(contactId)) continue;
      seen.add(contactId);
      targets.push({ ruleId: r.id, ruleName: parsed.data.name, contactId });
    }
  }
  if (targets.length === 0) return 0;
  const contacts = await contactsById(db.$client, targets.map((t) => t.contactId));
  const base = portalUrl.replace(/\/$/, '');
  const { subject, text, service, page } = orderEndedWords(order);
  const url = `${base}/vms/${order.vmId}/${page}`;
  const queued = await queueNotice(
    db,
    { accountId: order.accountId, vmId: order.vmId, kind: 'order', key: `order:${order.id}:${order.status}`, service, subject, text: `${text}\n\n${url}`, url },
    targets,
    contacts,
    { now },
  );
  return queued ?? 0;
}

async function vmFindings(db: Database, vm: OwnedVm, plans: Awaited<ReturnType<typeof listPlans>>, base: string, now: Date): Promise<Finding[]> {
  const current = await vmPlan(db, vm);
  const forecast = await vmForecast(db, vm, current, now);
  const recommended = recommendPlan(plans.some((p) => p.id === current.id) ? plans : [current, ...plans], current.id, forecast.needs);
  const next = recommended ? `\n\nThe smallest plan that holds this is ${recommended.name}: ${base}/vms/${vm.id}/plan/confirm?planId=${recommended.id}` : `\n\nPlans and usage: ${base}/vms/${vm.id}/plan`;
  const findings: Finding[] = [];
  for (const d of forecast.disks) {
    const o = d.outlook;
    if (o.status !== 'full' && !(o.status === 'filling' && o.daysUntilFull)) continue;
    const where = d.mount === '/' ? 'the disk' : `the disk at ${d.mount}`;
    findings.push({
      kind: 'disk',
      key: `disk:${vm.id}:${d.mount}:${month(now)}`,
      service: `forecast: ${d.service}`.slice(0, 255),
      subject: `${vm.hostname}: ${where} ${o.status === 'full' ? 'is full' : `is ${Math.round(o.usedPct)} % full and filling`}`,
      text: `${vm.hostname}: ${where} is ${Math.round(o.usedPct)} % full. ${o.message}${next}`,
      days: o.status === 'full' ? 0 : o.daysUntilFull!.low,
    });
  }
  const t = forecast.transfer;
  if (t && (t.status === 'will-run-out' || t.status === 'exceeded')) {
    findings.push({
      kind: 'transfer',
      key: `transfer:${vm.id}:${month(t.periodStart)}`,
      service: 'forecast: transfer',
      subject: `${vm.hostname}: ${t.status === 'exceeded' ? "this month's transfer quota is used up" : "this month's transfer quota will run out"}`,
      text: `${vm.hostname}: ${t.message}${next}`,
      days: 0,
    });
  }
  return findings;
}
