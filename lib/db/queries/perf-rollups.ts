import { getTableName } from 'drizzle-orm';
import type { RowDataPacket } from 'mysql2/promise';
import type { Database } from '../connection';
import { perfRollups, perfSamples, settings } from '../schema';
import { type BatchPolicy, type Pruned, deleteInSteps, limitedDelete } from './retention';

// Perf samples rolled up by hour and by day (perf_rollups), for charts of long ranges (./vm-metrics.ts).
//
// The job walks perf_samples by id: every sample with an id up to `through` is in the rollups exactly once,
// however late it arrived for its hour (a late sample adds to its hour's sums). Each step is one short
// transaction that adds a range of ids to both periods and moves `through`, under a lock on the state row,
// so two jobs at once never add a range twice. Auto-increment ids are handed out before commit, so the walk
// stops at the highest id seen at least `settleMs` ago, when every transaction that held a lower id has
// long ended. A chart reads the rollups, and the samples above `through` raw (./vm-metrics.ts).

export const ROLLUP_STATE_KEY = 'job.perf_rollup';
const HOUR_MS = 3_600_000;
export const ROLLUP_PERIOD_MS = { hour: HOUR_MS, day: 24 * HOUR_MS } as const;
export type RollupPeriod = keyof typeof ROLLUP_PERIOD_MS;

export interface RollupState {
  /** Every sample with an id up to this one is rolled up. */
  through: number;
  /** When `through` was last moved: samples above it were stored after about this time (or late). */
  throughAt: string | null;
  /** The highest id at the last look, and when: the next walk may go that far once it has settled. */
  seen: number;
  seenAt: string | null;
}

const EMPTY: RollupState = { through: 0, throughAt: null, seen: 0, seenAt: null };

function asState(value: unknown): RollupState {
  const v = (typeof value === 'string' ? JSON.parse(value) : value) as Partial<RollupState> | null;
  return { ...EMPTY, ...(v ?? {}) };
}

export async function rollupState(db: Database): Promise<RollupState> {
  const [rows] = await db.$client.query<RowDataPacket[]>(`SELECT value FROM \`${getTableName(settings)}\` WHERE \`key\` = ?`, [ROLLUP_STATE_KEY]);
  return rows[0] ? asState(rows[0].value) : EMPTY;
}

export interface RollupRun {
  /** Samples added to the rollups in this run. */
  samples: number;
  steps: number;
  through: number;
  /** The longest step (one transaction), ms. */
  longestMs: number;
}

const S = getTableName(perfSamples);
const R = getTableName(perfRollups);
// Naive UTC arithmetic on DATETIME, so the session's time zone never matters.
const bucketOf = (periodMs: number) =>
  `TIMESTAMPADD(SECOND, FLOOR(TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', sampled_at) / ${periodMs / 1000}) * ${periodMs / 1000}, '1970-01-01 00:00:00')`;

/**
 * Rolls up what settled since the last run, `step` ids per transaction. `clock` is the wall clock (the
 * settling is about real transactions, whatever `now` a caller pretends).
 */
export async function rollUpPerfSamples(db: Database, options: { step?: number; settleMs?: number; clock?: () => number } = {}): Promise<RollupRun> {
  const step = options.step ?? 20_000;
  const settleMs = options.settleMs ?? 60_000;
  const clock = options.clock ?? Date.now;
  const run: RollupRun = { samples: 0, steps: 0, through: 0, longestMs: 0 };
  await db.$client.query(`INSERT IGNORE INTO \`${getTableName(settings)}\` (\`key\`, value, updated_at) VALUES (?, ?, ?)`, [ROLLUP_STATE_KEY, JSON.stringify(EMPTY), new Date()]);
  for (;;) {
    const connection = await db.$client.getConnection();
    const started = performance.now();
    try {
      // Reads of perf_samples take no locks at READ COMMITTED: the ingester never waits on the job.
      await connection.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await connection.beginTransaction();
      const [rows] = await connection.query<RowDataPacket[]>(`SELECT value FROM \`${getTableName(settings)}\` WHERE \`key\` = ? FOR UPDATE`, [ROLLUP_STATE_KEY]);
      const state = asState(rows[0]?.value);
      const now = clock();
      const age = state.seenAt === null ? null : now - Date.parse(state.seenAt);
      const settled = settleMs === 0 || (age !== null && age >= settleMs);
      // A look dated in the future (a host whose clock was ahead) is taken again, never walked to.
      const lookAgain = age === null || settled || age < -settleMs;
      let target = state.through;
      if (settleMs === 0) {
        const [[max]] = await connection.query<RowDataPacket[]>(`SELECT COALESCE(MAX(id), 0) AS id FROM \`${S}\``);
        target = Number(max!.id);
      } else if (settled) target = Math.max(state.through, state.seen);
      if (target <= state.through) {
        // Nothing settled to add: look at the highest id now, to be walked to once it has settled.
        if (settleMs > 0 && lookAgain) {
          const [[max]] = await connection.query<RowDataPacket[]>(`SELECT COALESCE(MAX(id), 0) AS id FROM \`${S}\``);
          await saveState(connection, { ...state, seen: Number(max!.id), seenAt: new Date(now).toISOString() });
        }
        await connection.commit();
        run.through = state.through;
        return run;
      }
      const upper = Math.min(target, state.through + step);
      for (const [period, ms] of Object.entries(ROLLUP_PERIOD_MS)) {
        await connection.query(
          `INSERT INTO \`${R}\` (vm_id, service, label, period, bucket_start, unit, samples, valued, sum, low, high)
           SELECT vm_id, service, label, ?, ${bucketOf(ms)} AS bucket, unit, COUNT(*), COUNT(value), COALESCE(SUM(value), 0), MIN(value), MAX(value)
             FROM \`${S}\` WHERE id > ? AND id <= ? AND vm_id IS NOT NULL
            GROUP BY vm_id, service, label, bucket, unit
           ON DUPLICATE KEY UPDATE samples = samples + VALUES(samples), valued = valued + VALUES(valued), sum = sum + VALUES(sum),
             low = LEAST(COALESCE(low, VALUES(low)), COALESCE(VALUES(low), low)), high = GREATEST(COALESCE(high, VALUES(high)), COALESCE(VALUES(high), high))`,
          [period, state.through, upper],
        );
      }
      const [[counted]] = await connection.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${S}\` WHERE id > ? AND id <= ? AND vm_id IS NOT NULL`, [state.through, upper]);
      await saveState(connection, { ...state, through: upper, throughAt: new Date(now).toISOString() });
      await connection.commit();
      run.samples += Number(counted!.n);
      run.steps += 1;
      run.through = upper;
    } catch (error) {
      await connection.rollback().catch(() => undefined);
      throw error;
    } finally {
      run.longestMs = Math.max(run.longestMs, performance.now() - started);
      connection.release();
    }
  }
}

async function saveState(connection: { query: Database['$client']['query'] }, state: RollupState): Promise<void> {
  await connection.query(`UPDATE \`${getTableName(settings)}\` SET value = ?, updated_at = ? WHERE \`key\` = ?`, [JSON.stringify(state), new Date(), ROLLUP_STATE_KEY]);
}

/** Rows of one series and period in [from, to), summed into buckets of `bucketMs` aligned to the epoch: [bucket ms, unit, sum, valued, low, high, samples]. */
export async function rollupBuckets(
  db: Database,
  series: { vmId: number; service: string; label: string },
  period: RollupPeriod,
  from: Date,
  to: Date,
  bucketMs: number,
): Promise<Array<[number, string, number, number, number | null, number | null, number]>> {
  const [rows] = await db.$client.query<RowDataPacket[]>({
    sql: `SELECT FLOOR((TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', bucket_start) * 1000) / ?) * ? AS bucket, unit, SUM(sum), SUM(valued), MIN(low), MAX(high), SUM(samples)
            FROM \`${R}\` WHERE vm_id = ? AND service = ? AND label = ? AND period = ? AND bucket_start >= ? AND bucket_start < ?
           GROUP BY bucket, unit ORDER BY bucket`,
    values: [bucketMs, bucketMs, series.vmId, series.service, series.label, period, from, to],
    rowsAsArray: true,
  });
  return (rows as unknown as unknown[][]).map(([b, unit, sum, valued, low, high, n]) => [
    Number(b),
    String(unit),
    Number(sum),
    Number(valued),
    low === null ? null : Number(low),
    high === null ? null : Number(high),
    Number(n),
  ]);
}

/** Retention of the rollups themselves: rows of a period older than `before`, a batch per statement. */
export function pruneRollups(db: Database, period: RollupPeriod, before: Date, batch: BatchPolicy): Promise<Pruned> {
  return deleteInSteps(`${R} (${period})`, batch, limitedDelete(db, `DELETE FROM \`${R}\` WHERE period = ? AND bucket_start < ? ORDER BY period, bucket_start`, [period, before]));
}
