import type { Database } from '../db/connection';
import { type Pruned, pruneAudit, pruneDeliveries, pruneEvents, pruneLoginThrottle, prunePerfSamples } from '../db/queries/retention';
import { type RetentionEnv, cutoffs } from './policy';

/** One pass of retention over every table, in batches; what went from each and the longest delete. */
export async function runRetention(db: Database, policy: RetentionEnv, now = new Date()): Promise<Pruned[]> {
  const c = cutoffs(policy, now);
  const batch = policy.RETENTION_BATCH;
  const results: Pruned[] = [];
  if (c.events) results.push(await pruneEvents(db, c.events, batch));
  if (c.perfSamples) results.push(await prunePerfSamples(db, c.perfSamples, batch));
  if (c.deliveries) results.push(await pruneDeliveries(db, c.deliveries, batch));
  if (c.audit) results.push(await pruneAudit(db, c.audit, batch));
  if (c.loginThrottle) results.push(await pruneLoginThrottle(db, c.loginThrottle, now, batch));
  return results;
}
