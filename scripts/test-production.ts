import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { INGESTER_NODE_FLAGS } from '@/lib/ingest/command';
import { WEB_NODE_FLAGS } from '@/lib/http/web-command';
import { PROJECT_ROOT, stackConfig } from './stack/config';
import { startStack } from './stack/stack';

// `npm run test:production` (not part of `npm test`): what a production host does, from a fresh clone of the
// committed HEAD: `npm ci && npm run build`, `npm prune --omit=dev`, then the built migrations, web server
// and ingester against the local stack, and one event published with the built Nagios command that must
// reach the VM's page. Nothing of the dev dependencies (tsx, esbuild, vitest, TypeScript) is left to help.
// PASS/FAIL per step; everything it started and the clone are removed at the end (PORTHOLE_KEEP_CLONE=1 keeps
// the clone for a look; PRODCHECK_REF checks another commit).

const DATABASE = process.env.PRODCHECK_DATABASE || 'porthole_prodcheck';
/** The commit to check (a release tag, say); the committed HEAD unless told. */
const REF = process.env.PRODCHECK_REF || 'HEAD';
// Not @playwright/test: next lists it as an optional peer dependency, so npm keeps it when pruning (nothing
// at run time loads it).
const DEV_ONLY = ['tsx', 'esbuild', 'vitest', 'typescript', 'drizzle-kit', 'eslint'];
const { dbUser, dbPassword, mariadbPort, ldapPort, stompPort } = stackConfig;
const serverUrl = `mysql://${dbUser}:${dbPassword}@127.0.0.1:${mariadbPort}`;
const nonce = randomBytes(6).toString('hex');
const VM = { hostname: `prodcheck-${nonce}.acme.example`, address: '10.250.0.7' };
const EVENT = { service: 'Prodcheck HTTP', state: 'CRITICAL', output: `CRITICAL - prodcheck ${nonce} answered 503` };

type Env = Record<string, string | undefined>;

const work = mkdtempSync(path.join(tmpdir(), 'porthole-prodcheck-'));
const clone = path.join(work, 'porthole');
const children: ChildProcess[] = [];
/** npm ci, the build, …: in groups of their own, so an interrupted run stops them in cleanUp. */
const oneShots: ChildProcess[] = [];
let failed = false;

function step(name: string, ok: boolean, detail = ''): void {
  console.log(`[test:production] ${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
  if (!ok) {
    failed = true;
    throw new Error(`${name} failed`);
  }
}

/** Runs a command to its end; its output goes to ours, prefixed by nothing (npm and next print enough). */
function run(command: string, args: string[], env: Env, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: clone, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    oneShots.push(child);
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/**
 * Starts a long-running process in its own process group, with node itself as the group's leader: as a
 * service manager runs it. (Under `npm run`, npm hands SIGTERM to the shell it forks, which dies and leaves
 * node running; systemd's default of signalling the whole group copes, a plain `kill PID` does not.)
 */
function start(name: string, args: string[], env: Env): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, args, { cwd: clone, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let text = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      for (const line of chunk.toString().split('\n')) if (line.trim()) console.log(`  [${name}] ${line}`);
    });
  }
  children.push(child);
  return { child, output: () => text };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Stops a started process with SIGTERM; whatever of its group is left after 15 s, or after it exits, is killed. */
function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group is gone, as it should be
      }
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function sql(database: string | null, statements: Array<[string, unknown[]?]>): Promise<unknown[]> {
  const connection = await mysql.createConnection({ uri: `${serverUrl}/${database ?? ''}` });
  try {
    const results: unknown[] = [];
    for (const [text, values] of statements) results.push((await connection.query(text, values))[0]);
    return results;
  } finally {
    await connection.end();
  }
}

/** The portal's own login: next-auth's CSRF round trip and credentials callback, as a browser does it. */
async function logIn(base: string, username: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrf = await fetch(`${base}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const callback = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: header(), Origin: base },
    body: new URLSearchParams({ username, password, csrfToken, callbackUrl: `${base}/`, json: 'true' }),
  });
  keep(callback);
  if (![...jar.keys()].some((name) => name.includes('session-token') && jar.get(name))) {
    throw new Error(`no session cookie after the credentials callback (HTTP ${callback.status})`);
  }
  return header();
}

async function main(): Promise<void> {
  const started = Date.now();
  await startStack();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const spool = path.join(work, 'spool');
  mkdirSync(spool);
  // A clean environment: nothing from a test run (NEXT_DIST_DIR, TEST_DATABASE, …) leaks into the clone.
  const buildEnv: Env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: process.env.LANG ?? 'C.UTF-8',
    ...(process.env.npm_config_cache ? { npm_config_cache: process.env.npm_config_cache } : {}),
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: `${serverUrl}/${DATABASE}`,
    LDAP_URL: `ldap://127.0.0.1:${ldapPort}`,
    STOMP_URL: `stomp://127.0.0.1:${stompPort}`,
    EVENTS_DESTINATION: `/queue/prodcheck.nagios.events.${nonce}`,
    NEXTAUTH_SECRET: randomBytes(32).toString('base64'),
    NEXTAUTH_URL: base,
    PORT: String(port),
    HOST: '127.0.0.1',
    INGEST_INSTANCE: `prodcheck-${nonce}`,
    // The local stack's directory and database run on their demo passwords, which a production start
    // refuses unless told (lib/preflight-rules.ts); the secret above is a fresh one.
    PORTHOLE_ALLOW_DEMO_CONFIG: '1',
    // The running stack's processes hold the default metrics ports.
    METRICS_PORT: '0',
  };
  // Installed and built as a developer would (NODE_ENV=production would make `npm ci` skip the dev
  // dependencies the build needs), run as production.
  const env: Env = { ...buildEnv, NODE_ENV: 'production' };

  const cloned = (await runIn(work, 'git', ['clone', '--quiet', PROJECT_ROOT, clone], buildEnv, 120_000)) === 0;
  const checkedOut = cloned && (await runIn(clone, 'git', ['checkout', '--quiet', '--detach', REF], buildEnv, 60_000)) === 0;
  step(`fresh clone of ${REF}`, checkedOut, clone);
  // --prefer-offline: packages already in npm's cache are not fetched again (same lock file, same bytes).
  step('npm ci', (await run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], buildEnv, 300_000)) === 0);
  step('npm run build', (await run('npm', ['run', 'build'], buildEnv, 480_000)) === 0);
  const built = ['dist/ingester.js', 'dist/migrate.js', 'dist/bin/notify-service-by-stomp', '.next/BUILD_ID'];
  const missing = built.filter((file) => !existsSync(path.join(clone, file)));
  step('build output', missing.length === 0, missing.length ? `missing ${missing.join(', ')}` : built.join(', '));
  step('npm prune --omit=dev', (await run('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], env, 180_000)) === 0);
  const left = DEV_ONLY.filter((name) => existsSync(path.join(clone, 'node_modules', name)));
  step('no dev dependency left in node_modules', left.length === 0, left.length ? left.join(', ') : `none of ${DEV_ONLY.join(', ')}`);

  await sql(null, [[`DROP DATABASE IF EXISTS \`${DATABASE}\``]]);
  step('built migrations (npm run db:migrate) on a fresh database', (await run('npm', ['run', 'db:migrate'], env, 60_000)) === 0, DATABASE);
  const [tables] = (await sql(DATABASE, [['SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ?', [DATABASE]]])) as Array<Array<{ n: number }>>;
  step('schema created', Number(tables?.[0]?.n) > 5, `${tables?.[0]?.n} tables`);

  // The smallest data an event can land on: Acme (alice's account in the demo directory), a plan, one VM.
  // Seeding is a demo task (tsx), so it is done here rather than with the pruned clone.
  await sql(DATABASE, [
    ["INSERT INTO plans (slug, name, vcpus, memory_mb, disk_gb, transfer_gb, price_cents) VALUES ('prodcheck', 'Prodcheck', 1, 1024, 10, 100, 500)"],
    ["INSERT INTO accounts (slug, name, created_at) VALUES ('acme', 'Acme Ltd', NOW())"],
    [
      "INSERT INTO vms (account_id, nagios_host_name, hostname, address, ubuntu_release, plan_id, created_at) SELECT a.id, ?, ?, ?, '24.04', p.id, NOW() FROM accounts a, plans p WHERE a.slug = 'acme' AND p.slug = 'prodcheck'",
      [VM.hostname, VM.hostname, VM.address],
    ],
  ]);
  const [vmRows] = (await sql(DATABASE, [['SELECT id FROM vms WHERE hostname = ?', [VM.hostname]]])) as Array<Array<{ id: number }>>;
  const vmId = vmRows?.[0]?.id;
  step('minimal data inserted', typeof vmId === 'number', `VM ${vmId} ${VM.hostname}`);

  const web = start('web', [...WEB_NODE_FLAGS, 'server.mjs'], env);
  const health = await until('the web server to answer /api/health', 90_000, async () => {
    if (web.child.exitCode !== null) throw new Error('exited');
    const response = await fetch(`${base}/api/health`);
    return response.ok ? ((await response.json()) as { status: string; checks: Record<string, string> }) : null;
  }).catch((error: Error) => error);
  step('built web server (node server.mjs) healthy', !(health instanceof Error), health instanceof Error ? health.message : JSON.stringify(health));

  // What `npm run ingester` runs (checked), started without npm in between.
  const ingesterArgs = [...INGESTER_NODE_FLAGS, 'dist/ingester.js'];
  const manifest = JSON.parse(readFileSync(path.join(clone, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  step('npm run ingester runs the bundle', manifest.scripts.ingester === `node ${ingesterArgs.join(' ')}`, manifest.scripts.ingester);
  const ingester = start('ingester', ingesterArgs, env);
  const connected = await until('the ingester to connect', 30_000, async () => {
    if (ingester.child.exitCode !== null) throw new Error('exited');
    return /"process":"ingester".*"msg":"connected/.test(ingester.output());
  }).catch((error: Error) => error);
  step(`built ingester (node ${ingesterArgs.join(' ')}) consuming`, connected === true, env.EVENTS_DESTINATION);

  const publish = await run(
    process.execPath,
    ['dist/bin/notify-service-by-stomp', `127.0.0.1:${stompPort}`, env.EVENTS_DESTINATION!, VM.address, EVENT.service, EVENT.state, 'HARD', '0', '3', '3', EVENT.output, 'time=0.5s;1;2'],
    { ...env, PORTHOLE_SPOOL_DIR: spool, PORTHOLE_SOURCE: 'prodcheck' },
    30_000,
  );
  const spooled = readdirSync(spool).length;
  step('event published with the built CLI', publish === 0 && spooled === 0, spooled ? `${spooled} file(s) spooled instead of sent` : `${EVENT.service} ${EVENT.state}`);

  const auth = `Basic ${Buffer.from('alice:alice-demo').toString('base64')}`;
  const state = await until('the VM to turn CRITICAL in /api/v1', 30_000, async () => {
    const body = (await (await fetch(`${base}/api/v1/vms/${vmId}`, { headers: { Authorization: auth } })).json()) as { vm?: { state?: { worst?: string } } };
    return body.vm?.state?.worst === EVENT.state ? body.vm.state : null;
  }).catch((error: Error) => error);
  step('the event reached /api/v1/vms/:id', !(state instanceof Error), state instanceof Error ? state.message : JSON.stringify(state));

  const cookie = await logIn(base, 'alice', 'alice-demo');
  const page = await fetch(`${base}/vms/${vmId}`, { headers: { Cookie: cookie }, redirect: 'manual' });
  const html = await page.text();
  step("the event's output is on the VM's page (logged in as alice)", page.status === 200 && html.includes(EVENT.output), `HTTP ${page.status}`);

  const ingesterExit = await stop(ingester.child);
  step('ingester stops cleanly on SIGTERM', ingesterExit === 0, `exit ${ingesterExit}`);
  console.log(`[test:production] all steps passed in ${Math.round((Date.now() - started) / 1000)} s`);
}

function runIn(cwd: string, command: string, args: string[], env: Env, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function cleanUp(): Promise<void> {
  for (const child of oneShots) killGroup(child, 'SIGKILL');
  await Promise.all(children.map(stop));
  await sql(null, [[`DROP DATABASE IF EXISTS \`${DATABASE}\``]]).catch((error: Error) => console.error(`[test:production] could not drop ${DATABASE}: ${error.message}`));
  if (process.env.PORTHOLE_KEEP_CLONE) console.log(`[test:production] kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`[test:production] ${signal}: cleaning up`);
    void cleanUp().then(() => process.exit(1));
  });
}

main()
  .catch((error: Error) => {
    if (!failed) console.log(`[test:production] FAIL ${error.message}`);
    failed = true;
  })
  .then(async () => {
    if (interrupted) return;
    await cleanUp();
    console.log(`[test:production] ${failed ? 'FAIL' : 'PASS'}`);
    process.exit(failed ? 1 : 0);
  });
