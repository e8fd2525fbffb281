import { eq } from 'drizzle-orm';
import type { Database } from '../db/connection';
import { accounts, users } from '../db/schema';

export interface PortalUser {
  id: number;
  username: string;
  displayName: string | null;
  isStaff: boolean;
  accountId: number | null;
  accountName: string | null;
  detailLevel: 'summary' | 'technical';
  /** When all the user's sessions were last revoked: cached Basic logins from before are void. */
  sessionsRevokedAt: Date | null;
}

export interface CustomerUser extends PortalUser {
  accountId: number;
  accountName: string;
}

/** The user row as it is now: staff changes to accounts or roles apply on the next request. */
export async function loadPortalUser(db: Database, where: { id: number } | { username: string }): Promise<PortalUser | null> {
  const [row] = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      isStaff: users.isStaff,
      accountId: users.accountId,
      accountName: accounts.name,
      detailLevel: users.detailLevel,
      sessionsRevokedAt: users.sessionsRevokedAt,
    })
    .from(users)
    .leftJoin(accounts, eq(accounts.id, users.accountId))
    .where('id' in where ? eq(users.id, where.id) : eq(users.username, where.username));
  return row ?? null;
}

export const isCustomer = (user: PortalUser): user is CustomerUser => user.accountId !== null && user.accountName !== null;
