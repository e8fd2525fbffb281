import type { Database } from '../db/connection';
import { recordAudit } from '../db/queries/audit';
import { type SessionEndReason, revokeUserSessions } from '../db/queries/sessions';
import {
  accountIdForKey,
  claimDirectoryCheck,
  directoryCheckedAt,
  findUserByUsername,
  insertUser,
  releaseDirectoryCheck,
  updateUser,
} from '../db/queries/users';
import type { Directory, DirectoryUser } from './ldap';

/** What the directory changed since the user's row was last synced, if it ends their sessions. */
function endingChange(
  existing: { isStaff: boolean; directoryStamp: string | null },
  entry: DirectoryUser,
): SessionEndReason | null {
  if (existing.isStaff !== entry.isStaff) return 'role_changed';
  // No stamp stored yet (first sync after the upgrade) or none offered: nothing to compare.
  if (existing.directoryStamp && entry.passwordStamp && existing.directoryStamp !== entry.passwordStamp) return 'password_changed';
  return null;
}

/**
 * The seed's `User.find_by_username`, creating the row on first login. The directory decides
 * staff membership and (unless staff assigned one by hand) the account. A change of staff
 * membership or of the password ends every session the user had (a login creates its own after).
 */
export async function syncDirectoryUser(db: Database, entry: DirectoryUser, now = new Date()): Promise<number> {
  return (await applyDirectoryEntry(db, entry, now, 'login')).id;
}

/**
 * A directory user staff look up before their first login: the row is made (or refreshed) as a
 * re-check would, without counting as a login, so staff can assign the account it will log in to.
 */
export async function preloadDirectoryUser(db: Database, entry: DirectoryUser, now = new Date()): Promise<number> {
  return (await applyDirectoryEntry(db, entry, now, 'recheck')).id;
}

async function applyDirectoryEntry(
  db: Database,
  entry: DirectoryUser,
  now: Date,
  mode: 'login' | 'recheck',
): Promise<{ id: number; ended: SessionEndReason | null }> {
  const accountId = entry.accountKey ? await accountIdForKey(db, entry.accountKey) : null;
  const existing = await findUserByUsername(db, entry.username);
  const fromDirectory = accountId !== null ? { accountId, accountSource: 'directory' as const } : {};
  const seen = { directoryCheckedAt: now, directoryStamp: entry.passwordStamp ?? null, ...(mode === 'login' ? { lastLoginAt: now } : {}) };
  if (!existing) {
    const id = await insertUser(db, {
      username: entry.username,
      dn: entry.dn,
      displayName: entry.displayName,
      email: entry.email,
      isStaff: entry.isStaff,
      ...seen,
      ...fromDirectory,
    });
    return { id, ended: null };
  }
  const keepStaffAssignment = existing.accountSource === 'staff';
  await updateUser(db, existing.id, {
    dn: entry.dn,
    displayName: entry.displayName,
    email: entry.email,
    isStaff: entry.isStaff,
    ...seen,
    ...(keepStaffAssignment ? {} : { accountId, accountSource: accountId !== null ? 'directory' : null }),
  });
  const reason = endingChange(existing, entry);
  if (reason) {
    const ended = await revokeUserSessions(db, existing.id, reason, now);
    await recordAudit(db, {
      action: 'session.revoked',
      actor: { id: existing.id, username: existing.username },
      target: { type: 'user', id: existing.id },
      details: { reason, sessions: ended, detectedAt: mode, isStaff: entry.isStaff },
    });
  }
  return { id: existing.id, ended: reason };
}

export type RecheckResult = 'fresh' | 'confirmed' | 'changed' | 'removed' | 'unavailable';

/**
 * Re-checks a logged-in user against the directory when the last check is older than `intervalMs`.
 * Instances share the schedule through `users.directory_checked_at`: one conditional update claims
 * the check, so N instances and N parallel requests cost one directory search per interval.
 *  - 'fresh': checked recently (by anyone); 'confirmed': nothing that matters changed;
 *  - 'changed': staff membership or password changed, every session of the user is ended;
 *  - 'removed': the user is gone from the directory, every session ended;
 *  - 'unavailable': the directory did not answer; the schedule is put back so the next request
 *    retries, and the caller must not grant staff rights on the stale row.
 */
export async function recheckDirectoryUser(
  db: Database,
  directory: Pick<Directory, 'findUser'>,
  user: { id: number; username: string },
  intervalMs: number,
  now = new Date(),
): Promise<RecheckResult> {
  const current = await directoryCheckedAt(db, user.id);
  if (!current) return 'removed';
  const due = new Date(now.getTime() - intervalMs);
  if (current.checkedAt && current.checkedAt > due) return 'fresh';
  if (!(await claimDirectoryCheck(db, user.id, now, due))) return 'fresh'; // another request or instance is checking right now

  let entry: DirectoryUser | null;
  try {
    entry = await directory.findUser(user.username);
  } catch {
    await releaseDirectoryCheck(db, user.id, now, current.checkedAt);
    return 'unavailable';
  }
  if (!entry) {
    const ended = await revokeUserSessions(db, user.id, 'directory_removed', now);
    await updateUser(db, user.id, { isStaff: false });
    await recordAudit(db, {
      action: 'session.revoked',
      actor: { id: user.id, username: user.username },
      target: { type: 'user', id: user.id },
      details: { reason: 'directory_removed', sessions: ended, detectedAt: 'recheck' },
    });
    return 'removed';
  }
  const { ended } = await applyDirectoryEntry(db, entry, now, 'recheck');
  return ended ? 'changed' : 'confirmed';
}
