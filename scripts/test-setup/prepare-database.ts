import { createDb } from '@/lib/db/connection';
import { migrateDatabase } from '@/lib/db/migrate';
import mysql from 'mysql2/promise';
import { seedDemo } from '../demo-data';

/**
 * Drops the database of `url` and migrates it anew (the tests' and the benchmarks' own databases); refuses
 * any database whose name `allowed` rejects, saying `rule`.
 */
export async function recreateDatabase(url: string, allowed: (name: string) => boolean, rule: string): Promise<void> {
  const parsed = new URL(url);
  const name = parsed.pathname.slice(1);
  if (!allowed(name)) throw new Error(`refusing to reset "${name}": ${rule}`);
  parsed.pathname = '/';
  const server = await mysql.createConnection({ uri: parsed.toString() });
  await server.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await server.end();
  await migrateDatabase(url);
}

/** A fresh test database: dropped, migrated and seeded with the demo data, so every run starts equal. */
export async function prepareTestDatabase(url: string): Promise<void> {
  await recreateDatabase(url, (name) => name.endsWith('_test'), 'test databases end in _test');
  const { db, pool } = createDb(url, { connectionLimit: 2 });
  try {
    await seedDemo(db);
  } finally {
    await pool.end();
  }
}
