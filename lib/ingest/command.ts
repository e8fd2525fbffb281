import path from 'node:path';

/**
 * Node flags for the ingester process. Every message allocates short-lived objects (frames, rows,
 * SQL text); 64 MB young-generation semi-spaces let most die without being copied, which cut the
 * ingester's CPU by about 15% in `npm run bench:ingest`. `npm run ingester` passes the same flag.
 */
export const INGESTER_NODE_FLAGS = ['--max-semi-space-size=64'] as const;

/** How the demo, the benchmark and the tests start the ingester: the same process as `npm run ingester`. */
export function ingesterCommand(): { command: string; args: string[] } {
  return { command: process.execPath, args: [...INGESTER_NODE_FLAGS, '--import', 'tsx', path.join(import.meta.dirname, 'main.ts')] };
}
