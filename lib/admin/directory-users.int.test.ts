import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { login } from '../auth/login';
import { getDirectory, loginDeps } from '../auth/services';
import { getDb } from '../db';
import { findUserByUsername } from '../db/queries/users';
import { auditLog } from '../db/schema';
import { createTestUser, deleteTestUser } from '../testing/directory-admin';
import { assignBeforeLogin, lookUpDirectoryUser } from './directory-users';
import { createAccount } from './onboarding';

// Staff look a directory user up in the real slapd and assign their account before their first login.
const db = getDb();
const run = randomUUID().slice(0, 8);
const uid = `pre${run}`;
const carol = { id: null, username: 'carol', ip: '192.0.2.50' };

afterAll(() => deleteTestUser(uid).catch(() => undefined));

describe('directory users before their first login', () => {
  it('finds them, makes their row on assignment, and their first login lands in that account', async () => {
    await createTestUser(uid, 'Pre-assign-1');
    const account = await createAccount(db, carol, { key: `pre-${run}`, name: `Pre ${run}` });
    if (!account.ok) throw new Error(account.error.join('; '));

    const found = await lookUpDirectoryUser(db, getDirectory(), uid);
    expect(found).toMatchObject({ found: true, portalUserId: null, lastLoginAt: null, entry: { username: uid, accountKey: null, isStaff: false } });

    expect(await assignBeforeLogin(db, getDirectory(), carol, uid, 2_000_000_000)).toEqual({ ok: false, error: 'No such account.' });
    expect(await findUserByUsername(db, uid)).toBeNull();

    const assigned = await assignBeforeLogin(db, getDirectory(), carol, uid, account.value);
    expect(assigned).toMatchObject({ ok: true, value: { username: uid } });
    expect(await findUserByUsername(db, uid)).toMatchObject({ accountId: account.value, accountSource: 'staff', lastLoginAt: null });
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, 'user.account_assigned'), eq(auditLog.accountId, account.value)));
    expect(audit?.details).toMatchObject({ from: null, to: account.value, beforeFirstLogin: true });

    const first = await login(loginDeps(), { username: uid, password: 'Pre-assign-1', ip: '192.0.2.52', via: 'api' });
    expect(first.ok).toBe(true);
    expect(await findUserByUsername(db, uid)).toMatchObject({ accountId: account.value, accountSource: 'staff' });
    expect((await findUserByUsername(db, uid))?.lastLoginAt).toBeInstanceOf(Date);
  });

  it('refuses names the directory cannot hold and users it does not have, searching for nothing', async () => {
    for (const typed of ['', '*', 'a*', '(uid=*)', 'alice)(uid=*', 'x'.repeat(300), 'bad\u0000name']) {
      const r = await lookUpDirectoryUser(db, getDirectory(), typed);
      expect(r.found, JSON.stringify(typed)).toBe(false);
    }
    expect(await lookUpDirectoryUser(db, getDirectory(), `nobody${run}`)).toEqual({ found: false, problem: `The directory has no user "nobody${run}".` });
  });
});
