import 'server-only';
import type { Database } from '../db/connection';
import { findWaitingDeadLetter, resolveDeadLetter } from '../db/queries/pipeline';
import { replayDeadLetter } from '../ingest/replay';
import { type Result, fail, ok } from '../result';

/** The error is a sentence for staff: no such dead letter waiting, or why it still fails. */
export type ReplayResult = Result<void>;

/**
 * Staff replay a dead letter after a fix: it goes through the ingester's validation and store
 * (lib/ingest/replay.ts) and is marked replayed, or is left as it is with the reason it still fails.
 */
export async function replayWaitingDeadLetter(db: Database, id: number, clock: () => number = Date.now): Promise<ReplayResult> {
  const letter = await findWaitingDeadLetter(db, id);
  if (!letter) return fail('No such dead letter waiting.');
  const replayed = await replayDeadLetter(db, letter, clock);
  if (!replayed.ok) return replayed;
  await resolveDeadLetter(db, id, 'replayed', new Date(clock()));
  return ok(undefined);
}
