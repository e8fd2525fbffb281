// npm run test:stateless-web — the web tier keeps no local state (README, "Several of everything"): the
// production server (`node server.mjs` on a production build) runs in a mount namespace where the whole
// checkout, its build output included, is mounted read-only, with TMPDIR an empty directory of its own.
// A browser logs in, opens the dashboard, a VM page and its live updates, and the JSON API is asked too;
// every page must answer, the server must log no failed write (EROFS, EACCES, ENOSPC) and TMPDIR must
// still be empty. So any number of instances can run from one image, and a killed one leaves nothing
// behind that the others need. Needs root (unshare --mount) and Debian's Chromium.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { WEB_NODE_FLAGS } from '../../lib/http/web-command';
import { PROJECT_ROOT } from '../stack/config';
import { startStack } from '../stack/stack';
import { E2E_DIST_DIR, E2E_PORT, TEST_ENV } from '../test-setup/test-env';
import { prepareTestDatabase } from '../test-setup/prepare-database';

const base = `http://127.0.0.1:${E2E_PORT}`;
const distDir = path.join(PROJECT_ROOT, E2E_DIST_DIR);
const results: Array<{ what: string; ok: boolean; detail: string }> = [];
const check = (what: string, ok: boolean, detail = '') => {
  results.push({ what, ok, detail });
  console.log(`[stateless-web] ${ok ? 'PASS' : 'FAIL'} ${what}${detail ? `: ${detail}` : ''}`);
};

async function waitReady(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('the server exited during start-up');
    try {
      if ((await fetch(`${base}/api/health/live`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server was not up after 60 s');
}

async function main(): Promise<boolean> {
  if (process.getuid?.() !== 0) throw new Error('needs root: the read-only mount is made with unshare --mount');
  if (!existsSync(path.join(distDir, 'BUILD_ID'))) {
    console.log(`[stateless-web] no production build in ${E2E_DIST_DIR}: building it`);
    const build = spawnSync(path.join(PROJECT_ROOT, 'node_modules/.bin/next'), ['build'], { cwd: PROJECT_ROOT, env: { ...process.env, NEXT_DIST_DIR: E2E_DIST_DIR }, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('next build failed');
  }
  await startStack();
  await prepareTestDatabase(TEST_ENV.DATABASE_URL!);

  const tmp = mkdtempSync(path.join(tmpdir(), 'porthole-stateless-'));
  const logFile = path.join(tmp, '..', `${path.basename(tmp)}.log`);
  // The whole checkout read-only in a mount namespace of its own; nothing outside it changes.
  const script = `mount --bind "$ROOT" "$ROOT" && mount -o remount,bind,ro "$ROOT" && cd "$ROOT" && exec node ${WEB_NODE_FLAGS.join(' ')} server.mjs > "$LOG" 2>&1`;
  const server = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
    env: { ...process.env, ...TEST_ENV, ROOT: PROJECT_ROOT, LOG: logFile, TMPDIR: tmp, NEXT_DIST_DIR: E2E_DIST_DIR, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(E2E_PORT), METRICS_PORT: '0' },
    stdio: 'ignore',
  });
  try {
    await waitReady(server);
    const probe = spawnSync('sh', ['-c', `nsenter -t ${server.pid} -m sh -c 'touch "$0/.write-probe"' "${PROJECT_ROOT}" 2>&1`], { encoding: 'utf8' });
    check('the checkout is read-only for the server', probe.status !== 0 && /Read-only/i.test(probe.stdout), probe.stdout.trim());

    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ baseURL: base });
      await page.goto('/login');
      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill('alice-demo');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 30_000 });
      check('login (LDAP, a session row in MariaDB)', true, page.url());
      const basic = { Authorization: `Basic ${Buffer.from('alice:alice-demo').toString('base64')}` };
      const vms = (await (await page.request.get('/api/v1/vms', { headers: basic })).json()) as { vms?: Array<{ id: number; hostname: string }> };
      const vm = vms.vms?.[0];
      check('the JSON API (HTTP Basic)', vm !== undefined, vm ? vm.hostname : JSON.stringify(vms).slice(0, 200));
      for (const url of ['/', '/alerts', vm ? `/vms/${vm.id}` : '/vms']) {
        const response = await page.goto(url);
        check(`page ${url}`, response?.status() === 200, String(response?.status()));
      }
      await page.waitForTimeout(3_000); // live updates run on the VM page meanwhile
    } finally {
      await browser.close();
    }
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    const writes = log.split('\n').filter((l) => /EROFS|read-only file system|EACCES|ENOSPC/i.test(l));
    check('the server logged no failed write', writes.length === 0, writes.slice(0, 3).join(' | '));
    const left = readdirSync(tmp);
    check('TMPDIR is still empty', left.length === 0, left.slice(0, 5).join(', '));
    check('the server is still running', server.exitCode === null);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode === null ? server.once('exit', r) : r(null)));
    rmSync(tmp, { recursive: true, force: true });
  }
  const ok = results.every((r) => r.ok);
  console.log(ok ? '[stateless-web] PASS: the web tier wrote nothing' : `[stateless-web] FAIL (server log: ${logFile})`);
  return ok;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: Error) => {
    console.error(`[stateless-web] ${error.message}`);
    process.exit(1);
  },
);
