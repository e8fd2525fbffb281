import { recordAudit } from '../audit';
import type { Database } from '../db/connection';
import type { Directory } from './ldap';
import { USERNAME_PATTERN } from './ldap-escape';
import { clearUserFailures, lockedMinutes, recordFailure, type ThrottleLimits } from './throttle';
import { syncDirectoryUser } from './user-sync';

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
 */
export async function login(
  deps: { db: Database; directory: Directory; limits: ThrottleLimits },
  input: { username: string; password: string; ip: string | null; via: 'web' | 'api' },
): Promise<LoginResult> {
  const { db, directory, limits } = deps;
  const username = input.username.trim();
  const loggedName = USERNAME_PATTERN.test(username) ? username : username.slice(0, 64);

  const minutes = await lockedMinutes(db, username, input.ip);
  if (minutes > 0) {
    await recordAudit(db, { action: 'login.throttled', actor: { username: loggedName }, ip: input.ip, details: { via: input.via } });
    return { ok: false, reason: 'throttled', minutes };
  }

  const entry = await directory.authenticate(username, input.password);
  if (!entry) {
    await recordFailure(db, username, input.ip, limits);
    await recordAudit(db, { action: 'login.failure', actor: { username: loggedName }, ip: input.ip, details: { via: input.via } });
    return { ok: false, reason: 'invalid' };
  }

  const userId = await syncDirectoryUser(db, entry);
  await clearUserFailures(db, username);
  await recordAudit(db, { action: 'login.success', actor: { id: userId, username: entry.username }, ip: input.ip, details: { via: input.via } });
  return { ok: true, userId, username: entry.username };
}
