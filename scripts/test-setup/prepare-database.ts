import { createDb } from '@/lib/db/connection';
import { migrateDatabase } from '@/lib/db/migrate';
import mysql from 'mysql2/promise';
import { seedDemo } from '../demo-data';

/** A fresh test database: dropped, migrated and seeded with the demo data, so every run starts equal. */
export async function prepareTestDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = parsed.pathname.slice(1);
  if (!name.endsWith('_test')) throw new Error(`refusing to reset "${name}": test databases end in _test`);
  parsed.pathname = '/';
  const server = await mysql.createConnection({ uri: parsed.toString() });
  await server.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await server.end();
  await migrateDatabase(url);
  const { db, pool } = createDb(url, { connectionLimit: 2 });
  try {
    await seedDemo(db);
  } finally {
    await pool.end();
  }
}
