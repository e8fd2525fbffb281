import { createHash, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { type JWT, decode, encode } from 'next-auth/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { customerApiRoute, staffApiRoute, apiRoute } from '../api/handler';
import { getDb } from '../db';
import { sessions, users } from '../db/schema';
import { createTestUser, deleteTestUser, setStaff } from '../testing/directory-admin';
import { clearBasicCache } from './api-auth';
import type { PortalUser } from './current-user';
import { getDirectory } from './services';
import { createSession, revokeSession } from './sessions';
import { currentUser, requireCustomer, requireStaff, requireUser } from './session';
import { clearUserFailures } from './throttle';
import { syncDirectoryUser } from './user-sync';

// The guards (lib/auth/session.ts) and the API wrappers (lib/api/handler.ts) for every kind of
// caller, with the real next-auth session handling, MariaDB and slapd. The only seam is the request
// itself: Next's `headers()` and next-auth's RSC entry point read it from the framework, so both are
// pointed at the request this test builds (next-auth's own request-based getServerSession does the rest).
const request = vi.hoisted(() => ({ headers: {} as Record<string, string>, setCookies: [] as string[] }));

vi.mock('next/headers', () => ({
  headers: async () => new Headers(request.headers),
  cookies: async () => ({ getAll: () => [] }),
}));

vi.mock('next-auth', async (importOriginal) => {
  const real = await importOriginal<typeof import('next-auth')>();
  const cookies = () =>
    Object.fromEntries((request.headers.cookie ?? '').split(/;\s*/).filter(Boolean).map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)]));
  const res = {
    getHeader: () => request.setCookies,
    setHeader: (_name: string, value: string[]) => void (request.setCookies = value),
  };
  return {
    ...real,
    getServerSession: (options: Parameters<typeof real.getServerSession>[0]) =>
      real.getServerSession({ headers: request.headers, cookies: cookies() } as never, res as never, options as never),
  };
});

const SECRET = process.env.NEXTAUTH_SECRET!;
const COOKIE = 'next-auth.session-token';
const run = randomUUID().slice(0, 6);
const staffWithAccount = `guard-sa-${run}`;
const noAccount = `guard-na-${run}`;
const demoted = `guard-dm-${run}`;

type Caller = { cookie?: string; headers?: Record<string, string>; basic?: [string, string] };
const ids: Record<string, number> = {};

async function syncUser(username: string): Promise<number> {
  const entry = await getDirectory().findUser(username);
  expect(entry, username).not.toBeNull();
  return syncDirectoryUser(getDb(), entry!);
}

async function cookieFor(token: JWT): Promise<string> {
  return `${COOKIE}=${await encode({ token, secret: SECRET, maxAge: 8 * 3600 })}`;
}

async function sessionCookie(username: string, created = new Date()): Promise<{ cookie: string; sid: string }> {
  const userId = ids[username]!;
  const sid = await createSession(getDb(), { userId, ip: '127.0.0.1', userAgent: 'guards test' }, created);
  return { cookie: await cookieFor({ name: username, sub: String(userId), userId, sid, loginAt: created.getTime() }), sid };
}

function actAs(caller: Caller) {
  request.headers = { 'x-porthole-peer': '127.0.0.1', ...caller.headers, ...(caller.cookie ? { cookie: caller.cookie } : {}) };
  request.setCookies = [];
}

/** What a guard did: let the user through, sent them somewhere, or refused with 403. */
async function outcome(guard: () => Promise<PortalUser>): Promise<string> {
  try {
    const user = await guard();
    return `ok:${user.username}`;
  } catch (error) {
    const digest = String((error as { digest?: string }).digest ?? error);
    if (digest.startsWith('NEXT_REDIRECT')) return `redirect:${digest.split(';')[2]}`;
    if (digest === 'NEXT_HTTP_ERROR_FALLBACK;403') return 'forbidden';
    throw error;
  }
}

const echo = async (_request: Request, user: PortalUser) => Response.json({ username: user.username, accountId: user.accountId });

async function api(wrapper: typeof apiRoute, caller: Caller): Promise<string> {
  actAs(caller);
  clearBasicCache();
  const headers = new Headers(request.headers);
  if (caller.basic) headers.set('authorization', `Basic ${Buffer.from(caller.basic.join(':')).toString('base64')}`);
  const response = await wrapper(echo)(new Request('http://portal.test/api/v1/x', { headers }), { params: Promise.resolve({}) });
  if (response.status !== 200) return String(response.status);
  return `ok:${((await response.json()) as { username: string }).username}`;
}

const callers: Record<string, () => Promise<Caller>> = {
  anonymous: async () => ({}),
  customer: async () => sessionCookie('alice'),
  'staff without account': async () => sessionCookie('carol'),
  'staff with account': async () => sessionCookie(staffWithAccount),
  'user with no account': async () => sessionCookie(noAccount),
  'trusted-proxy user': async () => ({ headers: { 'x-porthole-peer': '127.0.0.2', 'x-remote-user': 'alice' } }),
  'trusted-proxy header from an untrusted peer': async () => ({ headers: { 'x-porthole-peer': '127.0.0.3', 'x-remote-user': 'carol' } }),
  'revoked session': async () => {
    const s = await sessionCookie('carol');
    await revokeSession(getDb(), s.sid, 'logout');
    return s;
  },
  'expired session': async () => sessionCookie('carol', new Date(Date.now() - 8 * 3_600_000 - 1000)),
  'idle session': async () => {
    const s = await sessionCookie('carol', new Date(Date.now() - 61 * 60_000));
    return s;
  },
  'cookie without a session id (issued before sessions existed)': async () => ({
    cookie: await cookieFor({ name: 'carol', sub: String(ids.carol), userId: ids.carol }),
  }),
  "someone else's session id with a staff user id": async () => {
    const { sid } = await sessionCookie('alice');
    return { cookie: await cookieFor({ name: 'carol', userId: ids.carol, sid }) };
  },
  'forged cookie (wrong secret)': async () => ({
    cookie: `${COOKIE}=${await encode({ token: { userId: ids.carol, sid: 'x'.repeat(43) }, secret: 'not-the-secret-0123456789abcdef0123456789', maxAge: 3600 })}`,
  }),
};

// [requireUser, requireCustomer, requireStaff, apiRoute, customerApiRoute, staffApiRoute]
const expected: Record<string, [string, string, string, string, string, string]> = {
  anonymous: ['redirect:/login', 'redirect:/login', 'redirect:/login', '401', '401', '401'],
  customer: ['ok:alice', 'ok:alice', 'forbidden', 'ok:alice', 'ok:alice', '403'],
  'staff without account': ['ok:carol', 'redirect:/admin', 'ok:carol', 'ok:carol', '403', 'ok:carol'],
  'staff with account': [`ok:${staffWithAccount}`, `ok:${staffWithAccount}`, `ok:${staffWithAccount}`, `ok:${staffWithAccount}`, `ok:${staffWithAccount}`, `ok:${staffWithAccount}`],
  'user with no account': [`ok:${noAccount}`, 'redirect:/no-account', 'forbidden', `ok:${noAccount}`, '403', '403'],
  'trusted-proxy user': ['ok:alice', 'ok:alice', 'forbidden', 'ok:alice', 'ok:alice', '403'],
  'trusted-proxy header from an untrusted peer': ['redirect:/login', 'redirect:/login', 'redirect:/login', '401', '401', '401'],
};
for (const dead of ['revoked session', 'expired session', 'idle session', 'cookie without a session id (issued before sessions existed)', "someone else's session id with a staff user id", 'forged cookie (wrong secret)']) {
  expected[dead] = ['redirect:/login', 'redirect:/login', 'redirect:/login', '401', '401', '401'];
}
expected["someone else's session id with a staff user id"] = expected.anonymous!;

beforeAll(async () => {
  process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = 'true'; // next.config.js: experimental.authInterrupts
  await createTestUser(staffWithAccount, 'pass-sa', { staff: true, account: 'acme' });
  await createTestUser(noAccount, 'pass-na');
  await createTestUser(demoted, 'pass-dm', { staff: true });
  for (const name of ['alice', 'carol', staffWithAccount, noAccount, demoted]) ids[name] = await syncUser(name);
});

afterAll(async () => {
  for (const uid of [staffWithAccount, noAccount, demoted]) await deleteTestUser(uid);
});

describe.each(Object.keys(callers))('caller: %s', (kind) => {
  const [user, customer, staff, anyApi, customerApi, staffApi] = expected[kind]!;

  it(`page guards: requireUser ${user}, requireCustomer ${customer}, requireStaff ${staff}`, async () => {
    const caller = await callers[kind]!();
    actAs(caller);
    expect(await outcome(requireUser)).toBe(user);
    expect(await outcome(requireCustomer)).toBe(customer);
    expect(await outcome(requireStaff)).toBe(staff);
  });

  it(`API wrappers: apiRoute ${anyApi}, customerApiRoute ${customerApi}, staffApiRoute ${staffApi}`, async () => {
    const caller = await callers[kind]!();
    expect(await api(apiRoute, caller)).toBe(anyApi);
    expect(await api(customerApiRoute as typeof apiRoute, caller)).toBe(customerApi);
    expect(await api(staffApiRoute, caller)).toBe(staffApi);
  });
});

describe('HTTP Basic through the wrappers', () => {
  // The wrong passwords below count against these names: leave no counter for later test files.
  afterAll(async () => {
    for (const name of ['alice', 'nobody']) await clearUserFailures(getDb(), name);
  });

  it.each([
    ['alice', 'alice-demo', ['ok:alice', 'ok:alice', '403']],
    ['carol', 'carol-demo', ['ok:carol', '403', 'ok:carol']],
    ['alice', 'wrong', ['401', '401', '401']],
    ['nobody', 'alice-demo', ['401', '401', '401']],
  ] as const)('%s / %s', async (username, password, [anyApi, customerApi, staffApi]) => {
    const caller: Caller = { basic: [username, password] };
    expect(await api(apiRoute, caller)).toBe(anyApi);
    expect(await api(customerApiRoute as typeof apiRoute, caller)).toBe(customerApi);
    expect(await api(staffApiRoute, caller)).toBe(staffApi);
  });
});

describe('the session answer (what /api/auth/session returns)', () => {
  it('a live session: its user, and an expiry at login + the absolute lifetime, however often renewed', async () => {
    const loginAt = new Date(Date.now() - 3 * 3_600_000);
    const { cookie, sid } = await sessionCookie('alice', loginAt);
    // Active all along (last seen a minute ago): only the absolute lifetime limits it.
    await getDb().update(sessions).set({ lastSeenAt: new Date(Date.now() - 60_000) }).where(eq(sessions.tokenHash, createHash('sha256').update(sid).digest('hex')));
    actAs({ cookie });
    const { getServerSession } = await import('next-auth');
    const { authOptions } = await import('./options');
    const session = await getServerSession(authOptions());
    expect(session?.user?.id).toBe(ids.alice);
    expect((session as { expires?: string }).expires).toBe(new Date(loginAt.getTime() + 8 * 3_600_000).toISOString());
    const renewed = request.setCookies.find((c) => c.startsWith(`${COOKIE}=`))!.split(';')[0]!.slice(COOKIE.length + 1);
    expect((await decode({ token: renewed, secret: SECRET }))?.loginAt).toBe(loginAt.getTime());
  });

  it('a revoked session: no session, and the cookie is cleared', async () => {
    const { cookie, sid } = await sessionCookie('alice');
    await revokeSession(getDb(), sid, 'logout');
    actAs({ cookie });
    const { getServerSession } = await import('next-auth');
    const { authOptions } = await import('./options');
    expect(await getServerSession(authOptions())).toBeNull();
    expect(request.setCookies.some((c) => c.startsWith(`${COOKIE}=;`) && /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c))).toBe(true);
  });
});

describe('staff removed from the group during a session', () => {
  it('keeps /admin until the re-check is due, then the session ends', async () => {
    const { cookie } = await sessionCookie(demoted);
    await setStaff(demoted, false);
    actAs({ cookie });
    expect(await outcome(requireStaff)).toBe(`ok:${demoted}`); // checked at login, not yet due
    await getDb().update(users).set({ directoryCheckedAt: new Date(Date.now() - 5 * 60_000) }).where(eq(users.id, ids[demoted]!));
    expect(await outcome(requireStaff)).toBe('redirect:/login');
    expect(await currentUser()).toBeNull();
    expect(await api(staffApiRoute, { cookie })).toBe('401');
  });
});
