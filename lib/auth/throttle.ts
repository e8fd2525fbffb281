import type { Database } from '../db/connection';
import { type ThrottleScope, clearThrottle, countThrottleFailure, throttleLockedUntil } from '../db/queries/throttle';
import { canonicalUsername } from './username';

export interface ThrottleLimits {
  maxPerUser: number;
  maxPerIp: number;
  windowMinutes: number;
}

/**
 * The per-user key is the canonical username (NFKC, lower case: lib/auth/username.ts), applied
 * here too so that no caller can count a lookalike apart. `null` (a name refused before the
 * directory) counts against the address only.
 */
export const userThrottleKey = (username: string) => canonicalUsername(username).slice(0, 190);

function subjects(username: string | null, ip: string | null): Array<[ThrottleScope, string]> {
  const list: Array<[ThrottleScope, string]> = username === null ? [] : [['user', userThrottleKey(username)]];
  if (ip) list.push(['ip', ip.slice(0, 190)]);
  return list;
}

/** Minutes until the caller may try again, or 0 when neither the username nor the address is locked. */
export async function lockedMinutes(db: Database, username: string | null, ip: string | null, now = new Date()): Promise<number> {
  let until = 0;
  for (const [scope, subject] of subjects(username, ip)) {
    const lockedUntil = await throttleLockedUntil(db, scope, subject);
    if (lockedUntil && lockedUntil > now) until = Math.max(until, lockedUntil.getTime());
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
  for (const [scope, subject] of subjects(username, ip)) {
    const max = scope === 'user' ? limits.maxPerUser : limits.maxPerIp;
    await countThrottleFailure(db, scope, subject, { max, windowMs, now });
  }
}

export async function clearUserFailures(db: Database, username: string): Promise<void> {
  await clearThrottle(db, 'user', userThrottleKey(username));
}
