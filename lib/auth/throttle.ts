import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/connection';
import { loginThrottle } from '../db/schema';
import { canonicalUsername } from './username';

export interface ThrottleLimits {
  maxPerUser: number;
  maxPerIp: number;
  windowMinutes: number;
}

type Scope = 'user' | 'ip';

/**
 * The per-user key is the canonical username (NFKC, lower case: lib/auth/username.ts), applied
 * here too so that no caller can count a lookalike apart. `null` (a name refused before the
 * directory) counts against the address only.
 */
export const userThrottleKey = (username: string) => canonicalUsername(username).slice(0, 190);

function subjects(username: string | null, ip: string | null): Array<[Scope, string]> {
  const list: Array<[Scope, string]> = username === null ? [] : [['user', userThrottleKey(username)]];
  if (ip) list.push(['ip', ip.slice(0, 190)]);
  return list;
}

/** Minutes until the caller may try again, or 0 when neither the username nor the address is locked. */
export async function lockedMinutes(db: Database, username: string | null, ip: string | null, now = new Date()): Promise<number> {
  let until = 0;
  for (const [scope, subject] of subjects(username, ip)) {
    const [row] = await db
      .select({ lockedUntil: loginThrottle.lockedUntil })
      .from(loginThrottle)
      .where(and(eq(loginThrottle.scope, scope), eq(loginThrottle.subject, subject)));
    if (row?.lockedUntil && row.lockedUntil > now) until = Math.max(until, row.lockedUntil.getTime());
  }
  return until === 0 ? 0 : Math.ceil((until - now.getTime()) / 60_000);
}

/** Counts a failure in a fixed window; reaching the limit locks the subject for one window. */
export async function recordFailure(
  db: Database,
  username: string | null,
  ip: string | null,
  limits: ThrottleLimits,
  now = new Date(),
): Promise<void> {
  const windowMs = limits.windowMinutes * 60_000;
  const windowStartCutoff = new Date(now.getTime() - windowMs);
  const lockUntil = new Date(now.getTime() + windowMs);
  for (const [scope, subject] of subjects(username, ip)) {
    const max = scope === 'user' ? limits.maxPerUser : limits.maxPerIp;
    // One statement, so concurrent failures on several web instances count correctly.
    await db
      .insert(loginThrottle)
      .values({ scope, subject, failures: 1, windowStart: now, lockedUntil: max <= 1 ? lockUntil : null })
      .onDuplicateKeyUpdate({
        set: {
          failures: sql`IF(${loginThrottle.windowStart} < ${windowStartCutoff}, 1, ${loginThrottle.failures} + 1)`,
          lockedUntil: sql`IF(IF(${loginThrottle.windowStart} < ${windowStartCutoff}, 1, ${loginThrottle.failures} + 1) >= ${max}, ${lockUntil}, ${loginThrottle.lockedUntil})`,
          windowStart: sql`IF(${loginThrottle.windowStart} < ${windowStartCutoff}, ${now}, ${loginThrottle.windowStart})`,
        },
      });
  }
}

export async function clearUserFailures(db: Database, username: string): Promise<void> {
  await db.delete(loginThrottle).where(and(eq(loginThrottle.scope, 'user'), eq(loginThrottle.subject, userThrottleKey(username))));
}
