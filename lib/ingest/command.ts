import path from 'node:path';

/**
 * Node flags for the ingester process. Every message allocates short-lived objects (frames, rows,
 * SQL text); 64 MB young-generation semi-spaces let most die without being copied, which cut the
 * ingester's CPU by about 15% in `npm run bench:ingest`. `npm run ingester` passes the same flag.
 */
export const INGESTER_NODE_FLAGS = ['--max-semi-space-size=64'] as const;

/** The bundle `npm run build` writes (scripts/build-processes.ts), which production runs. */
export const INGESTER_BUNDLE = path.join(import.meta.dirname, '../../dist/ingester.js');

export interface IngesterCommandOptions {
  /**
   * Run the built bundle (dist/ingester.js, what `npm run ingester` runs) rather than the TypeScript
   * source through tsx. The demo, the benchmark and the tests use the source, so they need no build and
   * always run the code as it is now.
   */
  built?: boolean;
}

/** How the demo, the benchmark and the tests start the ingester: the same process as `npm run ingester`. */
export function ingesterCommand({ built = false }: IngesterCommandOptions = {}): { command: string; args: string[] } {
  const entry = built ? [INGESTER_BUNDLE] : ['--import', 'tsx', path.join(import.meta.dirname, 'main.ts')];
  return { command: process.execPath, args: [...INGESTER_NODE_FLAGS, ...entry] };
}
