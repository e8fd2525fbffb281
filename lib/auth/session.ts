import 'server-only';
import { getServerSession } from 'next-auth';
import { forbidden, redirect } from 'next/navigation';
import { headers } from 'next/headers';
import { cache } from 'react';
import { getDb } from '../db';
import { env } from '../env';
import { trustedProxyUser } from './client-ip';
import { loadPortalUser } from '../db/queries/users';
import { type CustomerUser, type PortalUser, isCustomer, isLockedOut } from './current-user';
import { authOptions } from './options';
import { getDirectory } from './services';
import { recheckDirectoryUser, syncDirectoryUser } from './user-sync';

/** A user named by a trusted front end: looked up in the directory (no password), row kept in sync. */
async function userFromTrustedProxy(): Promise<PortalUser | null> {
  const e = env();
  const name = trustedProxyUser(await headers(), e.TRUSTED_PROXY_IPS, e.TRUSTED_PROXY_USER_HEADER);
  if (!name) return null;
  const db = getDb();
  const entry = await getDirectory().findUser(name);
  if (!entry) return null;
  const id = await syncDirectoryUser(db, entry);
  const user = await loadPortalUser(db, { id });
  return user && !isLockedOut(user) ? user : null;
}

/**
 * A session's user as the directory sees them now: staff membership and existence are re-checked at
 * most every STAFF_RECHECK_MINUTES (shared by all instances). A change ends the session (null); when
 * the directory does not answer, an overdue check withholds staff rights rather than trust the old row.
 */
export async function withDirectoryRecheck(user: PortalUser | null): Promise<PortalUser | null> {
  if (!user || isLockedOut(user)) return null;
  const db = getDb();
  const result = await recheckDirectoryUser(db, getDirectory(), user, env().STAFF_RECHECK_MINUTES * 60_000);
  switch (result) {
    case 'fresh':
      return user;
    case 'confirmed':
      return loadPortalUser(db, { id: user.id }); // the account may have moved
    case 'unavailable':
      return { ...user, isStaff: false };
    case 'changed':
    case 'removed':
      return null;
  }
}

/** The seed's `current_user`: from the session cookie, or a trusted front end's header. Once per request. */
export const currentUser = cache(async (): Promise<PortalUser | null> => {
  await headers(); // per-request by nature: never prerendered at build time
  // Checks the session row (revoked, absolute lifetime, idle) through the jwt callback in options.ts.
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (typeof id === 'number') return withDirectoryRecheck(await loadPortalUser(getDb(), { id }));
  return userFromTrustedProxy();
});

export async function requireUser(): Promise<PortalUser> {
  const user = await currentUser();
  if (!user) redirect('/login');
  return user;
}

/** A customer page: staff without an account go to /admin, users with neither see /no-account. */
export async function requireCustomer(): Promise<CustomerUser> {
  const user = await requireUser();
  if (isCustomer(user)) return user;
  redirect(user.isStaff ? '/admin' : '/no-account');
}

export async function requireStaff(): Promise<PortalUser> {
  const user = await requireUser();
  if (!user.isStaff) forbidden();
  return user;
}
