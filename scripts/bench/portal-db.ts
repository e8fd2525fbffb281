import mysql from 'mysql2/promise';
import { migrateDatabase } from '@/lib/db/migrate';
import {
  type BenchVm,
  EVENT_COLUMNS,
  type PhaseResult,
  SAMPLE_COLUMNS,
  type SeedPlan,
  benchVms,
  dropIndexes,
  generatePhase,
  loadTsv,
  perfChunks,
  restoreIndexes,
  secondaryIndexes,
  sqlTime,
  tableDdl,
} from './portal-seed';
import { freshBenchDatabase } from './bench-env';

// The benchmark's own database: created from the migrations, accounts/VMs inserted, events loaded in
// two phases (the newer half of the history, then the older half) so the VM page can be measured at
// half and at full size in one run.

const DAY = 86_400_000;

export interface BenchDb {
  url: string;
  plan: SeedPlan;
  now: number;
  vms: BenchVm[];
  /** Rows loaded so far. */
  events: number;
}

const log = (message: string) => console.log(`[bench] ${message}`);

async function connect(url: string) {
  return mysql.createConnection({ uri: url, timezone: 'Z', multipleStatements: false });
}

/** Drops and re-creates the database, then accounts, plans, VMs (the heavy one in acme's account). */
export async function createBenchDb(url: string, plan: SeedPlan, now: number): Promise<BenchDb> {
  await freshBenchDatabase(url);

  const vmsList = benchVms(plan);
  const conn = await connect(url);
  try {
    await conn.query(`INSERT INTO plans (slug, name, vcpus, memory_mb, disk_gb, transfer_gb, price_cents, sort_order) VALUES ('medium', 'Medium', 2, 4096, 80, 3000, 2000, 1)`);
    // acme (alice) owns the heavy VM only, so its account has exactly heavyServices services;
    // globex (bob) owns `accountVms` ordinary VMs (the big account's dashboard); the rest go to bench
    // accounts of five VMs each.
    const created = `'${sqlTime(now - 400 * DAY)}'`;
    const accountsSql = [`('acme', 'Acme Ltd', ${created})`, `('globex', 'Globex Corp', ${created})`];
    const big = Math.max(1, Math.min(plan.accountVms, vmsList.length - 1));
    const benchAccounts = Math.ceil(Math.max(0, vmsList.length - 1 - big) / 5);
    for (let i = 1; i <= benchAccounts; i++) accountsSql.push(`('bench-${i}', 'Bench customer ${i}', ${created})`);
    await conn.query(`INSERT INTO accounts (slug, name, created_at) VALUES ${accountsSql.join(', ')}`);
    const values = vmsList.map((vm, i) => {
      const account = i === 0 ? 1 : i <= big ? 2 : 3 + Math.floor((i - 1 - big) / 5);
      return `(${vm.id}, ${account}, '${vm.name}', '${vm.name}', '${vm.address}', '22.04', 1, '${sqlTime(now - 400 * DAY)}')`;
    });
    for (let i = 0; i < values.length; i += 1000) {
      await conn.query(`INSERT INTO vms (id, account_id, nagios_host_name, hostname, address, ubuntu_release, plan_id, created_at) VALUES ${values.slice(i, i + 1000).join(', ')}`);
    }
  } finally {
    await conn.end();
  }
  return { url, plan, now, vms: vmsList, events: 0 };
}

/** Written when both phases are loaded: what BENCH_REUSE=1 checks before it skips the seeding. */
export async function markSeeded(bench: BenchDb): Promise<void> {
  const conn = await connect(bench.url);
  try {
    await conn.query('CREATE TABLE IF NOT EXISTS bench_meta (plan JSON NOT NULL, seeded_now BIGINT NOT NULL, events BIGINT NOT NULL)');
    await conn.query('DELETE FROM bench_meta');
    await conn.query('INSERT INTO bench_meta VALUES (?, ?, ?)', [JSON.stringify(bench.plan), bench.now, bench.events]);
  } finally {
    await conn.end();
  }
}

/**
 * BENCH_REUSE=1: the database a previous run seeded with the same plan, brought to the current
 * migrations (safe to repeat); null when there is none (or another plan), so the caller seeds afresh.
 */
export async function reuseBenchDb(url: string, plan: SeedPlan): Promise<BenchDb | null> {
  let conn: mysql.Connection;
  try {
    conn = await connect(url);
  } catch {
    return null; // no such database yet
  }
  try {
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT plan, seeded_now, events FROM bench_meta').catch(() => [[]] as unknown as [mysql.RowDataPacket[]]);
    const row = rows[0];
    if (!row) return null;
    const stored = (typeof row.plan === 'string' ? JSON.parse(row.plan) : row.plan) as SeedPlan;
    if (JSON.stringify(stored) !== JSON.stringify(plan)) {
      log(`the seeded database has another plan (${JSON.stringify(stored)}): seeding afresh`);
      return null;
    }
    await migrateDatabase(url);
    return { url, plan, now: Number(row.seeded_now), vms: benchVms(plan), events: Number(row.events) };
  } finally {
    await conn.end();
  }
}

async function withoutIndexes<T>(conn: mysql.Connection, table: string, load: () => Promise<T>): Promise<T> {
  const ddl = await tableDdl(conn, table);
  const defs = await secondaryIndexes(conn, table);
  await dropIndexes(conn, table, defs);
  const result = await load();
  const started = Date.now();
  await restoreIndexes(conn, table, defs, ddl);
  log(`  ${table}: ${defs.length} secondary indexes rebuilt in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  await conn.query(`ANALYZE TABLE \`${table}\``);
  return result;
}

/** Loads one half of the history: "recent" = the newer half (with current states and perfdata), "older" = the rest. */
export async function seedPhase(bench: BenchDb, phase: 'recent' | 'older'): Promise<void> {
  const { plan, now } = bench;
  const half = (plan.days * DAY) / 2;
  const span = phase === 'recent' ? { from: now - half, to: now - 60_000 } : { from: now - 2 * half, to: now - half };
  const conn = await connect(bench.url);
  const started = Date.now();
  try {
    let loaded = 0;
    let lastReport = Date.now();
    const result: PhaseResult = await withoutIndexes(conn, 'monitoring_events', async () => 
    {
      // One chunk loads while the next is generated.
      let inflight: Promise<void> = Promise.resolve();
      const generated = await generatePhase(bench.vms, { ...span, firstId: bench.events + 1, seed: phase === 'recent' ? 1 : 2 }, async (tsv, rows) => {
        await inflight;
        inflight = loadTsv(conn, 'monitoring_events', EVENT_COLUMNS, tsv).then(() => {
          loaded += rows;
          if (Date.now() - lastReport > 15_000) {
            lastReport = Date.now();
            log(`  ${phase}: ${loaded.toLocaleString('en')} events loaded (${((Date.now() - started) / 1000).toFixed(0)} s)`);
          }
        });
      });
      await inflight;
      return generated;
    });
    bench.events += result.rows;
    if (phase === 'recent') {
      await insertStates(conn, bench, result);
      await withoutIndexes(conn, 'perf_samples', async () => {
        for await (const [tsv] of perfChunks(bench.vms, now, plan.perfDays, 1)) await loadTsv(conn, 'perf_samples', SAMPLE_COLUMNS, tsv);
      });
    }
    log(`${phase} half: ${result.rows.toLocaleString('en')} events in ${((Date.now() - started) / 1000).toFixed(0)} s; ${bench.events.toLocaleString('en')} in all`);
  } finally {
    await conn.end();
  }
}

/** The current state of every host and service: the last event of the newest phase. */
async function insertStates(conn: mysql.Connection, bench: BenchDb, result: PhaseResult): Promise<void> {
  const byId = new Map(bench.vms.map((vm) => [vm.id, vm]));
  const rows: string[] = [];
  for (const [key, s] of result.lastState) {
    const [vmId, service] = key.split('\0') as [string, string];
    const vm = byId.get(Number(vmId))!;
    const esc = (v: string) => conn.escape(v);
    rows.push(
      `(${esc(vm.address)}, ${esc(service)}, ${vm.id}, '${service === '' ? 'host' : 'service'}', '${sqlTime(s.at)}', ${esc(s.state)}, '${s.type}', ${s.attempt}, 3, ${esc(s.output)}, '${sqlTime(s.at)}', '${sqlTime(bench.now - 120_000)}')`,
    );
  }
  for (let i = 0; i < rows.length; i += 2000) {
    await conn.query(
      `INSERT INTO service_states (hostname, service, vm_id, kind, state_since, state, state_type, attempt, max_attempts, output, last_event_at, last_check_at) VALUES ${rows.slice(i, i + 2000).join(', ')}`,
    );
  }
}
