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
  /** The account is suspended: its customers are let in nowhere (staff keep their rights). */
  accountSuspended: boolean;
}

export interface CustomerUser extends PortalUser {
  accountId: number;
  accountName: string;
}

/** A customer of a suspended account: no session, Basic login or front-end header lets them in. */
export const isLockedOut = (user: Pick<PortalUser, 'isStaff' | 'accountSuspended'>): boolean => user.accountSuspended && !user.isStaff;

export const isCustomer = (user: PortalUser): user is CustomerUser => user.accountId !== null && user.accountName !== null;
