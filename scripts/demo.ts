import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDb } from '@/lib/db/connection';
import { migrateDatabase } from '@/lib/db/migrate';
import { WEB_NODE_FLAGS } from '@/lib/http/web-command';
import { ingesterCommand } from '@/lib/ingest/command';
import { generateVapidKeys } from '@/lib/notify/channels/push';
import { preflight } from '@/lib/preflight';
import { DATA_DIR, PROJECT_ROOT, stackConfig } from './stack/config';
import { DEMO_USERS } from './stack/demo-directory';
import { portIsOpen } from './stack/process';
import { SERVICES, startStack, stopStack } from './stack/stack';
import { seedDemo } from './demo-data';

// `npm run demo`: the whole portal on this machine, with local services and demo data.

const port = Number(process.env.PORT || 3000);
const url = `http://127.0.0.1:${port}`;

/** A secret kept under .data so sessions survive a demo restart; never committed. */
function demoSecret(): string {
  const file = path.join(DATA_DIR, 'nextauth-secret');
  if (!existsSync(file)) {
    mkdirSync(DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/** VAPID keys for the demo's push notifications, made once and kept beside the data. */
function demoVapidKeys(): { publicKey: string; privateKey: string } {
  const file = path.join(DATA_DIR, 'vapid.json');
  if (!existsSync(file)) {
    mkdirSync(DATA_DIR, { recursive: true });
    writeFileSync(file, JSON.stringify(generateVapidKeys()), { mode: 0o600 });
  }
  return JSON.parse(readFileSync(file, 'utf8')) as { publicKey: string; privateKey: string };
}

async function main(): Promise<void> {
  if (await portIsOpen(port)) {
    const health = await fetch(`${url}/api/health`).then((r) => r.json() as Promise<{ status?: string }>).catch(() => null);
    if (health?.status) {
      console.log(`[demo] Porthole is already running at ${url} (health: ${health.status}); not starting a second one.`);
      return;
    }
    throw new Error(`port ${port} is in use by another program; set PORT to run the demo elsewhere`);
  }

  const alreadyUp = await Promise.all(SERVICES.map((s) => s.answers()));
  await startStack();
  const startedStack = alreadyUp.some((up) => !up);

  const vapid = demoVapidKeys();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL ?? `mysql://${stackConfig.dbUser}:${stackConfig.dbPassword}@127.0.0.1:${stackConfig.mariadbPort}/${stackConfig.dbName}`,
    LDAP_URL: process.env.LDAP_URL ?? `ldap://127.0.0.1:${stackConfig.ldapPort}`,
    STOMP_URL: process.env.STOMP_URL ?? `stomp://127.0.0.1:${stackConfig.stompPort}`,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? demoSecret(),
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? url,
    PORT: String(port),
    NODE_ENV: 'production',
    VAPID_PUBLIC_KEY: process.env.VAPID_PUBLIC_KEY ?? vapid.publicKey,
    VAPID_PRIVATE_KEY: process.env.VAPID_PRIVATE_KEY ?? vapid.privateKey,
    // A production build on the stack's demo passwords and placeholder guide values: allowed, with a
    // warning per value at every start (lib/preflight-rules.ts).
    PORTHOLE_ALLOW_DEMO_CONFIG: process.env.PORTHOLE_ALLOW_DEMO_CONFIG ?? '1',
    // Plain lines for a person at a terminal; production writes JSON (README, "Logs").
    LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
  };
  await preflight(env);
  await migrateDatabase(env.DATABASE_URL!);
  const { db, pool } = createDb(env.DATABASE_URL!, { connectionLimit: 2 });
  await seedDemo(db).finally(() => pool.end());

  if (!process.env.PORTHOLE_SKIP_BUILD) {
    console.log('[demo] building the portal (next build)…');
    const build = spawnSync(path.join(PROJECT_ROOT, 'node_modules/.bin/next'), ['build'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('next build failed');
  }

  const children: ChildProcess[] = [];
  const startChild = (name: string, command: string, args: string[]) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env, stdio: 'inherit' });
    child.on('exit', (code, signal) => {
      if (!stopping) {
        console.error(`[demo] ${name} exited (${signal ?? code}); stopping the demo`);
        void stop(1);
      }
    });
    children.push(child);
  };
  startChild('web server', process.execPath, [...WEB_NODE_FLAGS, 'server.mjs']);
  for (const extra of demoProcesses()) startChild(extra.name, extra.command, extra.args);

  const deadline = Date.now() + 60_000;
  while (!(await fetch(`${url}/api/health`).then((r) => r.ok).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`the portal did not become healthy at ${url}/api/health`);
    await new Promise((r) => setTimeout(r, 250));
  }

  console.log(`\n  Porthole is running at ${url}/login\n`);
  console.log('  Demo logins (demo only, never use these passwords anywhere else):');
  for (const user of DEMO_USERS) {
    console.log(`    ${user.uid.padEnd(6)} ${user.password.padEnd(11)} ${user.account ? `customer of ${user.account === 'acme' ? 'Acme Ltd' : 'Globex Corp'}` : 'support staff (/admin)'}`);
  }
  console.log('\n  Press Ctrl-C to stop.\n');

  let stopping = false;
  async function stop(code: number) {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    if (startedStack) await stopStack();
    process.exit(code);
  }
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
}

/**
 * Background processes that run beside the web server: the event ingester, the alert notifier, the
 * provisioning worker, and the demo's stand-in for the host's provisioning system.
 */
function demoProcesses(): Array<{ name: string; command: string; args: string[] }> {
  const tsx = (file: string) => ({ command: process.execPath, args: ['--import', 'tsx', path.join(PROJECT_ROOT, file)] });
  return [
    { name: 'ingester', ...ingesterCommand() },
    { name: 'notifier', ...tsx('lib/notify/main.ts') },
    { name: 'provisioning', ...tsx('lib/plans/main.ts') },
    { name: 'demo-provisioner', ...tsx('scripts/demo-provisioner.ts') },
  ];
}

main().catch((error: Error) => {
  console.error(`[demo] ${error.message}`);
  process.exit(1);
});
