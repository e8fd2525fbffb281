// Portal users: the rows the directory keeps in sync (lib/auth/user-sync.ts) and staff assign.
// No 'server-only': the portal benchmark (scripts/bench/portal-bare.ts) loads users as the page does.
import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { Database } from '../connection';
import { accounts, users } from '../schema';

type NewUser = typeof users.$inferInsert;

/** One select for the portal's user (lib/auth/current-user.ts `PortalUser`) and the staff list of users. */
function selectUsers(db: Database) {
  return db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      isStaff: users.isStaff,
      accountId: users.accountId,
      accountName: accounts.name,
      accountSource: users.accountSource,
      detailLevel: users.detailLevel,
      lastLoginAt: users.lastLoginAt,
      /** When all the user's sessions were last revoked: cached Basic logins from before are void. */
      sessionsRevokedAt: users.sessionsRevokedAt,
      /** Staff suspended the user's account: lib/auth/session.ts lets no customer of it in. */
      accountSuspended: sql<boolean>`${accounts.suspendedAt} IS NOT NULL`.mapWith(Boolean),
    })
    .from(users)
    .leftJoin(accounts, eq(accounts.id, users.accountId));
}

/** The user row as it is now: staff changes to accounts or roles apply on the next request. */
export async function loadPortalUser(db: Database, where: { id: number } | { username: string }) {
  const [row] = await selectUsers(db).where('id' in where ? eq(users.id, where.id) : eq(users.username, where.username));
  return row ?? null;
}

/** Staff only: every user, by username. */
export async function listUsers(db: Database) {
  return selectUsers(db).orderBy(asc(users.username));
}

/** The whole row, for the directory sync. */
export async function findUserByUsername(db: Database, username: string) {
  const [row] = await db.select().from(users).where(eq(users.username, username));
  return row ?? null;
}

/** The account a directory entry names by its key (`accounts.slug`), if there is one. */
export async function accountIdForKey(db: Database, key: string): Promise<number | null> {
  const [row] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.slug, key));
  return row?.id ?? null;
}

export async function insertUser(db: Database, values: NewUser): Promise<number> {
  const [created] = await db.insert(users).values(values).$returningId();
  return created!.id;
}

export async function updateUser(db: Database, userId: number, values: Partial<Omit<NewUser, 'id'>>): Promise<void> {
  await db.update(users).set(values).where(eq(users.id, userId));
}

/** The user by id (as `loadPortalUser`), or null. */
export const findUserById = (db: Database, userId: number) => loadPortalUser(db, { id: userId });

export async function accountExists(db: Database, accountId: number): Promise<boolean> {
  const [account] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId));
  return account !== undefined;
}

/** Staff link a login to an account by hand (null: back to whatever the directory says). */
export async function setUserAccountByStaff(db: Database, userId: number, accountId: number | null): Promise<void> {
  await updateUser(db, userId, accountId === null ? { accountId: null, accountSource: null } : { accountId, accountSource: 'staff' });
}

/** How much of each event the user wants to see; changes only that user's row. */
export async function setUserDetailLevel(db: Database, userId: number, level: 'summary' | 'technical'): Promise<void> {
  await updateUser(db, userId, { detailLevel: level });
}

/** When the directory last confirmed the user; null when there is no such user. */
export async function directoryCheckedAt(db: Database, userId: number): Promise<{ checkedAt: Date | null } | null> {
  const [row] = await db.select({ checkedAt: users.directoryCheckedAt }).from(users).where(eq(users.id, userId));
  return row ?? null;
}

/**
 * Claims the user's directory re-check when the last one is not after `due`: one conditional
 * update, so of N requests on N instances exactly one wins. False when another claimed it first.
 */
export async function claimDirectoryCheck(db: Database, userId: number, now: Date, due: Date): Promise<boolean> {
  const [claim] = await db
    .update(users)
    .set({ directoryCheckedAt: now })
    .where(and(eq(users.id, userId), or(isNull(users.directoryCheckedAt), lte(users.directoryCheckedAt, due))));
  return claim.affectedRows > 0;
}

/** Gives a claimed check back (the directory did not answer), unless a later check has happened since. */
export async function releaseDirectoryCheck(db: Database, userId: number, claimedAt: Date, previous: Date | null): Promise<void> {
  await db
    .update(users)
    .set({ directoryCheckedAt: previous })
    .where(and(eq(users.id, userId), eq(users.directoryCheckedAt, claimedAt)));
}
