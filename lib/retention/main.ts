import { databaseUrl, parseEnv } from '../config/parse-env';
import { createDb } from '../db/connection';
import { createLogger } from '../metrics/log.mjs';
import { retentionEnv } from './policy';
import { runRetention } from './run';

// `npm run retention` (dist/retention.js; a systemd timer runs it nightly): deletes history older than
// the RETENTION_* settings, in short batches, and logs what went. Safe to run on several hosts at once:
// a batch someone else deleted first simply deletes nothing.

const log = createLogger('retention');

async function main(): Promise<void> {
  const env = parseEnv(retentionEnv.extend({ DATABASE_URL: databaseUrl.default('mysql://porthole:porthole@127.0.0.1:33306/porthole') }));
  const { db, pool } = createDb(env.DATABASE_URL, { connectionLimit: 1 });
  try {
    for (const r of await runRetention(db, env)) {
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
