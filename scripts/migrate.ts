import { z } from 'zod';
import { databaseUrl, parseEnv } from '@/lib/config/parse-env';
import { migrateDatabase } from '@/lib/db/migrate';

// `npm run db:migrate`: runs its bundle, dist/migrate.js (scripts/build-processes.ts), so production needs no tsx.

const { DATABASE_URL } = parseEnv(
  z.object({ DATABASE_URL: databaseUrl.default('mysql://porthole:porthole@127.0.0.1:33306/porthole') }),
);

migrateDatabase(DATABASE_URL).then(
  () => console.log(`[db] migrations applied to ${new URL(DATABASE_URL).pathname.slice(1)}`),
  (error: Error) => {
    console.error(`[db] migration failed: ${error.message}`);
    process.exit(1);
  },
);
