import type { Database } from '../db/connection';
import { recordAudit } from '../db/queries/audit';
import { loadPortalUser } from '../db/queries/users';
import { type Result, fail, ok } from '../result';
import { isLockedOut } from './current-user';
import type { Directory } from './ldap';
import { USERNAME_PATTERN } from './ldap-escape';
import { clearUserFailures, lockedMinutes, recordFailure, type ThrottleLimits } from './throttle';
import { syncDirectoryUser } from './user-sync';
import { checkUsername, visibleUsername } from './username';

/** Callers branch on the reason: a throttled login says how long to wait, every other refusal looks the same. */
export type LoginError = { reason: 'invalid' } | { reason: 'throttled'; minutes: number } | { reason: 'suspended' };

export type LoginResult = Result<{ userId: number; username: string }, LoginError>;

export const INVALID_LOGIN_MESSAGE = 'Invalid username or password.';
export const SUSPENDED_LOGIN_MESSAGE = 'Your account is suspended, so you cannot log in. Please contact support.';
export const throttledMessage = (minutes: number) =>
  `Too many failed logins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;

/**
 * One login decision for the web form and the API alike: throttle, directory, user row, audit.
 * Unknown users, malformed names and wrong passwords all come back as 'invalid'.
 *
 * The typed name is checked and canonicalised once (lib/auth/username.ts) and that one form is
 * used for the throttle key, the directory search and the audit log: a name with control,
 * format or bidi characters never reaches the directory and counts against the address only.
 */
export async function login(
  deps: { db: Database; directory: Directory; limits: ThrottleLimits },
  input: { username: string; password: string; ip: string | null; via: 'web' | 'api' },
): Promise<LoginResult> {
  const { db, directory, limits } = deps;
  const checked = checkUsername(input.username);
  const username = checked.ok ? checked.value : null;
  const loggedName = username !== null && USERNAME_PATTERN.test(username) ? username : visibleUsername(username ?? input.username);

  const minutes = await lockedMinutes(db, username, input.ip);
  if (minutes > 0) {
    await recordAudit(db, { action: 'login.throttled', actor: { username: loggedName }, ip: input.ip, details: { via: input.via } });
    return fail({ reason: 'throttled', minutes });
  }

  if (!checked.ok) {
    await recordFailure(db, null, input.ip, limits);
    await recordAudit(db, {
      action: 'login.refused',
      actor: { username: loggedName },
      ip: input.ip,
      details: { via: input.via, reason: checked.error },
    });
    return fail({ reason: 'invalid' });
  }

  const entry = await directory.authenticate(checked.value, input.password);
  if (!entry) {
    await recordFailure(db, checked.value, input.ip, limits);
    await recordAudit(db, { action: 'login.failure', actor: { username: loggedName }, ip: input.ip, details: { via: input.via } });
    return fail({ reason: 'invalid' });
  }

  const userId = await syncDirectoryUser(db, entry);
  await clearUserFailures(db, checked.value);
  const user = await loadPortalUser(db, { id: userId });
  if (user && isLockedOut(user)) {
    await recordAudit(db, { action: 'login.refused', actor: { id: userId, username: entry.username }, ip: input.ip, details: { via: input.via, reason: 'the account is suspended' } });
    return fail({ reason: 'suspended' });
  }
  await recordAudit(db, { action: 'login.success', actor: { id: userId, username: entry.username }, ip: input.ip, details: { via: input.via } });
  return ok({ userId, username: entry.username });
}
