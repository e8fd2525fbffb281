import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { TEST_ENV } from './scripts/test-setup/test-env.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

// Two tiers: pure unit tests (`*.test.ts`) and integration tests against the real
// local services (`*.int.test.ts`), which share one database and so run one file at a time.
export default defineConfig({
  // 'server-only' throws outside Next's server bundles; lib modules are tested directly.
  resolve: { alias: { '@': root, 'server-only': `${root}/scripts/test-setup/empty.ts` } },
  test: {
    env: TEST_ENV,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'scripts/**/*.test.ts', 'app/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ['node_modules/**', '.next/**', '.next-test/**'],
          globalSetup: ['./scripts/test-setup/integration-global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
