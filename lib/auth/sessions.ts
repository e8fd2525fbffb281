import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/connection';
import { type SessionEndReason, endSession, endSessionByHash, findSessionByHash, insertSession, touchSession } from '../db/queries/sessions';

// Server-side session identity. The browser's JWT carries only `sid`, an opaque random id; the row
// (shared by every portal instance through MariaDB) says whether it is still alive. Only the id's
// sha256 is stored, so a copy of the table (a backup, a read-only SQL hole) holds nothing that could
// be put into a cookie.

export interface SessionPolicy {
  /** Absolute lifetime from the login: renewal never extends it. */
  maxAgeMs: number;
  /** Ends a session not seen for this long. */
  idleMs: number;
}

/** Last-seen is written at most this often per session, so a busy page costs one read, not a write. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

export type SessionCheck =
  | { alive: true; userId: number; createdAt: Date; expiresAt: Date }
  | { alive: false; reason: SessionEndReason | 'unknown' };

const hashOf = (sessionId: string) => createHash('sha256').update(sessionId).digest('hex');

export function sessionPolicy(env: { SESSION_MAX_AGE_HOURS: number; SESSION_IDLE_MINUTES: number }): SessionPolicy {
  return { maxAgeMs: env.SESSION_MAX_AGE_HOURS * 3_600_000, idleMs: env.SESSION_IDLE_MINUTES * 60_000 };
}

/** A new session at login; the returned id goes into the JWT and nowhere else. */
export async function createSession(
  db: Database,
  input: { userId: number; ip: string | null; userAgent: string | null },
  now = new Date(),
): Promise<string> {
  const sessionId = randomBytes(32).toString('base64url');
  await insertSession(db, { tokenHash: hashOf(sessionId), ...input }, now);
  return sessionId;
}

/**
 * Is this session alive at `now`? Ends it (with the reason) when it has outlived the absolute or idle
 * limit; notes activity when `touch` (at most once a minute). Unknown ids and malformed input are dead.
 */
export async function checkSession(
  db: Database,
  sessionId: unknown,
  policy: SessionPolicy,
  { now = new Date(), touch = true }: { now?: Date; touch?: boolean } = {},
): Promise<SessionCheck> {
  if (typeof sessionId !== 'string' || sessionId.length < 16 || sessionId.length > 128) return { alive: false, reason: 'unknown' };
  const row = await findSessionByHash(db, hashOf(sessionId));
  if (!row) return { alive: false, reason: 'unknown' };
  if (row.revokedAt) return { alive: false, reason: (row.revokedReason as SessionEndReason | null) ?? 'unknown' };

  const expiresAt = new Date(row.createdAt.getTime() + policy.maxAgeMs);
  const ended: SessionEndReason | null =
    now >= expiresAt ? 'expired' : now.getTime() - row.lastSeenAt.getTime() >= policy.idleMs ? 'idle' : null;
  if (ended) {
    await endSession(db, row.id, ended, now);
    return { alive: false, reason: ended };
  }
  if (touch && now.getTime() - row.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) await touchSession(db, row.id, now);
  return { alive: true, userId: row.userId, createdAt: row.createdAt, expiresAt };
}

/** Logout: ends the one session. Returns whether a live session was ended. */
export async function revokeSession(db: Database, sessionId: unknown, reason: SessionEndReason, now = new Date()): Promise<boolean> {
  if (typeof sessionId !== 'string') return false;
  return endSessionByHash(db, hashOf(sessionId), reason, now);
}
