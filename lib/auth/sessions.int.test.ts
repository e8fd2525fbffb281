import { createHash, randomUUID } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../db/connection';
import { auditLog, sessions, users } from '../db/schema';
import { createTestUser, deleteTestUser, setPassword, setStaff } from '../testing/directory-admin';
import { Directory } from './ldap';
import { revokeUserSessions } from '../db/queries/sessions';
import { LAST_SEEN_RESOLUTION_MS, type SessionPolicy, checkSession, createSession, revokeSession } from './sessions';
import { recheckDirectoryUser, syncDirectoryUser } from './user-sync';
import { TEST_DIRECTORY_CONFIG } from '../testing/test-directory';

// Server-side sessions and the directory re-check against the real MariaDB and the real slapd.
// Time is injected (`now`), never waited for. Directory users are this file's own, made and
// removed by the directory's administrator, so the demo users others rely on never move.
const { db, pool } = createDb(process.env.DATABASE_URL!, { connectionLimit: 4 });
// A second portal instance: its own pool, the same database.
const other = createDb(process.env.DATABASE_URL!, { connectionLimit: 2 });
const run = randomUUID().slice(0, 6);
const policy: SessionPolicy = { maxAgeMs: 8 * 3_600_000, idleMs: 60 * 60_000 };
const T0 = new Date(Date.UTC(2026, 10, 30, 8, 0, 0));
const at = (ms: number) => new Date(T0.getTime() + ms);
const MIN = 60_000;
const RECHECK = 5 * MIN;

const directory = new Directory(TEST_DIRECTORY_CONFIG);

const staffUid = `sess-staff-${run}`;
const customerUid = `sess-cust-${run}`;
const goneUid = `sess-gone-${run}`;
const pwUid = `sess-pw-${run}`;

async function userId(uid: string, password: string): Promise<number> {
  const entry = await directory.authenticate(uid, password);
  expect(entry).not.toBeNull();
  return syncDirectoryUser(db, entry!);
}

async function sessionRow(sessionId: string) {
  const [row] = await db.select().from(sessions).where(eq(sessions.tokenHash, createHash('sha256').update(sessionId).digest('hex')));
  return row!;
}

/** Makes the user's last directory check look `ago` ms old. */
async function lastCheckedAgo(id: number, ago: number, now = new Date()) {
  await db.update(users).set({ directoryCheckedAt: new Date(now.getTime() - ago) }).where(eq(users.id, id));
}

beforeAll(async () => {
  await createTestUser(staffUid, 'staff-pass', { staff: true });
  await createTestUser(customerUid, 'cust-pass', { account: 'acme' });
  await createTestUser(goneUid, 'gone-pass');
  await createTestUser(pwUid, 'old-pass');
});

afterAll(async () => {
  for (const uid of [staffUid, customerUid, goneUid, pwUid]) await deleteTestUser(uid);
  await pool.end();
  await other.pool.end();
});

describe('sessions (real MariaDB)', () => {
  let uid: number;
  beforeAll(async () => {
    uid = await userId(customerUid, 'cust-pass');
  });

  it('stores only a hash of the id: neither the hash nor a guess opens a session', async () => {
    const id = await createSession(db, { userId: uid, ip: '192.0.2.1', userAgent: 'test' }, T0);
    const row = await sessionRow(id);
    expect(row.tokenHash).not.toContain(id);
    expect(await checkSession(db, id, policy, { now: at(1000) })).toMatchObject({ alive: true, userId: uid });
    for (const forged of [row.tokenHash, id.slice(0, -1), `${id}x`, id.toUpperCase(), '', null, 42, undefined, { id }]) {
      expect(await checkSession(db, forged, policy, { now: at(1000) })).toEqual({ alive: false, reason: 'unknown' });
    }
  });

  it('logout ends the one session for good, seen by every instance', async () => {
    const id = await createSession(db, { userId: uid, ip: null, userAgent: null }, T0);
    const sibling = await createSession(db, { userId: uid, ip: null, userAgent: null }, T0);
    expect(await revokeSession(other.db, id, 'logout', at(MIN))).toBe(true);
    expect(await revokeSession(other.db, id, 'logout', at(2 * MIN))).toBe(false); // once
    expect(await checkSession(db, id, policy, { now: at(MIN + 1) })).toEqual({ alive: false, reason: 'logout' });
    // Still dead later and never revived by activity.
    expect(await checkSession(db, id, policy, { now: at(MIN + 2) })).toEqual({ alive: false, reason: 'logout' });
    expect((await checkSession(db, sibling, policy, { now: at(MIN + 1) })).alive).toBe(true);
    expect((await sessionRow(id)).revokedAt).toEqual(at(MIN));
  });

  it('the absolute lifetime counts from the login: constant activity never extends it', async () => {
    const id = await createSession(db, { userId: uid, ip: null, userAgent: null }, T0);
    for (let t = 30 * MIN; t < policy.maxAgeMs; t += 30 * MIN) {
      const check = await checkSession(db, id, policy, { now: at(t) });
      expect(check).toMatchObject({ alive: true, expiresAt: at(policy.maxAgeMs) });
    }
    expect((await checkSession(db, id, policy, { now: at(policy.maxAgeMs - 1) })).alive).toBe(true);
    expect(await checkSession(db, id, policy, { now: at(policy.maxAgeMs) })).toEqual({ alive: false, reason: 'expired' });
    // Ended in the row, so even a check with an earlier clock (another instance) finds it dead.
    expect(await checkSession(other.db, id, policy, { now: at(MIN) })).toEqual({ alive: false, reason: 'expired' });
  });

  it('ends a session left idle, and activity keeps it alive', async () => {
    const idle = await createSession(db, { userId: uid, ip: null, userAgent: null }, T0);
    const busy = await createSession(db, { userId: uid, ip: null, userAgent: null }, T0);
    expect((await checkSession(db, idle, policy, { now: at(policy.idleMs - 1) })).alive).toBe(true);
    expect((await checkSession(db, busy, policy, { now: at(50 * MIN) })).alive).toBe(true);
    expect((await checkSession(db, busy, policy, { now: at(100 * MIN) })).alive).toBe(true);
    // `idle` was seen (touched) at idleMs - 1; a check without touching (the proxy's) adds nothing.
    expect((await checkSession(db, idle, policy, { now: at(2 * policy.idleMs - 2), touch: false })).alive).toBe(true);
    expect(await checkSession(db, idle, policy, { now: at(2 * policy.idleMs) })).toEqual({ alive: false, reason: 'idle' });
    expect(await checkSession(db, busy, policy, { now: at(100 * MIN + policy.idleMs) })).toEqual({ alive: false, reason: 'idle' });
  });

  it('writes last-seen at most once a minute', async () => {
    const id = await createSession(db, { userId: uid, ip: null, userAgent: null }, T0);
    for (const t of [1000, 20_000, LAST_SEEN_RESOLUTION_MS - 1]) await checkSession(db, id, policy, { now: at(t) });
    expect((await sessionRow(id)).lastSeenAt).toEqual(T0);
    await checkSession(db, id, policy, { now: at(LAST_SEEN_RESOLUTION_MS) });
    expect((await sessionRow(id)).lastSeenAt).toEqual(at(LAST_SEEN_RESOLUTION_MS));
    await checkSession(db, id, policy, { now: at(LAST_SEEN_RESOLUTION_MS + 30_000) });
    expect((await sessionRow(id)).lastSeenAt).toEqual(at(LAST_SEEN_RESOLUTION_MS));
  });

  it("staff's revoke-all ends every session of that user and no one else's", async () => {
    const otherUser = await userId(goneUid, 'gone-pass');
    const mine = [await createSession(db, { userId: uid, ip: null, userAgent: null }, T0), await createSession(db, { userId: uid, ip: null, userAgent: null }, T0)];
    const theirs = await createSession(db, { userId: otherUser, ip: null, userAgent: null }, T0);
    const ended = await revokeUserSessions(other.db, uid, 'revoked_by_staff', at(MIN));
    expect(ended).toBeGreaterThanOrEqual(2);
    for (const id of mine) expect(await checkSession(db, id, policy, { now: at(MIN + 1) })).toEqual({ alive: false, reason: 'revoked_by_staff' });
    expect((await checkSession(db, theirs, policy, { now: at(MIN + 1) })).alive).toBe(true);
    const [row] = await db.select({ at: users.sessionsRevokedAt }).from(users).where(eq(users.id, uid));
    expect(row!.at).toEqual(at(MIN));
  });
});

describe('directory re-check (real slapd)', () => {
  it('a user removed from the staff group loses their sessions at the next due check, not before', async () => {
    const id = await userId(staffUid, 'staff-pass');
    const sid = await createSession(db, { userId: id, ip: null, userAgent: null });
    expect(await recheckDirectoryUser(db, directory, { id, username: staffUid }, RECHECK)).toBe('fresh'); // the login just checked
    await setStaff(staffUid, false);
    try {
      await lastCheckedAgo(id, RECHECK - 10_000);
      expect(await recheckDirectoryUser(db, directory, { id, username: staffUid }, RECHECK)).toBe('fresh');
      await lastCheckedAgo(id, RECHECK);
      expect(await recheckDirectoryUser(db, directory, { id, username: staffUid }, RECHECK)).toBe('changed');
      expect(await checkSession(db, sid, policy)).toEqual({ alive: false, reason: 'role_changed' });
      const [row] = await db.select({ isStaff: users.isStaff }).from(users).where(eq(users.id, id));
      expect(row!.isStaff).toBe(false);
      const audits = await db.select().from(auditLog).where(and(eq(auditLog.action, 'session.revoked'), eq(auditLog.targetId, String(id))));
      expect(audits.map((a) => a.details)).toContainEqual(expect.objectContaining({ reason: 'role_changed', detectedAt: 'recheck' }));
      // Checked again only after another interval: confirmed, nothing more ended.
      const next = await createSession(db, { userId: id, ip: null, userAgent: null });
      expect(await recheckDirectoryUser(db, directory, { id, username: staffUid }, RECHECK)).toBe('fresh');
      await lastCheckedAgo(id, RECHECK + 1);
      expect(await recheckDirectoryUser(db, directory, { id, username: staffUid }, RECHECK)).toBe('confirmed');
      expect((await checkSession(db, next, policy)).alive).toBe(true);
    } finally {
      await setStaff(staffUid, true);
    }
  });

  it('a customer added to the staff group is a role change too (new rights need a new login)', async () => {
    const id = await userId(customerUid, 'cust-pass');
    const sid = await createSession(db, { userId: id, ip: null, userAgent: null });
    await setStaff(customerUid, true);
    try {
      await lastCheckedAgo(id, RECHECK);
      expect(await recheckDirectoryUser(db, directory, { id, username: customerUid }, RECHECK)).toBe('changed');
      expect(await checkSession(db, sid, policy)).toEqual({ alive: false, reason: 'role_changed' });
    } finally {
      await setStaff(customerUid, false);
      await userId(customerUid, 'cust-pass'); // back to customer in the row
    }
  });

  it('a user deleted from the directory loses every session', async () => {
    const id = await userId(goneUid, 'gone-pass');
    const sid = await createSession(db, { userId: id, ip: null, userAgent: null });
    await deleteTestUser(goneUid);
    await lastCheckedAgo(id, RECHECK);
    expect(await recheckDirectoryUser(db, directory, { id, username: goneUid }, RECHECK)).toBe('removed');
    expect(await checkSession(db, sid, policy)).toEqual({ alive: false, reason: 'directory_removed' });
  });

  it('a password changed in the directory ends the old sessions, at the re-check and at the next login', async () => {
    const id = await userId(pwUid, 'old-pass');
    const first = await createSession(db, { userId: id, ip: null, userAgent: null });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // modifyTimestamp has whole seconds
    await setPassword(pwUid, 'new-pass-1');
    await lastCheckedAgo(id, RECHECK);
    expect(await recheckDirectoryUser(db, directory, { id, username: pwUid }, RECHECK)).toBe('changed');
    expect(await checkSession(db, first, policy)).toEqual({ alive: false, reason: 'password_changed' });

    // Before any re-check is due, a login with the new password ends what the old one opened.
    const second = await createSession(db, { userId: id, ip: null, userAgent: null });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await setPassword(pwUid, 'new-pass-2');
    expect(await directory.authenticate(pwUid, 'new-pass-1')).toBeNull();
    await userId(pwUid, 'new-pass-2');
    expect(await checkSession(db, second, policy)).toEqual({ alive: false, reason: 'password_changed' });
  });

  it('an unreachable directory withholds the check (and so staff rights) and retries on the next request', async () => {
    const id = await userId(staffUid, 'staff-pass');
    const offline = new Directory({ ...TEST_DIRECTORY_CONFIG, url: 'ldap://127.0.0.1:1' });
    const before = new Date(Date.now() - RECHECK - 1000);
    await db.update(users).set({ directoryCheckedAt: before }).where(eq(users.id, id));
    expect(await recheckDirectoryUser(db, offline, { id, username: staffUid }, RECHECK)).toBe('unavailable');
    const [row] = await db.select({ checkedAt: users.directoryCheckedAt }).from(users).where(eq(users.id, id));
    expect(row!.checkedAt).toEqual(before); // not marked as checked
    expect(await recheckDirectoryUser(db, offline, { id, username: staffUid }, RECHECK)).toBe('unavailable');
    expect(await recheckDirectoryUser(db, directory, { id, username: staffUid }, RECHECK)).toBe('confirmed');
  });

  it('parallel requests on two instances cost one directory search per interval', async () => {
    const id = await userId(staffUid, 'staff-pass');
    let searches = 0;
    const counting = { findUser: (name: string) => ((searches += 1), directory.findUser(name)) };
    await lastCheckedAgo(id, RECHECK);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => recheckDirectoryUser(i % 2 ? other.db : db, counting, { id, username: staffUid }, RECHECK)),
    );
    expect(searches).toBe(1);
    expect(results.filter((r) => r === 'confirmed')).toHaveLength(1);
    expect(results.filter((r) => r === 'fresh')).toHaveLength(5);
    const recent = await db.select({ id: users.id }).from(users).where(and(eq(users.id, id), gt(users.directoryCheckedAt, new Date(Date.now() - MIN))));
    expect(recent).toHaveLength(1);
  });
});
