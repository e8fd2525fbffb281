// Types for registry.mjs (plain JavaScript so that server.mjs can import it without a loader).
import type { Server } from 'node:http';
import type { Registry } from 'prom-client';

export type ProcessName = 'web' | 'ingester' | 'notifier' | 'provisioning';
export declare const DEFAULT_METRICS_PORTS: Record<ProcessName, number>;
export declare function metricsPort(text: string | undefined, fallback: number): number;
export declare function processMetricsPort(processName: string, env: Record<string, string | undefined>): number;
export declare function createRegistry(processName: string): Registry;
export interface HttpMetrics {
  observe(method: string, route: string, status: number, seconds: number): void;
}
export declare function httpMetrics(registry: Registry): HttpMetrics;
export declare function dbQueryMetric(registry: Registry): unknown;
export declare function startMetricsServer(registry: Registry, options: { port: number; host?: string }): Promise<{ server: Server; port: number }>;
interface MetricsLog {
  info(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}
export declare function serveProcessMetrics(
  registry: Registry,
  processName: string,
  env: Record<string, string | undefined>,
  log: MetricsLog,
): Promise<Server | null>;
