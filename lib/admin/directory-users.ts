import 'server-only';
import type { Directory, DirectoryUser } from '../auth/ldap';
import { checkUsername } from '../auth/username';
import { preloadDirectoryUser } from '../auth/user-sync';
import type { Database } from '../db/connection';
import { recordAudit } from '../db/queries/audit';
import { accountExists, findUserByUsername, setUserAccountByStaff } from '../db/queries/users';
import { fail, ok, type Result } from '../result';
import type { Staff } from './onboarding';

// Staff find a directory user who has never logged in and link them to an account before they do,
// so their first login lands in the right place. The directory stays the source of who exists.

export type Lookup =
  | { found: false; problem: string }
  | { found: true; entry: DirectoryUser; portalUserId: number | null; lastLoginAt: Date | null };

export async function lookUpDirectoryUser(db: Database, directory: Pick<Directory, 'findUser'>, typed: string): Promise<Lookup> {
  const name = checkUsername(typed);
  if (!name.ok) return { found: false, problem: 'That is not a username the directory can hold.' };
  let entry: DirectoryUser | null;
  try {
    entry = await directory.findUser(name.value);
  } catch {
    return { found: false, problem: 'The directory did not answer. Try again in a moment.' };
  }
  if (!entry) return { found: false, problem: `The directory has no user "${name.value}".` };
  const row = await findUserByUsername(db, entry.username);
  return { found: true, entry, portalUserId: row?.id ?? null, lastLoginAt: row?.lastLoginAt ?? null };
}

/** Makes the user's row from the directory (if it has none yet) and assigns the account, audited. */
export async function assignBeforeLogin(
  db: Database,
  directory: Pick<Directory, 'findUser'>,
  staff: Staff,
  typed: string,
  accountId: number,
): Promise<Result<{ userId: number; username: string }, string>> {
  const lookup = await lookUpDirectoryUser(db, directory, typed);
  if (!lookup.found) return fail(lookup.problem);
  if (!(await accountExists(db, accountId))) return fail('No such account.');
  const before = await findUserByUsername(db, lookup.entry.username);
  const userId = await preloadDirectoryUser(db, lookup.entry);
  await setUserAccountByStaff(db, userId, accountId);
  await recordAudit(db, {
    action: 'user.account_assigned',
    actor: { id: staff.id, username: staff.username },
    accountId,
    target: { type: 'user', id: userId },
    ip: staff.ip ?? null,
    details: { from: before?.accountId ?? null, to: accountId, beforeFirstLogin: before?.lastLoginAt == null },
  });
  return ok({ userId, username: lookup.entry.username });
}
