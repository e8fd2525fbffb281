// What the benchmarks share: their numeric settings from the environment, and a database of their own
// made afresh on each run.
import { recreateDatabase } from '../test-setup/prepare-database';

/** A positive number from the environment (underscores allowed: 200_000), rounded, or `fallback`. */
export function benchNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw ? Number(raw.replace(/_/g, '')) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`);
  return Math.round(value);
}

/** Drops the benchmark's database and migrates it anew; only a database whose name starts with porthole_bench. */
export function freshBenchDatabase(url: string): Promise<void> {
  return recreateDatabase(url, (name) => name.startsWith('porthole_bench'), 'bench databases start with porthole_bench');
}
