import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, type Database } from '../db/connection';
import { auditLog, loginThrottle } from '../db/schema';
import { parseWebEnv } from '../env';
import { Directory } from './ldap';
import { login } from './login';
import { clearUserFailures, lockedMinutes, recordFailure, type ThrottleLimits } from './throttle';
import { TEST_DIRECTORY_CONFIG } from '../testing/test-directory';

// Against the real MariaDB (the test database) and, for login(), the real slapd with the demo
// directory. Two pools stand for two web instances sharing one database.
const one = createDb(process.env.DATABASE_URL!, { connectionLimit: 3 });
const two = createDb(process.env.DATABASE_URL!, { connectionLimit: 3 });
afterAll(async () => {
  await one.pool.end();
  await two.pool.end();
});

const directory = new Directory(TEST_DIRECTORY_CONFIG);

// The shipped defaults (parsed with no environment), so a changed default is caught here too.
const shipped = parseWebEnv({} as NodeJS.ProcessEnv);
const DEFAULTS: ThrottleLimits = {
  maxPerUser: shipped.LOGIN_MAX_FAILURES_PER_USER,
  maxPerIp: shipped.LOGIN_MAX_FAILURES_PER_IP,
  windowMinutes: shipped.LOGIN_THROTTLE_MINUTES,
};
const MINUTE = 60_000;

// Every test has names and addresses of its own, so tests never share a counter by accident.
const run = randomBytes(2).toString('hex');
let counter = 0;
const freshUser = () => `throttle-${run}-${++counter}`;
const freshIp = () => `2001:db8:${run}::${(++counter).toString(16)}`;
const T0 = new Date('2030-01-15T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/** `count` failures of one user, each from an address of its own (so no address ever locks). */
async function failUser(db: Database, username: string, count: number, limits: ThrottleLimits, now = T0) {
  for (let i = 0; i < count; i++) await recordFailure(db, username, freshIp(), limits, now);
}
/** `count` failures from one address, each for a username of its own (so no user ever locks). */
async function failIp(db: Database, ip: string, count: number, limits: ThrottleLimits, now = T0) {
  for (let i = 0; i < count; i++) await recordFailure(db, freshUser(), ip, limits, now);
}

describe('the shipped limits', () => {
  it('are 5 per user and 30 per address in 15 minutes, as README documents', () => {
    expect(DEFAULTS).toEqual({ maxPerUser: 5, maxPerIp: 30, windowMinutes: 15 });
  });
});

describe('per user, at the exact boundary', () => {
  it.each([
    ['the shipped limits', DEFAULTS],
    ['a limit of 1', { ...DEFAULTS, maxPerUser: 1 }],
    ['a limit of 3', { ...DEFAULTS, maxPerUser: 3 }],
  ])('%s: failure N-1 leaves the name open, failure N locks it for one window', async (_name, limits) => {
    const { db } = one;
    const username = freshUser();
    await failUser(db, username, limits.maxPerUser - 1, limits);
    expect(await lockedMinutes(db, username, freshIp(), T0)).toBe(0);
    await failUser(db, username, 1, limits);
    expect(await lockedMinutes(db, username, freshIp(), T0)).toBe(limits.windowMinutes);
    expect(await lockedMinutes(db, username, null, T0)).toBe(limits.windowMinutes);
    expect(await lockedMinutes(db, freshUser(), freshIp(), T0)).toBe(0); // someone else is not affected
  });

  it('counts the failures exactly: the row holds N after N', async () => {
    const { db } = one;
    const username = freshUser();
    await failUser(db, username, DEFAULTS.maxPerUser, DEFAULTS);
    const [row] = await db
      .select()
      .from(loginThrottle)
      .where(and(eq(loginThrottle.scope, 'user'), eq(loginThrottle.subject, username)));
    expect(row).toMatchObject({ failures: DEFAULTS.maxPerUser, windowStart: T0, lockedUntil: at(DEFAULTS.windowMinutes * MINUTE) });
  });
});

describe('per address, at the exact boundary', () => {
  it.each([
    ['the shipped limits', DEFAULTS],
    ['a limit of 1', { ...DEFAULTS, maxPerIp: 1 }],
    ['a limit of 7', { ...DEFAULTS, maxPerIp: 7 }],
  ])('%s: failure N-1 leaves the address open, failure N locks it for every name', async (_name, limits) => {
    const { db } = one;
    const ip = freshIp();
    await failIp(db, ip, limits.maxPerIp - 1, limits);
    expect(await lockedMinutes(db, freshUser(), ip, T0)).toBe(0);
    await failIp(db, ip, 1, limits);
    expect(await lockedMinutes(db, freshUser(), ip, T0)).toBe(limits.windowMinutes);
    expect(await lockedMinutes(db, null, ip, T0)).toBe(limits.windowMinutes);
    expect(await lockedMinutes(db, freshUser(), freshIp(), T0)).toBe(0);
  });

  it('a name refused before the directory (null) counts against the address only', async () => {
    const { db } = one;
    const ip = freshIp();
    for (let i = 0; i < DEFAULTS.maxPerIp - 1; i++) await recordFailure(db, null, ip, DEFAULTS, T0);
    expect(await lockedMinutes(db, null, ip, T0)).toBe(0);
    await recordFailure(db, null, ip, DEFAULTS, T0);
    expect(await lockedMinutes(db, null, ip, T0)).toBe(DEFAULTS.windowMinutes);
  });
});

describe('time', () => {
  it('a lock lasts exactly one window from the locking failure', async () => {
    const { db } = one;
    const username = freshUser();
    const lockedAt = at(3 * MINUTE);
    await failUser(db, username, DEFAULTS.maxPerUser - 1, DEFAULTS);
    await failUser(db, username, 1, DEFAULTS, lockedAt);
    const window = DEFAULTS.windowMinutes * MINUTE;
    expect(await lockedMinutes(db, username, null, new Date(lockedAt.getTime() + window - 60_001))).toBe(2);
    expect(await lockedMinutes(db, username, null, new Date(lockedAt.getTime() + window - 1))).toBe(1);
    expect(await lockedMinutes(db, username, null, new Date(lockedAt.getTime() + window))).toBe(0);
  });

  it('failures older than the window no longer count', async () => {
    const { db } = one;
    const window = DEFAULTS.windowMinutes * MINUTE;
    // N-1 at T0, the Nth just inside the window: locked.
    const inside = freshUser();
    await failUser(db, inside, DEFAULTS.maxPerUser - 1, DEFAULTS, T0);
    await failUser(db, inside, 1, DEFAULTS, at(window - 1));
    expect(await lockedMinutes(db, inside, null, at(window - 1))).toBeGreaterThan(0);
    // N-1 at T0, the Nth just after the window: the count starts again at 1.
    const after = freshUser();
    await failUser(db, after, DEFAULTS.maxPerUser - 1, DEFAULTS, T0);
    await failUser(db, after, 1, DEFAULTS, at(window + 1));
    expect(await lockedMinutes(db, after, null, at(window + 1))).toBe(0);
    // … and from there it takes a full N-1 more to lock again.
    await failUser(db, after, DEFAULTS.maxPerUser - 2, DEFAULTS, at(window + 2));
    expect(await lockedMinutes(db, after, null, at(window + 2))).toBe(0);
    await failUser(db, after, 1, DEFAULTS, at(window + 3));
    expect(await lockedMinutes(db, after, null, at(window + 3))).toBeGreaterThan(0);
  });

  it('the same holds for an address', async () => {
    const { db } = one;
    const window = DEFAULTS.windowMinutes * MINUTE;
    const ip = freshIp();
    await failIp(db, ip, DEFAULTS.maxPerIp - 1, DEFAULTS, T0);
    await failIp(db, ip, 1, DEFAULTS, at(window + 1));
    expect(await lockedMinutes(db, null, ip, at(window + 1))).toBe(0);
  });
});

describe('reset after success', () => {
  it('clears the name’s count: it takes N fresh failures to lock it again', async () => {
    const { db } = one;
    const username = freshUser();
    await failUser(db, username, DEFAULTS.maxPerUser - 1, DEFAULTS);
    await clearUserFailures(db, username);
    await failUser(db, username, DEFAULTS.maxPerUser - 1, DEFAULTS);
    expect(await lockedMinutes(db, username, null, T0)).toBe(0);
    await failUser(db, username, 1, DEFAULTS);
    expect(await lockedMinutes(db, username, null, T0)).toBe(DEFAULTS.windowMinutes);
  });

  it('a success for one spelling clears the canonical counter', async () => {
    const { db } = one;
    const username = freshUser();
    await failUser(db, username, DEFAULTS.maxPerUser - 1, DEFAULTS);
    await clearUserFailures(db, username.toUpperCase());
    await failUser(db, username, DEFAULTS.maxPerUser - 1, DEFAULTS);
    expect(await lockedMinutes(db, username, null, T0)).toBe(0);
  });
});

describe('lookalike usernames share one counter', () => {
  it('ALICE, Alice, fullwidth and padded spellings lock the same name', async () => {
    const { db } = one;
    const base = freshUser(); // ASCII, lower case
    const fullwidth = [...base].map((c) => (c >= '!' && c <= '~' ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c)).join('');
    const spellings = [base.toUpperCase(), `${base[0]!.toUpperCase()}${base.slice(1)}`, fullwidth, ` ${base}\u3000`];
    const limits = { ...DEFAULTS, maxPerUser: spellings.length + 1 };
    for (const spelling of spellings) await recordFailure(db, spelling, freshIp(), limits, T0);
    expect(await lockedMinutes(db, base, null, T0)).toBe(0);
    await recordFailure(db, fullwidth.toUpperCase(), freshIp(), limits, T0);
    for (const spelling of [base, ...spellings]) expect(await lockedMinutes(db, spelling, null, T0)).toBe(limits.windowMinutes);
  });

  it('through login() against the real directory: lookalikes of alice lock alice, refused names lock nobody', async () => {
    const { db } = one;
    const limits = { ...DEFAULTS, maxPerIp: 1000 };
    const deps = { db, directory, limits };
    const ip = freshIp();
    try {
      const wrong = ['ALICE', 'ａｌｉｃｅ', 'Alice', ' alice '];
      for (const username of wrong) {
        expect(await login(deps, { username, password: 'not-her-password', ip: freshIp(), via: 'web' })).toEqual({ ok: false, error: { reason: 'invalid' } });
      }
      // Refused before the directory: same answer, no user count, audited as a refusal.
      for (const username of ['alice\u200b', '\u202ealice', 'ali\u00adce', 'alice\0', 'alice\ud800']) {
        expect(await login(deps, { username, password: 'alice-demo', ip, via: 'web' })).toEqual({ ok: false, error: { reason: 'invalid' } });
      }
      const refusals = await db.select().from(auditLog).where(and(eq(auditLog.action, 'login.refused'), eq(auditLog.ip, ip)));
      expect(refusals.map((r) => r.details?.reason).sort()).toEqual(['bidi', 'control', 'format', 'format', 'surrogate']);
      expect(refusals.every((r) => /^[\x20-\x7e]*$/.test(r.actorUsername ?? ''))).toBe(true);
      expect(await lockedMinutes(db, 'alice', null)).toBe(0); // 4 of 5: still open
      // The right password under yet another spelling succeeds and resets the count.
      expect(await login(deps, { username: 'ＡＬＩＣＥ', password: 'alice-demo', ip: freshIp(), via: 'web' })).toMatchObject({ ok: true, value: { username: 'alice' } });
      for (const username of [...wrong, 'aLiCe']) await login(deps, { username, password: 'wrong', ip: freshIp(), via: 'api' });
      expect(await login(deps, { username: 'alice', password: 'alice-demo', ip: freshIp(), via: 'web' })).toMatchObject({ ok: false, error: { reason: 'throttled' } });
    } finally {
      await clearUserFailures(db, 'alice');
    }
  });
});

describe('two instances on one database', () => {
  it('failures interleaved over two pools count as one: N-1 leaves it open, N locks it on both', async () => {
    const username = freshUser();
    const ip = freshIp();
    const limits = { ...DEFAULTS, maxPerIp: DEFAULTS.maxPerUser };
    for (let i = 0; i < DEFAULTS.maxPerUser - 1; i++) await recordFailure((i % 2 ? two : one).db, username, ip, limits, T0);
    expect(await lockedMinutes(one.db, username, null, T0)).toBe(0);
    expect(await lockedMinutes(two.db, null, ip, T0)).toBe(0);
    await recordFailure((DEFAULTS.maxPerUser % 2 ? one : two).db, username, ip, limits, T0);
    for (const { db } of [one, two]) {
      expect(await lockedMinutes(db, username, null, T0)).toBe(DEFAULTS.windowMinutes);
      expect(await lockedMinutes(db, null, ip, T0)).toBe(DEFAULTS.windowMinutes);
    }
  });

  it('concurrent failures on both instances are all counted (one atomic upsert each)', async () => {
    const limits = { ...DEFAULTS, maxPerUser: 12 };
    const open = freshUser();
    const locked = freshUser();
    const burst = (username: string, count: number) =>
      Promise.all(Array.from({ length: count }, (_, i) => recordFailure((i % 2 ? two : one).db, username, freshIp(), limits, T0)));
    await Promise.all([burst(open, limits.maxPerUser - 1), burst(locked, limits.maxPerUser)]);
    expect(await lockedMinutes(two.db, open, null, T0)).toBe(0);
    expect(await lockedMinutes(one.db, locked, null, T0)).toBe(limits.windowMinutes);
    const [row] = await one.db
      .select({ failures: loginThrottle.failures })
      .from(loginThrottle)
      .where(and(eq(loginThrottle.scope, 'user'), eq(loginThrottle.subject, open)));
    expect(row?.failures).toBe(limits.maxPerUser - 1);
  });
});
