import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../connection';
import { loginThrottle } from '../schema';

// Failed-login counters (lib/auth/throttle.ts decides the keys and limits), shared by every instance.

export type ThrottleScope = 'user' | 'ip';

export async function throttleLockedUntil(db: Database, scope: ThrottleScope, subject: string): Promise<Date | null> {
  const [row] = await db
    .select({ lockedUntil: loginThrottle.lockedUntil })
    .from(loginThrottle)
    .where(and(eq(loginThrottle.scope, scope), eq(loginThrottle.subject, subject)));
  return row?.lockedUntil ?? null;
}

/**
 * Counts one failure in a fixed window of `windowMs`; reaching `max` locks the subject for one window.
 * One statement, so concurrent failures on several web instances count correctly. MariaDB applies
 * the assignments left to right: each is computed from the old values of the columns after it.
 */
export async function countThrottleFailure(
  db: Database,
  scope: ThrottleScope,
  subject: string,
  { max, windowMs, now }: { max: number; windowMs: number; now: Date },
): Promise<void> {
  const windowStartCutoff = new Date(now.getTime() - windowMs);
  const lockUntil = new Date(now.getTime() + windowMs);
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

export async function clearThrottle(db: Database, scope: ThrottleScope, subject: string): Promise<void> {
  await db.delete(loginThrottle).where(and(eq(loginThrottle.scope, scope), eq(loginThrottle.subject, subject)));
}
