import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/connection';
import { vmPlan } from '../db/queries/orders';
import { contactsById, insertDeliveries, type NewDelivery, vmsInMaintenance } from '../db/queries/notifier';
import { accountOwnedVms, type OwnedVm } from '../db/queries/vms';
import { alertNotices, alertRules } from '../db/schema';
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
  const rows = await db.select().from(alertRules).where(eq(alertRules.enabled, true));
  const rules = rows
    .map((r) => ({ id: r.id, accountId: r.accountId, parsed: ruleSchema.safeParse(typeof r.definition === 'string' ? JSON.parse(r.definition) : r.definition) }))
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
        await db.insert(alertNotices).ignore().values({ accountId, vmId: vm.id, kind: finding.kind, noticeKey: finding.key, message: finding.text.slice(0, 1024), createdAt: now });
        const [notice] = await db.select({ id: alertNotices.id }).from(alertNotices).where(and(eq(alertNotices.noticeKey, finding.key), eq(alertNotices.accountId, accountId)));
        if (!notice) continue;
        result.notices++;
        const deliveries: NewDelivery[] = [];
        for (const { id: ruleId, rule } of rulesForIt) {
          for (const contactId of rule.contactIds) {
            const contact = contacts.get(contactId);
            if (!contact || contact.accountId !== accountId) continue;
            const suppressed = !contact.verified ? 'not-verified' : inMaintenance.has(vm.id) ? 'maintenance' : null;
            const message: OutgoingMessage = {
              idempotencyKey: `porthole-${ruleId}-n${notice.id}-${contactId}-0`,
              subject: finding.subject,
              text: finding.text,
              short: finding.subject,
              url: `${base}/vms/${vm.id}/plan`,
              data: { rule: rule.name, forecast: finding.kind, vm: vm.hostname },
              urgent: false,
            };
            deliveries.push({
              accountId,
              ruleId,
              eventId: 0,
              noticeId: notice.id,
              contactId,
              seq: 0,
              vmId: vm.id,
              service: finding.service,
              state: 'FORECAST',
              channel: contact.kind,
              status: suppressed ? 'suppressed' : 'pending',
              reason: suppressed ?? 'forecast',
              detail: suppressed === 'maintenance' ? 'A maintenance window covers this VM.' : suppressed ? 'This contact is not verified yet.' : null,
              subject: finding.subject.slice(0, 255),
              body: JSON.stringify(message),
              dueAt: suppressed ? null : now,
              createdAt: now,
              updatedAt: now,
            });
          }
        }
        await insertDeliveries(db.$client, deliveries);
        result.messages += deliveries.filter((d) => d.status === 'pending').length;
      }
    }
  }
  return result;
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
