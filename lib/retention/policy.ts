import { z } from 'zod';

// How long each kind of history is kept (`npm run retention`), from the environment: days, 0 keeps it
// forever. Pure: the cutoffs for a given now.

const days = (fallback: number) => z.coerce.number().int().min(0).max(36_500).default(fallback);

export const retentionEnv = z.object({
  RETENTION_EVENTS_DAYS: days(400),
  RETENTION_PERF_SAMPLES_DAYS: days(400),
  RETENTION_DELIVERIES_DAYS: days(365),
  RETENTION_AUDIT_DAYS: days(730),
  /** Login throttle rows are kept a day after their window; there is nothing to read in them after that. */
  RETENTION_LOGIN_THROTTLE_DAYS: days(1),
  /** The hourly rollups of the samples (charts of 90 days), and the daily ones (a year and beyond). */
  RETENTION_ROLLUPS_HOURLY_DAYS: days(400),
  RETENTION_ROLLUPS_DAILY_DAYS: days(1_830),
  /** The most rows one delete may take; batches start at 200 and grow or shrink to take about… */
  RETENTION_BATCH: z.coerce.number().int().min(1).max(100_000).default(2_000),
  /** …this long each (ms), so a writer waits at most about this on a row a delete holds. */
  RETENTION_BATCH_TARGET_MS: z.coerce.number().int().min(1).max(10_000).default(40),
  /** How long a sample's id waits before it is rolled up: longer than any transaction that writes samples. */
  RETENTION_ROLLUP_SETTLE_SECONDS: z.coerce.number().int().min(0).max(3_600).default(60),
});

export type RetentionEnv = z.infer<typeof retentionEnv>;

export interface Cutoffs {
  events: Date | null;
  perfSamples: Date | null;
  deliveries: Date | null;
  audit: Date | null;
  loginThrottle: Date | null;
  hourlyRollups: Date | null;
  dailyRollups: Date | null;
}

const DAY = 86_400_000;
const before = (now: Date, keep: number) => (keep === 0 ? null : new Date(now.getTime() - keep * DAY));

/** Null where a table is kept forever. */
export function cutoffs(e: RetentionEnv, now: Date): Cutoffs {
  return {
    events: before(now, e.RETENTION_EVENTS_DAYS),
    perfSamples: before(now, e.RETENTION_PERF_SAMPLES_DAYS),
    deliveries: before(now, e.RETENTION_DELIVERIES_DAYS),
    audit: before(now, e.RETENTION_AUDIT_DAYS),
    loginThrottle: before(now, e.RETENTION_LOGIN_THROTTLE_DAYS),
    hourlyRollups: before(now, e.RETENTION_ROLLUPS_HOURLY_DAYS),
    dailyRollups: before(now, e.RETENTION_ROLLUPS_DAILY_DAYS),
  };
}
