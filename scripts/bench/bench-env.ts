// What the benchmarks share: their numeric settings from the environment, and a database of their own
// made afresh on each run.
import mysql from 'mysql2/promise';
import { migrateDatabase } from '@/lib/db/migrate';

/** A positive number from the environment (underscores allowed: 200_000), rounded, or `fallback`. */
export function benchNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw ? Number(raw.replace(/_/g, '')) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`);
  return Math.round(value);
}

/** Drops the benchmark's database and migrates it anew; only a database whose name starts with porthole_bench. */
export async function freshBenchDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = parsed.pathname.slice(1);
  if (!name.startsWith('porthole_bench')) throw new Error(`refusing to reset "${name}": bench databases start with porthole_bench`);
  parsed.pathname = '/';
  const server = await mysql.createConnection({ uri: parsed.toString() });
  await server.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await server.end();
  await migrateDatabase(url);
}
