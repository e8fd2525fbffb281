import type { Database } from '../db/connection';
import { type Result, fail, ok } from '../result';
import { DEFAULT_MAX_CLOCK_SKEW_SECONDS, type IncomingMessage, classifyMessage } from './classify';
import { storeBatch } from '../db/queries/event-store';

/**
 * The ingester's entry point for one stored body (a dead letter staff replay after a fix): the same
 * validation and idempotent store as a message from the broker. Judged against `clock()`, not the
 * original receipt, so an event that was ahead of the clock can be replayed once its time has come.
 * Marking the dead letter resolved is the caller's (lib/admin/pipeline.ts).
 */
export async function replayDeadLetter(
  db: Database,
  letter: { body: string; headers: IncomingMessage['headers'] | null },
  clock: () => number = Date.now,
): Promise<Result<void>> {
  const now = clock();
  const classified = classifyMessage(
    { body: letter.body, headers: letter.headers ?? {} },
    { receivedAtMs: now, maxClockSkewSec: DEFAULT_MAX_CLOCK_SKEW_SECONDS },
  );
  if (!classified.ok) return fail(`Still invalid: ${classified.error}`);
  await storeBatch(db, { events: [classified.value] }, new Date(now));
  return ok(undefined);
}
