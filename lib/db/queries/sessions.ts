import 'server-only';
import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from '../connection';
import { sessions, users } from '../schema';

// The `sessions` table, found by the SHA-256 of the session id (lib/auth/sessions.ts decides what
// is alive; these only read and write rows).

/** Why a session ended, as `sessions.revoked_reason` stores it. */
export type SessionEndReason = 'logout' | 'revoked_by_staff' | 'account_suspended' | 'role_changed' | 'password_changed' | 'directory_removed' | 'expired' | 'idle';

export async function insertSession(
  db: Database,
  input: { tokenHash: string; userId: number; ip: string | null; userAgent: string | null },
  now: Date,
): Promise<void> {
  await db.insert(sessions).values({
    tokenHash: input.tokenHash,
    userId: input.userId,
    createdAt: now,
    lastSeenAt: now,
    ip: input.ip?.slice(0, 45) ?? null,
    userAgent: input.userAgent?.slice(0, 255) ?? null,
  });
}

export async function findSessionByHash(db: Database, tokenHash: string) {
  const [row] = await db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash));
  return row ?? null;
}

/** Ends one session by row id, unless it has already ended. */
export async function endSession(db: Database, id: number, reason: SessionEndReason, now: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}

/** Notes activity on a live session (never moving last-seen backwards). */
export async function touchSession(db: Database, id: number, now: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ lastSeenAt: now })
    .where(and(eq(sessions.id, id), isNull(sessions.revokedAt), lt(sessions.lastSeenAt, now)));
}

/** Ends the session with this token hash; whether a live one was ended. */
export async function endSessionByHash(db: Database, tokenHash: string, reason: SessionEndReason, now: Date): Promise<boolean> {
  const [result] = await db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt)));
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

/** Staff display: sessions not ended and within both limits (expired ones are ended when next seen). */
export async function listLiveSessions(db: Database, policy: { maxAgeMs: number; idleMs: number }, now = new Date()) {
  return db
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
}
