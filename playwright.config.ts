import { defineConfig, devices } from '@playwright/test';
import { E2E_DIST_DIR, E2E_METRICS_PORT, E2E_PORT, TEST_DATABASE, TEST_ENV } from './scripts/test-setup/test-env';
import { WEB_NODE_FLAGS } from './lib/http/web-command';

// Drives Debian's Chromium (never a downloaded browser) against a production build of the
// portal on its own port and database. `npm test` builds it first (NEXT_DIST_DIR=.next-test).
const baseURL = `http://127.0.0.1:${E2E_PORT}`;

export default defineConfig({
  testDir: './e2e',
  forbidOnly: !!process.env.CI,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  outputDir: `test-results/${TEST_DATABASE}`,
  reporter: [['list'], ['json', { outputFile: `test-reports/${TEST_DATABASE}/playwright.json` }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    { name: 'api', testMatch: /.*\.api\.spec\.ts/, dependencies: ['setup'] },
    { name: 'chromium', testMatch: /.*\.e2e\.spec\.ts/, dependencies: ['setup'], use: { ...devices['Desktop Chrome'] } },
  ],
  webServer: {
    command: `node ${WEB_NODE_FLAGS.join(' ')} server.mjs`,
    url: `${baseURL}/api/health`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { ...TEST_ENV, NEXT_DIST_DIR: E2E_DIST_DIR, NODE_ENV: 'production', HOST: '127.0.0.1', METRICS_PORT: String(E2E_METRICS_PORT) },
  },
});
