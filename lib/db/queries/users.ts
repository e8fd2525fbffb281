// Portal users as staff and customers change them. Callers check who is asking (lib/auth/session.ts)
// before they call; these functions take ids and never read the session themselves.
import { eq } from 'drizzle-orm';
import type { Database } from '../connection';
import { accounts, users } from '../schema';

export type DetailLevel = 'summary' | 'technical';

export async function findUserById(db: Database, userId: number) {
  const [user] = await db.select({ id: users.id, username: users.username, accountId: users.accountId }).from(users).where(eq(users.id, userId));
  return user ?? null;
}

export async function accountExists(db: Database, accountId: number): Promise<boolean> {
  const [account] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId));
  return account !== undefined;
}

/** Staff's choice of account, which the directory's attribute no longer overrides; null gives it back. */
export async function setUserAccountByStaff(db: Database, userId: number, accountId: number | null): Promise<void> {
  await db
    .update(users)
    .set(accountId === null ? { accountId: null, accountSource: null } : { accountId, accountSource: 'staff' })
    .where(eq(users.id, userId));
}

export async function setUserDetailLevel(db: Database, userId: number, level: DetailLevel): Promise<void> {
  await db.update(users).set({ detailLevel: level }).where(eq(users.id, userId));
}
