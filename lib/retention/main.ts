import { databaseUrl, parseEnv } from '../config/parse-env';
import { createDb } from '../db/connection';
import { createLogger } from '../metrics/log.mjs';
import { retentionEnv } from './policy';
import { runRetention, runRollups } from './run';

// `npm run retention` (dist/retention.js; a systemd timer runs it nightly): rolls up the samples, then
// deletes history older than the RETENTION_* settings, in short batches, and logs what went.
// `npm run retention -- --rollups` (porthole-rollup.timer, every 10 minutes) only rolls up.
// Safe to run on several hosts at once: a rollup step holds a lock on the job's state row, and a batch
// someone else deleted first simply deletes nothing.

const log = createLogger('retention');

async function main(): Promise<void> {
  const rollupsOnly = process.argv.slice(2).includes('--rollups');
  const env = parseEnv(retentionEnv.extend({ DATABASE_URL: databaseUrl.default('mysql://porthole:porthole@127.0.0.1:33306/porthole') }));
  const { db, pool } = createDb(env.DATABASE_URL, { connectionLimit: 1 });
  try {
    const logRollups = (r: { samples: number; steps: number; through: number; longestMs: number }) =>
      log.info({ table: 'perf_rollups', samples: r.samples, steps: r.steps, through: r.through, longestMs: Math.round(r.longestMs) }, `perf_rollups: ${r.samples} samples rolled up in ${r.steps} steps`);
    if (rollupsOnly) {
      logRollups(await runRollups(db, env));
      return;
    }
    const { rollups, pruned } = await runRetention(db, env);
    logRollups(rollups);
    for (const r of pruned) {
      log.info({ table: r.table, deleted: r.deleted, batches: r.batches, longestMs: Math.round(r.longestMs) }, `${r.table}: ${r.deleted} rows deleted in ${r.batches} batches`);
    }
  } finally {
    await pool.end();
  }
}

main().catch((error: Error) => {
  log.fatal({ err: error }, error.message);
  process.exit(1);
});
