import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '../db/connection';
import { sessions, users } from '../db/schema';

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

export type SessionEndReason = 'logout' | 'revoked_by_staff' | 'role_changed' | 'password_changed' | 'directory_removed' | 'expired' | 'idle';

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
  await db.insert(sessions).values({
    tokenHash: hashOf(sessionId),
    userId: input.userId,
    createdAt: now,
    lastSeenAt: now,
    ip: input.ip?.slice(0, 45) ?? null,
    userAgent: input.userAgent?.slice(0, 255) ?? null,
  });
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
  const [row] = await db.select().from(sessions).where(eq(sessions.tokenHash, hashOf(sessionId)));
  if (!row) return { alive: false, reason: 'unknown' };
  if (row.revokedAt) return { alive: false, reason: (row.revokedReason as SessionEndReason | null) ?? 'unknown' };

  const expiresAt = new Date(row.createdAt.getTime() + policy.maxAgeMs);
  const ended: SessionEndReason | null =
    now >= expiresAt ? 'expired' : now.getTime() - row.lastSeenAt.getTime() >= policy.idleMs ? 'idle' : null;
  if (ended) {
    await db
      .update(sessions)
      .set({ revokedAt: now, revokedReason: ended })
      .where(and(eq(sessions.id, row.id), isNull(sessions.revokedAt)));
    return { alive: false, reason: ended };
  }
  if (touch && now.getTime() - row.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: now })
      .where(and(eq(sessions.id, row.id), isNull(sessions.revokedAt), lt(sessions.lastSeenAt, now)));
  }
  return { alive: true, userId: row.userId, createdAt: row.createdAt, expiresAt };
}

/** Logout: ends the one session. Returns whether a live session was ended. */
export async function revokeSession(db: Database, sessionId: unknown, reason: SessionEndReason, now = new Date()): Promise<boolean> {
  if (typeof sessionId !== 'string') return false;
  const [result] = await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.tokenHash, hashOf(sessionId)), isNull(sessions.revokedAt)));
  return result.affectedRows > 0;
}

/**
 * Ends every session of a user (staff action, role or password change, user gone from the directory)
 * and marks the user, so cached HTTP Basic logins on every instance are dropped too.
 */
export async function revokeUserSessions(db: Database, userId: number, reason: SessionEndReason, now = new Date()): Promise<number> {
  await db.update(users).set({ sessionsRevokedAt: now }).where(eq(users.id, userId));
  const [result] = await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
  return result.affectedRows;
}

/** Staff display: a user's sessions that have not been ended (expired ones are ended when next seen). */
export async function listLiveSessions(db: Database, policy: SessionPolicy, now = new Date()) {
  const rows = await db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(
      and(
        isNull(sessions.revokedAt),
        sql`${sessions.createdAt} > ${new Date(now.getTime() - policy.maxAgeMs)}`,
        sql`${sessions.lastSeenAt} > ${new Date(now.getTime() - policy.idleMs)}`,
      ),
    )
    .orderBy(desc(sessions.lastSeenAt));
  return rows;
}
