// The portal's user as every guard and page sees them; loaded by lib/db/queries/users.ts `loadPortalUser`.

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

export const isCustomer = (user: PortalUser): user is CustomerUser => user.accountId !== null && user.accountName !== null;
