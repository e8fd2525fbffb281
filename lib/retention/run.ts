import type { Database } from '../db/connection';
import { type RollupRun, pruneRollups, rollUpPerfSamples } from '../db/queries/perf-rollups';
import { type Pruned, pruneAudit, pruneDeliveries, pruneEvents, pruneLoginThrottle, prunePerfSamples } from '../db/queries/retention';
import { type RetentionEnv, cutoffs } from './policy';

/** What settled since the last run, added to the hourly and daily rollups (`npm run retention -- --rollups`, every few minutes). */
export function runRollups(db: Database, policy: RetentionEnv): Promise<RollupRun> {
  return rollUpPerfSamples(db, { settleMs: policy.RETENTION_ROLLUP_SETTLE_SECONDS * 1000 });
}

/**
 * One pass of retention over every table, in batches; what went from each and the longest delete. The
 * rollups go first, and only samples already rolled up are deleted, so long charts lose nothing.
 */
export async function runRetention(db: Database, policy: RetentionEnv, now = new Date()): Promise<{ rollups: RollupRun; pruned: Pruned[] }> {
  const c = cutoffs(policy, now);
  const batch = { max: policy.RETENTION_BATCH, targetMs: policy.RETENTION_BATCH_TARGET_MS };
  const rollups = await runRollups(db, policy);
  const pruned: Pruned[] = [];
  if (c.events) pruned.push(await pruneEvents(db, c.events, batch));
  if (c.perfSamples) pruned.push(await prunePerfSamples(db, c.perfSamples, batch, rollups.through));
  if (c.hourlyRollups) pruned.push(await pruneRollups(db, 'hour', c.hourlyRollups, batch));
  if (c.dailyRollups) pruned.push(await pruneRollups(db, 'day', c.dailyRollups, batch));
  if (c.deliveries) pruned.push(await pruneDeliveries(db, c.deliveries, batch));
  if (c.audit) pruned.push(await pruneAudit(db, c.audit, batch));
  if (c.loginThrottle) pruned.push(await pruneLoginThrottle(db, c.loginThrottle, now, batch));
  return { rollups, pruned };
}
