import 'server-only';
import type { Database } from '../db/connection';
import { findWaitingDeadLetter, resolveDeadLetter } from '../db/queries/pipeline';
import { replayDeadLetter } from '../ingest/replay';
import { loadProvisioningConfig } from '../plans/config';
import { applyReply } from '../plans/provisioning';
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
  // A provisioning reply goes back through the reply handling, not the ingester's.
  const provisioning = loadProvisioningConfig();
  const replayed =
    letter.destination === provisioning.PROVISIONING_REPLY_QUEUE
      ? await applyReply(db, letter.body, { now: new Date(clock()), portalUrl: provisioning.NEXTAUTH_URL }).then((r) => (r.ok ? ok(undefined) : fail(`Still refused: ${r.error}`)))
      : await replayDeadLetter(db, letter, clock);
  if (!replayed.ok) return replayed;
  await resolveDeadLetter(db, id, 'replayed', new Date(clock()));
  return ok(undefined);
}
