import { recordAudit } from '../audit';
import type { Database } from '../db/connection';
import type { Directory } from './ldap';
import { USERNAME_PATTERN } from './ldap-escape';
import { clearUserFailures, lockedMinutes, recordFailure, type ThrottleLimits } from './throttle';
import { syncDirectoryUser } from './user-sync';
import { checkUsername, visibleUsername } from './username';

export type LoginResult =
  | { ok: true; userId: number; username: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; minutes: number };

export const INVALID_LOGIN_MESSAGE = 'Invalid username or password.';
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
  const username = checked.ok ? checked.username : null;
  const loggedName = username !== null && USERNAME_PATTERN.test(username) ? username : visibleUsername(username ?? input.username);

  const minutes = await lockedMinutes(db, username, input.ip);
  if (minutes > 0) {
    await recordAudit(db, { action: 'login.throttled', actor: { username: loggedName }, ip: input.ip, details: { via: input.via } });
    return { ok: false, reason: 'throttled', minutes };
  }

  if (!checked.ok) {
    await recordFailure(db, null, input.ip, limits);
    await recordAudit(db, {
      action: 'login.refused',
      actor: { username: loggedName },
      ip: input.ip,
      details: { via: input.via, reason: checked.reason },
    });
    return { ok: false, reason: 'invalid' };
  }

  const entry = await directory.authenticate(checked.username, input.password);
  if (!entry) {
    await recordFailure(db, checked.username, input.ip, limits);
    await recordAudit(db, { action: 'login.failure', actor: { username: loggedName }, ip: input.ip, details: { via: input.via } });
    return { ok: false, reason: 'invalid' };
  }

  const userId = await syncDirectoryUser(db, entry);
  await clearUserFailures(db, checked.username);
  await recordAudit(db, { action: 'login.success', actor: { id: userId, username: entry.username }, ip: input.ip, details: { via: input.via } });
  return { ok: true, userId, username: entry.username };
}
