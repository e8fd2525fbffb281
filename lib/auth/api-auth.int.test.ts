import { randomUUID } from 'node:crypto';
import { and, eq, gte } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '../db';
import { auditLog, users } from '../db/schema';
import { createTestUser, deleteTestUser, setPassword, setStaff } from '../testing/directory-admin';
import { CACHED_AUDIT_INTERVAL_MS, authenticateBasic, basicCacheTtlMs, clearBasicCache } from './api-auth';
import { revokeUserSessions } from '../db/queries/sessions';
import { recordFailure } from './throttle';

// The HTTP Basic cache against the real MariaDB and slapd: how long it may serve, that the throttle
// and the revocations still apply to a hit, and what the audit log shows. Time is injected.
const run = randomUUID().slice(0, 6);
const uid = `basic-${run}`;
const PASSWORD = 'basic-pass';
const TTL = basicCacheTtlMs({ API_AUTH_CACHE_SECONDS: 60, STAFF_RECHECK_MINUTES: 5 });
let ipCounter = 0;
/** Each test its own client address, so address locks never leak between tests. */
const freshIp = () => `198.18.${Number.parseInt(run.slice(0, 2), 16)}.${(ipCounter += 1)}`;
let startedAt: Date;

async function audits(action: string) {
  return getDb()
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.actorUsername, uid), gte(auditLog.at, startedAt)));
}

async function userRow() {
  const [row] = await getDb().select().from(users).where(eq(users.username, uid));
  return row!;
}

beforeAll(async () => {
  await createTestUser(uid, PASSWORD, { staff: true });
});
afterAll(async () => {
  await deleteTestUser(uid);
  await getDb().execute(`DELETE FROM login_throttle WHERE subject LIKE '198.18.%' OR subject = '${uid}'`);
});
beforeEach(async () => {
  clearBasicCache();
  await new Promise((resolve) => setTimeout(resolve, 1100)); // audit rows of the previous test are older
  startedAt = new Date(Date.now() - 10);
});

describe('basicCacheTtlMs', () => {
  it.each([
    [60, 5, 60_000],
    [3600, 5, 300_000], // never longer than the staff re-check
    [3600, 1, 60_000],
    [0, 5, 0],
  ])('API_AUTH_CACHE_SECONDS=%i, STAFF_RECHECK_MINUTES=%i: %i ms', (seconds, minutes, ms) => {
    expect(basicCacheTtlMs({ API_AUTH_CACHE_SECONDS: seconds, STAFF_RECHECK_MINUTES: minutes })).toBe(ms);
  });
});

describe('HTTP Basic cache (real MariaDB + slapd)', () => {
  it('serves hits without the directory until the TTL, and accounts for every hit in the audit log', async () => {
    const ip = freshIp();
    const t = Date.now();
    expect(await authenticateBasic({ username: uid, password: PASSWORD }, ip, t)).toHaveProperty('user.username', uid);
    expect(await audits('login.success')).toHaveLength(1);
    for (let i = 1; i <= 5; i++) expect(await authenticateBasic({ username: uid, password: PASSWORD }, ip, t + i * 1000)).toHaveProperty('user');
    expect(await audits('login.success')).toHaveLength(1); // cache hits: no directory bind
    expect(await audits('login.cached')).toHaveLength(0); // ... and no row per hit
    // At the TTL the entry is gone: its hits are written as one row, then the directory is asked again.
    expect(TTL).toBeLessThanOrEqual(CACHED_AUDIT_INTERVAL_MS); // so the count is written at expiry
    await authenticateBasic({ username: uid, password: PASSWORD }, ip, t + TTL);
    expect((await audits('login.cached')).map((a) => a.details)).toEqual([{ via: 'api', hits: 5 }]);
    // The refilled entry counts afresh.
    await authenticateBasic({ username: uid, password: PASSWORD }, ip, t + TTL + 1000);
    await authenticateBasic({ username: uid, password: PASSWORD }, ip, t + 2 * TTL);
    expect((await audits('login.cached')).map((a) => a.details)).toEqual([
      { via: 'api', hits: 5 },
      { via: 'api', hits: 1 },
    ]);
    expect(await audits('login.success')).toHaveLength(3);
  });

  it('a wrong password is never served from the cache and every failure is audited', async () => {
    const ip = freshIp();
    const t = Date.now();
    await authenticateBasic({ username: uid, password: PASSWORD }, ip, t);
    for (let i = 1; i <= 3; i++) {
      expect(await authenticateBasic({ username: uid, password: `${PASSWORD}x` }, ip, t + i)).toMatchObject({ error: 'unauthenticated' });
    }
    expect(await audits('login.failure')).toHaveLength(3);
  });

  it('a locked username is refused even on a cache hit, and the refusal is audited', async () => {
    const ip = freshIp();
    const t = Date.now();
    await authenticateBasic({ username: uid, password: PASSWORD }, ip, t);
    // Someone else guesses this user's password from another address until the name is locked.
    for (let i = 0; i < 5; i++) await recordFailure(getDb(), uid, '203.0.113.9', { maxPerUser: 5, maxPerIp: 1000, windowMinutes: 15 });
    try {
      expect(await authenticateBasic({ username: uid, password: PASSWORD }, ip, t + 1000)).toMatchObject({ error: 'throttled' });
      expect((await audits('login.throttled')).map((a) => a.details)).toContainEqual({ via: 'api', cached: true });
      // The entry is dropped: still refused, now by the login itself.
      expect(await authenticateBasic({ username: uid, password: PASSWORD }, ip, t + 2000)).toMatchObject({ error: 'throttled' });
      expect(await audits('login.throttled')).toHaveLength(2);
    } finally {
      await getDb().execute(`DELETE FROM login_throttle WHERE subject IN ('${uid}', '203.0.113.9')`);
    }
  });

  it('a locked client address is refused even on a cache hit', async () => {
    const ip = freshIp();
    const t = Date.now();
    await authenticateBasic({ username: uid, password: PASSWORD }, ip, t);
    await recordFailure(getDb(), `someone-else-${run}`, ip, { maxPerUser: 1000, maxPerIp: 1, windowMinutes: 15 });
    try {
      expect(await authenticateBasic({ username: uid, password: PASSWORD }, ip, t + 1000)).toMatchObject({ error: 'throttled' });
      // Another address with the same cached credentials is not locked out by it.
      clearBasicCache();
      expect(await authenticateBasic({ username: uid, password: PASSWORD }, freshIp(), t + 2000)).toHaveProperty('user');
    } finally {
      await getDb().execute(`DELETE FROM login_throttle WHERE subject IN ('${ip}', 'someone-else-${run}')`);
    }
  });

  it('revoking the user\'s sessions voids cached logins on every instance', async () => {
    const ip = freshIp();
    const t = Date.now();
    await authenticateBasic({ username: uid, password: PASSWORD }, ip, t);
    await revokeUserSessions(getDb(), (await userRow()).id, 'revoked_by_staff');
    expect(await authenticateBasic({ username: uid, password: PASSWORD }, ip, t + 1000)).toHaveProperty('user');
    expect(await audits('login.success')).toHaveLength(2); // back to the directory, not the cache
  });

  it('staff removed from the group: a cached login loses staff rights at the due re-check', async () => {
    const ip = freshIp();
    const t = Date.now();
    expect(await authenticateBasic({ username: uid, password: PASSWORD }, ip, t)).toHaveProperty('user.isStaff', true);
    await setStaff(uid, false);
    try {
      const { id } = await userRow();
      await getDb().update(users).set({ directoryCheckedAt: new Date(Date.now() - 5 * 60_000) }).where(eq(users.id, id));
      expect(await authenticateBasic({ username: uid, password: PASSWORD }, ip, t + 1000)).toHaveProperty('user.isStaff', false);
    } finally {
      await setStaff(uid, true);
    }
  });

  it('a password changed in the directory: the old one stops working at the due re-check, cache or not', async () => {
    const ip = freshIp();
    const t = Date.now();
    await authenticateBasic({ username: uid, password: PASSWORD }, ip, t);
    await setPassword(uid, 'changed-pass');
    try {
      const { id } = await userRow();
      await getDb().update(users).set({ directoryCheckedAt: new Date(Date.now() - 5 * 60_000) }).where(eq(users.id, id));
      expect(await authenticateBasic({ username: uid, password: PASSWORD }, ip, t + 1000)).toMatchObject({ error: 'unauthenticated' });
      expect(await authenticateBasic({ username: uid, password: 'changed-pass' }, ip, t + 2000)).toHaveProperty('user');
    } finally {
      await setPassword(uid, PASSWORD);
    }
  });
});
