import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from './stack/config';
import { startStack } from './stack/stack';
import { prepareTestDatabase } from './test-setup/prepare-database';
import { E2E_DIST_DIR, TEST_DATABASE, TEST_ENV } from './test-setup/test-env';

// `npm test`: every tier in one run, against the real services, in a database of its own.
// It never touches the demo's database, build directory or port.

// Playwright empties its output folder when it starts, so the reports live beside it, one folder per
// test database so that two runs on one machine do not delete each other's reports.
const results = path.join(PROJECT_ROOT, 'test-reports', TEST_DATABASE);

function run(what: string, command: string, args: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n[test] ${what}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: PROJECT_ROOT, stdio: 'inherit', env: { ...process.env, ...TEST_ENV, ...env } });
  return result.status === 0;
}

function readJson<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : null;
}

async function main(): Promise<number> {
  const started = Date.now();
  rmSync(results, { recursive: true, force: true });
  await startStack({ browser: true });
  await prepareTestDatabase(TEST_ENV.DATABASE_URL!);

  const bin = (name: string) => path.join(PROJECT_ROOT, 'node_modules', '.bin', name);
  const lintOk = run('lint (no warnings allowed)', bin('eslint'), ['--max-warnings=0', '.']);
  const vitestOk = run('unit and integration tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}/vitest.json`], {
    PORTHOLE_TEST_DB_READY: '1',
  });
  const cliOk = run('Nagios-side commands (dist/bin)', bin('tsx'), ['scripts/build-cli.ts']);
  const buildOk = cliOk && run('production build for e2e', bin('next'), ['build'], { NEXT_DIST_DIR: E2E_DIST_DIR, NODE_ENV: 'production' });
  const e2eOk = buildOk && run('Playwright (API and browser)', bin('playwright'), ['test']);

  const vitest = readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number }>(`${results}/vitest.json`);
  const pw = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(`${results}/playwright.json`);
  const passed = (vitest?.numPassedTests ?? 0) + (pw?.stats.expected ?? 0) + (pw?.stats.flaky ?? 0);
  const failed = (vitest?.numFailedTests ?? 0) + (pw?.stats.unexpected ?? 0);
  const skipped = (vitest?.numPendingTests ?? 0) + (pw?.stats.skipped ?? 0);
  const ok = lintOk && vitestOk && buildOk && e2eOk && failed === 0;

  console.log(`\n[test] lint: ${lintOk ? 'clean' : 'problems (see above)'}`);
  console.log(`[test] vitest: ${vitest ? `${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed` : 'no report'}`);
  console.log(`[test] playwright: ${pw ? `${pw.stats.expected} passed, ${pw.stats.unexpected} failed` : buildOk ? 'no report' : 'not run (build failed)'}`);
  console.log(`[test] ${Math.round((Date.now() - started) / 1000)} s in all`);
  // The plain closing line CI reads.
  console.log(`${passed} passed, ${failed + (ok ? 0 : failed === 0 ? 1 : 0)} failed, ${skipped} skipped`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`[test] ${error.message}`);
    process.exit(1);
  },
);
