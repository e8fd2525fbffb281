import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { WEB_NODE_FLAGS } from '../../lib/http/web-command';
import { PROJECT_ROOT } from '../stack/config';
import { startStack } from '../stack/stack';

// npm run bench:slow-link — the customer's pages over the seed's slow link, in Debian's Chromium with
// its network emulation (16 kbit/s both ways, 350 ms latency, cache off): for the dashboard and the demo
// VM page, the time until the VM's state is readable, until the page is interactive (the load event:
// every script fetched and run), and the bytes that crossed the link. Its own database
// (porthole_slowlink_test, reset with the demo data) and build (.next-slowlink; BENCH_REBUILD=1 rebuilds).
// The target is the issue's: the state is readable before the scripts have arrived. Not part of npm test.

process.env.TEST_DATABASE ??= 'porthole_slowlink_test';
process.env.E2E_PORT ??= '3250';
process.env.E2E_DIST_DIR ??= '.next-slowlink';

const LINK = { offline: false, latency: 350, downloadThroughput: 16_000 / 8, uploadThroughput: 16_000 / 8 };

async function main(): Promise<number> {
  const { TEST_ENV, E2E_DIST_DIR, E2E_PORT } = await import('../test-setup/test-env');
  const { prepareTestDatabase } = await import('../test-setup/prepare-database');
  await startStack({ browser: true });
  await prepareTestDatabase(TEST_ENV.DATABASE_URL!);
  const env = { ...process.env, ...TEST_ENV, NEXT_DIST_DIR: E2E_DIST_DIR, NODE_ENV: 'production', HOST: '127.0.0.1' } as NodeJS.ProcessEnv;
  if (process.env.BENCH_REBUILD === '1' || !existsSync(path.join(PROJECT_ROOT, E2E_DIST_DIR, 'BUILD_ID'))) {
    const built = spawnSync(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'next'), ['build'], { cwd: PROJECT_ROOT, stdio: 'inherit', env });
    if (built.status !== 0) return 1;
  }
  const server: ChildProcess = spawn(process.execPath, [...WEB_NODE_FLAGS, 'server.mjs'], { cwd: PROJECT_ROOT, env, stdio: 'ignore' });
  const origin = `http://127.0.0.1:${E2E_PORT}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(`${origin}/api/health/live`).catch(() => null))?.ok) break;
      if (i > 120) throw new Error('the portal did not start');
      await new Promise((r) => setTimeout(r, 500));
    }
    // Logged in on a fast link: the login itself is not what is measured.
    const context = await browser.newContext({ baseURL: origin });
    const login = await context.newPage();
    await login.goto('/login');
    await login.getByLabel('Username').fill('alice');
    await login.getByLabel('Password').fill('alice-demo');
    await login.getByRole('button', { name: 'Log in' }).click();
    await login.waitForURL((url) => !url.pathname.startsWith('/login'));
    const vms = (await (await context.request.get('/api/v1/vms')).json()) as { vms: Array<{ id: number; hostname: string }> };
    const vm = vms.vms.find((v) => v.hostname === 'web-01.acme.example') ?? vms.vms[0]!;
    await login.close();

    console.log('[slow-link] 16 kbit/s down and up, 350 ms latency, cache off; one cold load per page');
    let ok = true;
    for (const { url, state } of [
      { url: '/', state: 'table .state' },
      { url: `/vms/${vm.id}`, state: 'main .state' },
    ]) {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', LINK);
      let bytes = 0;
      cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => void (bytes += e.encodedDataLength));
      const started = Date.now();
      const navigation = page.goto(url, { waitUntil: 'load', timeout: 300_000 });
      await page.waitForSelector(state, { state: 'visible', timeout: 300_000 });
      const stateMs = Date.now() - started;
      await navigation;
      const loadMs = Date.now() - started;
      const pass = stateMs < loadMs;
      ok &&= pass;
      console.log(
        `[slow-link] ${url.padEnd(8)} state readable ${(stateMs / 1000).toFixed(1).padStart(6)} s   interactive (load) ${(loadMs / 1000).toFixed(1).padStart(6)} s   ${(bytes / 1024).toFixed(1)} KB over the link   ${pass ? 'PASS' : 'FAIL'} (state before scripts)`,
      );
      await page.close();
    }
    return ok ? 0 : 1;
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`[slow-link] ${error.message}`);
    process.exit(1);
  },
);
