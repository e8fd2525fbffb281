// What a worker's main entry point starts first: its logger and its metrics endpoint (METRICS_PORT, a
// default per process, 0 for none; METRICS_HOST, loopback by default).
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import { createLogger, type Logger } from './log.mjs';
import { type ProcessName, createRegistry, serveProcessMetrics } from './registry.mjs';

export interface ProcessTelemetry {
  log: Logger;
  registry: Registry;
  /** Starts serving /metrics; resolves once bound (or not, which is logged and never fatal). */
  serve(): Promise<void>;
  close(): Promise<void>;
}

export function processTelemetry(name: ProcessName, env: Record<string, string | undefined> = process.env): ProcessTelemetry {
  const log = createLogger(name, { env });
  const registry = createRegistry(name);
  let server: Server | null = null;
  return {
    log,
    registry,
    async serve() {
      server = await serveProcessMetrics(registry, name, env, log);
    },
    close: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}
