import 'server-only';
import { notFound, redirect } from 'next/navigation';
import { requireUser } from '../auth/session';
import { type PortalUser, isCustomer } from '../auth/current-user';
import { getDb } from '../db';
import { recordAudit } from '../db/queries/audit';
import { accountById } from '../db/queries/onboarding';
import { parseId } from './params';
import { viewableVm, type VmView } from './viewer';

export type AccountView = { user: PortalUser; accountId: number; accountName: string; staffView: boolean };

/**
 * An account-level customer page's caller and account: a customer reads their own; staff read any
 * account's with `?account=<id>` (read-only, named in a banner, audited once per view). Staff without
 * one go to the console.
 */
export async function requireAccountView(rawAccount: string | undefined, page: string): Promise<AccountView> {
  const user = await requireUser();
  if (!user.isStaff || rawAccount === undefined) {
    if (isCustomer(user)) return { user, accountId: user.accountId, accountName: user.accountName, staffView: false };
    redirect(user.isStaff ? '/admin' : '/no-account');
  }
  const accountId = parseId(rawAccount);
  const db = getDb();
  const account = accountId === null ? null : await accountById(db, accountId);
  if (!account) notFound();
  await recordAudit(db, {
    action: 'staff.view_account',
    actor: { id: user.id, username: user.username },
    accountId: account.id,
    target: { type: 'account', id: account.id },
    details: { page },
  });
  return { user, accountId: account.id, accountName: account.name, staffView: true };
}

/**
 * A VM page's caller and VM: its customer, or staff reading it as the customer sees it (read-only,
 * named in a banner, and audited once per view when `audit` names the page).
 */
export async function requireVmView(rawId: string, audit?: string): Promise<VmView & { user: PortalUser; accountName: string | null }> {
  const user = await requireUser();
  const vmId = parseId(rawId);
  const db = getDb();
  const view = vmId === null ? null : await viewableVm(db, user, vmId);
  if (view === 'no-account') redirect('/no-account');
  if (!view) notFound();
  let accountName = user.accountName;
  if (view.staffView) {
    accountName = (await accountById(db, view.vm.accountId))?.name ?? null;
    if (audit) {
      await recordAudit(db, {
        action: 'staff.view_vm',
        actor: { id: user.id, username: user.username },
        accountId: view.vm.accountId,
        target: { type: 'vm', id: view.vm.id },
        details: { page: audit, hostname: view.vm.hostname },
      });
    }
  }
  return { ...view, user, accountName };
}
