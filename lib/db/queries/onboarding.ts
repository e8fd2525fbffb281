import 'server-only';
import { asc, eq } from 'drizzle-orm';
import type { Database } from '../connection';
import { accounts, plans, users, vms } from '../schema';

// Staff's writes of accounts, VMs and plans (lib/admin/onboarding.ts checks and audits them). Callers
// must have passed the staff guard; nothing here is scoped by account.

export const accountRow = {
  id: accounts.id,
  key: accounts.slug,
  name: accounts.name,
  contactEmail: accounts.contactEmail,
  billingDay: accounts.billingDay,
  timeZone: accounts.timeZone,
  suspendedAt: accounts.suspendedAt,
  suspendedReason: accounts.suspendedReason,
  createdAt: accounts.createdAt,
};
export interface AccountFields {
  key: string;
  name: string;
  contactEmail: string | null;
  billingDay: number;
  timeZone: string;
}

export async function listAccounts(db: Database) {
  return db.select(accountRow).from(accounts).orderBy(asc(accounts.name));
}
export async function accountById(db: Database, id: number) {
  return (await db.select(accountRow).from(accounts).where(eq(accounts.id, id)))[0] ?? null;
}
export async function accountByKey(db: Database, key: string) {
  return (await db.select(accountRow).from(accounts).where(eq(accounts.slug, key)))[0] ?? null;
}
export async function insertAccount(db: Database, a: AccountFields): Promise<number> {
  const { key, ...rest } = a;
  const [row] = await db.insert(accounts).values({ slug: key, ...rest }).$returningId();
  return row!.id;
}
export async function updateAccountRow(
  db: Database,
  id: number,
  a: Partial<AccountFields & { suspendedAt: Date | null; suspendedReason: string | null }>,
): Promise<void> {
  const { key, ...rest } = a;
  const set = Object.fromEntries(Object.entries({ slug: key, ...rest }).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length > 0) await db.update(accounts).set(set).where(eq(accounts.id, id));
}
/** The ids of the account's users (suspension ends their sessions). */
export async function accountUserIds(db: Database, accountId: number): Promise<number[]> {
  return (await db.select({ id: users.id }).from(users).where(eq(users.accountId, accountId))).map((u) => u.id);
}

export const vmRow = {
  id: vms.id,
  accountId: vms.accountId,
  accountKey: accounts.slug,
  nagiosHostName: vms.nagiosHostName,
  hostname: vms.hostname,
  address: vms.address,
  addressV6: vms.addressV6,
  ubuntuRelease: vms.ubuntuRelease,
  planId: vms.planId,
  planSlug: plans.slug,
  retiredAt: vms.retiredAt,
  createdAt: vms.createdAt,
};

const vmQuery = (db: Database) => db.select(vmRow).from(vms).innerJoin(accounts, eq(accounts.id, vms.accountId)).innerJoin(plans, eq(plans.id, vms.planId));

export async function listVmsForStaff(db: Database) {
  return vmQuery(db).orderBy(asc(accounts.slug), asc(vms.hostname));
}
export async function vmForStaff(db: Database, id: number) {
  return (await vmQuery(db).where(eq(vms.id, id)))[0] ?? null;
}
export interface VmFields {
  accountId: number;
  nagiosHostName: string;
  hostname: string;
  address: string;
  addressV6: string | null;
  ubuntuRelease: string;
  planId: number;
}
export async function insertVm(db: Database, v: VmFields): Promise<number> {
  const [row] = await db.insert(vms).values(v).$returningId();
  return row!.id;
}
export async function updateVmRow(db: Database, id: number, v: Partial<VmFields & { retiredAt: Date | null }>): Promise<void> {
  if (Object.keys(v).length > 0) await db.update(vms).set(v).where(eq(vms.id, id));
}

export const planRow = {
  id: plans.id,
  slug: plans.slug,
  name: plans.name,
  priceMinor: plans.priceCents,
  currency: plans.currency,
  diskGb: plans.diskGb,
  transferGb: plans.transferGb,
  memoryMb: plans.memoryMb,
  cpus: plans.vcpus,
  active: plans.active,
  sortOrder: plans.sortOrder,
};

export async function listPlansForStaff(db: Database) {
  return db.select(planRow).from(plans).orderBy(asc(plans.sortOrder), asc(plans.priceCents));
}
export async function planById(db: Database, id: number) {
  return (await db.select(planRow).from(plans).where(eq(plans.id, id)))[0] ?? null;
}
export async function planBySlug(db: Database, slug: string) {
  return (await db.select(planRow).from(plans).where(eq(plans.slug, slug)))[0] ?? null;
}
export interface PlanFields {
  slug: string;
  name: string;
  priceMinor: number;
  currency: string;
  diskGb: number;
  transferGb: number;
  memoryMb: number;
  cpus: number;
  active: boolean;
  sortOrder: number;
}
const planColumns = (p: Partial<PlanFields>) => ({
  ...(p.slug !== undefined ? { slug: p.slug } : {}),
  ...(p.name !== undefined ? { name: p.name } : {}),
  ...(p.priceMinor !== undefined ? { priceCents: p.priceMinor } : {}),
  ...(p.currency !== undefined ? { currency: p.currency } : {}),
  ...(p.diskGb !== undefined ? { diskGb: p.diskGb } : {}),
  ...(p.transferGb !== undefined ? { transferGb: p.transferGb } : {}),
  ...(p.memoryMb !== undefined ? { memoryMb: p.memoryMb } : {}),
  ...(p.cpus !== undefined ? { vcpus: p.cpus } : {}),
  ...(p.active !== undefined ? { active: p.active } : {}),
  ...(p.sortOrder !== undefined ? { sortOrder: p.sortOrder } : {}),
});
export async function insertPlan(db: Database, p: PlanFields): Promise<number> {
  const [row] = await db
    .insert(plans)
    .values({ slug: p.slug, name: p.name, priceCents: p.priceMinor, currency: p.currency, diskGb: p.diskGb, transferGb: p.transferGb, memoryMb: p.memoryMb, vcpus: p.cpus, active: p.active, sortOrder: p.sortOrder })
    .$returningId();
  return row!.id;
}
export async function updatePlanRow(db: Database, id: number, p: Partial<PlanFields>): Promise<void> {
  const set = planColumns(p);
  if (Object.keys(set).length > 0) await db.update(plans).set(set).where(eq(plans.id, id));
}
export async function vmsOnPlan(db: Database, planId: number): Promise<number> {
  return (await db.select({ id: vms.id }).from(vms).where(eq(vms.planId, planId))).length;
}
