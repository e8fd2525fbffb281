import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from './connection';
import { migrateDatabase } from './migrate';
import { listAccountVms } from './queries/vms';
import { accountByKey } from './queries/onboarding';

// The README's backup and restore, as written there: mariadb-dump of the live database (one consistent
// snapshot while the portal writes), loaded into a fresh database, then `npm run db:migrate` (here:
// migrateDatabase) on it; the portal's own queries then read the same customers, VMs and history.

const source = new URL(process.env.DATABASE_URL!);
const restoredName = `${decodeURIComponent(source.pathname.slice(1))}_restored_test`.replace(/_test_restored_test$/, '_restored_test');
const restored = new URL(source);
restored.pathname = `/${restoredName}`;
const dir = mkdtempSync(path.join(tmpdir(), 'porthole-backup-'));
const client = ['--host', source.hostname, '--port', source.port, '--user', decodeURIComponent(source.username)];
const env = { ...process.env, MYSQL_PWD: decodeURIComponent(source.password) };

async function counts(url: URL): Promise<Record<string, number>> {
  const connection = await mysql.createConnection({ uri: url.toString() });
  try {
    const out: Record<string, number> = {};
    for (const table of ['accounts', 'users', 'vms', 'plans', 'monitoring_events', 'service_states', 'perf_samples', 'audit_log', '__drizzle_migrations']) {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${table}\``);
      out[table] = Number(rows[0]!.n);
    }
    return out;
  } finally {
    await connection.end();
  }
}

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const server = await mysql.createConnection({ uri: new URL('/', source).toString() });
  await server.query(`DROP DATABASE IF EXISTS \`${restoredName}\``);
  await server.end();
});

describe('backup and restore', () => {
  it('a mariadb-dump restored into a fresh database migrates as a no-op and serves the same data', async () => {
    const dump = path.join(dir, 'porthole.sql');
    const before = await counts(source);
    const dumped = spawnSync('mariadb-dump', [...client, '--single-transaction', '--quick', '--routines', '--triggers', '--result-file', dump, decodeURIComponent(source.pathname.slice(1))], { env, encoding: 'utf8' });
    expect(dumped.status, dumped.stderr).toBe(0);
    expect(statSync(dump).size).toBeGreaterThan(10_000);

    const server = await mysql.createConnection({ uri: new URL('/', source).toString() });
    await server.query(`DROP DATABASE IF EXISTS \`${restoredName}\``);
    await server.query(`CREATE DATABASE \`${restoredName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await server.end();
    const loaded = spawnSync('mariadb', [...client, restoredName], { env, input: readFileSync(dump), encoding: 'utf8' });
    expect(loaded.status, loaded.stderr).toBe(0);

    await migrateDatabase(restored.toString());
    expect(await counts(restored)).toEqual(before);

    const { db, pool } = createDb(restored.toString(), { connectionLimit: 2 });
    try {
      const acme = await accountByKey(db, 'acme');
      expect(acme).toMatchObject({ name: 'Acme Ltd' });
      const vms = await listAccountVms(db, acme!.id);
      expect(vms.map((v) => v.hostname)).toEqual(expect.arrayContaining(['web-01.acme.example', 'db-01.acme.example']));
      expect(vms.find((v) => v.hostname === 'web-01.acme.example')?.lastCheckAt).toBeInstanceOf(Date);
    } finally {
      await pool.end();
    }
  });
});
