import { startStack } from '../stack/stack';
import { prepareTestDatabase } from './prepare-database';
import { TEST_ENV } from './test-env';

/** Vitest's integration tier: the real services, and a test database of its own. */
export default async function setup(): Promise<void> {
  await startStack();
  if (!process.env.PORTHOLE_TEST_DB_READY) await prepareTestDatabase(TEST_ENV.DATABASE_URL!);
}
