import 'server-only';
import type { Database } from '../db/connection';
import { driverError } from '../db/errors';
import { recordAudit } from '../db/queries/audit';
import { revokeUserSessions } from '../db/queries/sessions';
import {
  accountById,
  accountByKey,
  accountUserIds,
  insertAccount,
  insertPlan,
  insertVm,
  planById,
  planBySlug,
  updateAccountRow,
  updatePlanRow,
  updateVmRow,
  vmForStaff,
  type VmFields,
} from '../db/queries/onboarding';
import { fail, ok, type Result } from '../result';
import { accountInput, accountPatch, planInput, planPatch, problemsOf, vmInput, vmPatch } from './onboarding-schema';

// Staff onboarding (the JSON API under /api/v1/admin and the console's forms): check every field, resolve
// keys to rows, write, audit. A bad request changes nothing and lists every problem; a duplicate key or
// host name says which.

export interface Staff {
  id: number | null;
  username: string;
  ip?: string | null;
}

type Outcome<T> = Promise<Result<T, string[]> | null>;

const audit = (db: Database, staff: Staff, action: string, target: { type: string; id: number }, details: Record<string, unknown>, accountId: number | null = null) =>
  recordAudit(db, { action, actor: { id: staff.id, username: staff.username }, accountId, target, ip: staff.ip ?? null, details });

/** A duplicate-key error as the field it concerns, or rethrown. */
function duplicate(error: unknown, messages: Record<string, string>): string[] {
  const e = driverError(error);
  if (e.errno !== 1062) throw error;
  const hit = Object.entries(messages).find(([index]) => e.message.includes(index));
  return [hit ? hit[1] : 'That already exists.'];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// ---- accounts

export async function createAccount(db: Database, staff: Staff, body: unknown): Promise<Result<number, string[]>> {
  const parsed = accountInput.safeParse(body);
  if (!parsed.success) return fail(problemsOf(parsed.error));
  try {
    const id = await insertAccount(db, parsed.data);
    await audit(db, staff, 'admin.account.create', { type: 'account', id }, parsed.data, id);
    return ok(id);
  } catch (error) {
    return fail(duplicate(error, { slug: `key: an account with the key "${parsed.data.key}" exists already.` }));
  }
}

/**
 * Null when there is no such account. `suspended: true` suspends it: its users' sessions end at once,
 * they can't log in, and its alerts pause; `suspended: false` reactivates it. Each is audited apart.
 */
export async function updateAccount(db: Database, staff: Staff, id: number, body: unknown, now = new Date()): Outcome<number> {
  const existing = await accountById(db, id);
  if (!existing) return null;
  if (!isObject(body)) return fail(['The body must be a JSON object of the fields to change.']);
  const parsed = accountPatch.safeParse(body);
  if (!parsed.success) return fail(problemsOf(parsed.error));
  const { suspended, suspendedReason, ...fields } = parsed.data;
  if (suspendedReason !== undefined && suspended !== true) return fail(['suspendedReason: only with "suspended": true.']);
  const suspending = suspended === true && existing.suspendedAt === null;
  const reactivating = suspended === false && existing.suspendedAt !== null;
  try {
    await updateAccountRow(db, id, {
      ...fields,
      ...(suspending ? { suspendedAt: now, suspendedReason: suspendedReason ?? null } : {}),
      ...(reactivating ? { suspendedAt: null, suspendedReason: null } : {}),
    });
  } catch (error) {
    return fail(duplicate(error, { slug: `key: an account with the key "${fields.key}" exists already.` }));
  }
  if (Object.keys(fields).length > 0) await audit(db, staff, 'admin.account.update', { type: 'account', id }, { from: existing, to: fields }, id);
  if (suspending) {
    let sessions = 0;
    for (const userId of await accountUserIds(db, id)) sessions += await revokeUserSessions(db, userId, 'account_suspended', now);
    await audit(db, staff, 'admin.account.suspend', { type: 'account', id }, { reason: suspendedReason ?? null, sessions }, id);
  }
  if (reactivating) await audit(db, staff, 'admin.account.reactivate', { type: 'account', id }, { suspendedAt: existing.suspendedAt }, id);
  return ok(id);
}

// ---- VMs

async function vmFields(db: Database, input: Partial<{ accountKey: string; planSlug: string } & Omit<VmFields, 'accountId' | 'planId'>>): Promise<Result<Partial<VmFields>, string[]>> {
  const { accountKey, planSlug, ...rest } = input;
  const problems: string[] = [];
  const account = accountKey === undefined ? undefined : await accountByKey(db, accountKey);
  if (account === null) problems.push(`accountKey: no account has the key "${accountKey}".`);
  const plan = planSlug === undefined ? undefined : await planBySlug(db, planSlug);
  if (plan === null) problems.push(`planSlug: no plan has the slug "${planSlug}".`);
  if (problems.length > 0) return fail(problems);
  return ok({ ...rest, ...(account ? { accountId: account.id } : {}), ...(plan ? { planId: plan.id } : {}) });
}

const VM_DUPLICATES = { nagios_host_name: 'nagiosHostName: a VM with this Nagios host name exists already.' };

export async function createVm(db: Database, staff: Staff, body: unknown): Promise<Result<number, string[]>> {
  const parsed = vmInput.safeParse(body);
  if (!parsed.success) return fail(problemsOf(parsed.error));
  const fields = await vmFields(db, parsed.data);
  if (!fields.ok) return fields;
  try {
    const id = await insertVm(db, fields.value as VmFields);
    await audit(db, staff, 'admin.vm.create', { type: 'vm', id }, parsed.data, fields.value.accountId ?? null);
    return ok(id);
  } catch (error) {
    return fail(duplicate(error, VM_DUPLICATES));
  }
}

/**
 * Also moves a VM to another account (accountKey) or plan (planSlug), and retires it (`retired: true`:
 * its history stays, its customer no longer sees it, it alerts nobody) or brings it back. Null when
 * there is no such VM.
 */
export async function updateVm(db: Database, staff: Staff, id: number, body: unknown, now = new Date()): Outcome<number> {
  const existing = await vmForStaff(db, id);
  if (!existing) return null;
  if (!isObject(body)) return fail(['The body must be a JSON object of the fields to change.']);
  const parsed = vmPatch.safeParse(body);
  if (!parsed.success) return fail(problemsOf(parsed.error));
  const { retired, ...changes } = parsed.data;
  const fields = await vmFields(db, changes);
  if (!fields.ok) return fields;
  const retiring = retired === true && existing.retiredAt === null;
  const reinstating = retired === false && existing.retiredAt !== null;
  try {
    await updateVmRow(db, id, { ...fields.value, ...(retiring ? { retiredAt: now } : {}), ...(reinstating ? { retiredAt: null } : {}) });
  } catch (error) {
    return fail(duplicate(error, VM_DUPLICATES));
  }
  const accountId = fields.value.accountId ?? existing.accountId;
  if (Object.keys(changes).length > 0) await audit(db, staff, 'admin.vm.update', { type: 'vm', id }, { from: existing, to: changes }, accountId);
  if (retiring) await audit(db, staff, 'admin.vm.retire', { type: 'vm', id }, { hostname: existing.hostname }, accountId);
  if (reinstating) await audit(db, staff, 'admin.vm.reinstate', { type: 'vm', id }, { hostname: existing.hostname, retiredAt: existing.retiredAt }, accountId);
  return ok(id);
}

// ---- plans

export async function createPlan(db: Database, staff: Staff, body: unknown): Promise<Result<number, string[]>> {
  const parsed = planInput.safeParse(body);
  if (!parsed.success) return fail(problemsOf(parsed.error));
  try {
    const id = await insertPlan(db, parsed.data);
    await audit(db, staff, 'admin.plan.create', { type: 'plan', id }, parsed.data);
    return ok(id);
  } catch (error) {
    return fail(duplicate(error, { slug: `slug: a plan with the slug "${parsed.data.slug}" exists already.` }));
  }
}

/** A plan in use is never deleted: `active: false` retires it (kept for its VMs, offered to nobody). */
export async function updatePlan(db: Database, staff: Staff, id: number, body: unknown): Outcome<number> {
  const existing = await planById(db, id);
  if (!existing) return null;
  if (!isObject(body)) return fail(['The body must be a JSON object of the fields to change.']);
  const parsed = planPatch.safeParse(body);
  if (!parsed.success) return fail(problemsOf(parsed.error));
  try {
    await updatePlanRow(db, id, parsed.data);
  } catch (error) {
    return fail(duplicate(error, { slug: `slug: a plan with the slug "${parsed.data.slug}" exists already.` }));
  }
  await audit(db, staff, 'admin.plan.update', { type: 'plan', id }, { from: existing, to: parsed.data });
  return ok(id);
}
