import { eq } from 'drizzle-orm';
import type { Database } from '../db/connection';
import { accounts, users } from '../db/schema';
import type { DirectoryUser } from './ldap';

/**
 * The seed's `User.find_by_username`, creating the row on first login. The directory decides
 * staff membership and (unless staff assigned one by hand) the account.
 */
export async function syncDirectoryUser(db: Database, entry: DirectoryUser, now = new Date()): Promise<number> {
  const account = entry.accountKey
    ? (await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.slug, entry.accountKey)))[0]
    : undefined;
  const [existing] = await db.select().from(users).where(eq(users.username, entry.username));
  const fromDirectory = account ? { accountId: account.id, accountSource: 'directory' as const } : {};
  if (!existing) {
    const [created] = await db
      .insert(users)
      .values({
        username: entry.username,
        dn: entry.dn,
        displayName: entry.displayName,
        email: entry.email,
        isStaff: entry.isStaff,
        lastLoginAt: now,
        ...fromDirectory,
      })
      .$returningId();
    return created!.id;
  }
  const keepStaffAssignment = existing.accountSource === 'staff';
  await db
    .update(users)
    .set({
      dn: entry.dn,
      displayName: entry.displayName,
      email: entry.email,
      isStaff: entry.isStaff,
      lastLoginAt: now,
      ...(keepStaffAssignment ? {} : { accountId: account?.id ?? null, accountSource: account ? 'directory' : null }),
    })
    .where(eq(users.id, existing.id));
  return existing.id;
}
