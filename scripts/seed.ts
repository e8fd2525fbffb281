import { z } from 'zod';
import { databaseUrl, parseEnv } from '@/lib/config/parse-env';
import { createDb } from '@/lib/db/connection';
import { seedDemo } from './demo-data';

const { DATABASE_URL } = parseEnv(
  z.object({ DATABASE_URL: databaseUrl.default('mysql://porthole:porthole@127.0.0.1:33306/porthole') }),
);

const { db, pool } = createDb(DATABASE_URL, { connectionLimit: 2 });
seedDemo(db)
  .then(() => console.log('[db] demo data in place (accounts Acme Ltd and Globex Corp, 3 VMs, 30 days of history)'))
  .catch((error: Error) => {
    console.error(`[db] seeding failed: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(() => pool.end());
