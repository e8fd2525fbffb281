import type { Database } from '../db/connection';
import { recordAudit } from '../db/queries/audit';
import { createRule, deleteRule, foreignReferences, knownServices, listContacts, ownedRule, updateRule, type RuleRecord } from '../db/queries/alerts';
import { listAccountVms } from '../db/queries/vms';
import { describeRule, ruleWarnings } from '../alerts/describe';
import { parseRule } from '../alerts/rule';
import { fail, ok, type Result } from '../result';

// Writing a customer's rules, shared by the API and the pages: parse, check that every VM and contact
// named is the account's own, write, audit. A bad rule changes nothing and says every problem.

export interface Caller {
  id: number | null;
  username: string;
  accountId: number;
  ip?: string | null;
}

export async function saveRule(db: Database, caller: Caller, input: unknown, ruleId?: number): Promise<Result<number, string[]>> {
  const parsed = parseRule(input);
  if (!parsed.ok) return parsed;
  const foreign = await foreignReferences(db, caller.accountId, parsed.value);
  if (foreign.length > 0) return fail(foreign);
  let id = ruleId;
  if (id === undefined) id = await createRule(db, caller.accountId, parsed.value);
  else if (!(await updateRule(db, caller.accountId, id, parsed.value))) return fail(['No rule of yours has that id.']);
  await recordAudit(db, {
    action: ruleId === undefined ? 'alerts.rule.create' : 'alerts.rule.update',
    actor: { id: caller.id, username: caller.username },
    accountId: caller.accountId,
    target: { type: 'alert_rule', id },
    ip: caller.ip ?? null,
    details: { name: parsed.value.name },
  });
  return ok(id);
}

/** PATCH: the fields given replace those of the stored rule, and the whole is checked again. */
export async function patchRule(db: Database, caller: Caller, ruleId: number, changes: unknown): Promise<Result<number, string[]> | null> {
  const existing = await ownedRule(db, caller.accountId, ruleId);
  if (!existing) return null;
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) return fail(['The body must be a JSON object of the fields to change.']);
  return saveRule(db, caller, { ...existing.rule, ...changes }, ruleId);
}

export async function removeRule(db: Database, caller: Caller, ruleId: number): Promise<boolean> {
  const removed = await deleteRule(db, caller.accountId, ruleId);
  if (removed) {
    await recordAudit(db, {
      action: 'alerts.rule.delete',
      actor: { id: caller.id, username: caller.username },
      accountId: caller.accountId,
      target: { type: 'alert_rule', id: ruleId },
      ip: caller.ip ?? null,
    });
  }
  return removed;
}

/** A rule as the API and the pages show it: with its plain-words summary and never-matches warnings. */
export async function presentRules(db: Database, accountId: number, rules: RuleRecord[]) {
  const [vms, contacts, services] = await Promise.all([listAccountVms(db, accountId), listContacts(db, accountId), knownServices(db, accountId)]);
  const vmNames = new Map(vms.map((v) => [v.id, v.hostname]));
  const contactLabels = new Map(contacts.map((c) => [c.id, c.label]));
  const verifiedContactIds = contacts.filter((c) => c.verified).map((c) => c.id);
  return rules.map((r) => ({
    id: r.id,
    name: r.name,
    enabled: r.enabled,
    rule: r.rule,
    summary: describeRule(r.rule, { vmNames, contactLabels }),
    warnings: ruleWarnings(r.rule, { knownServices: services, verifiedContactIds }),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  }));
}
