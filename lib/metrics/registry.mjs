// Prometheus metrics for every Porthole process (prom-client): one registry per process, labelled with
// the process's name, served on a port of its own that is bound to loopback unless METRICS_HOST says
// otherwise, so that /metrics is never reachable through the public port. Plain JavaScript (server.mjs
// imports it without a loader), typed by registry.d.mts.
import { createServer } from 'node:http';
import client from 'prom-client';

/** Where each process serves /metrics unless METRICS_PORT says otherwise (0: not at all). */
export const DEFAULT_METRICS_PORTS = { web: 9464, ingester: 9465, notifier: 9466, provisioning: 9467 };

/** METRICS_PORT as a port number, `fallback` when unset or empty; 0 turns the endpoint off. */
export function metricsPort(text, fallback) {
  if (text === undefined || String(text).trim() === '') return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`METRICS_PORT must be a port number or 0, not "${text}"`);
  return port;
}

/** A registry whose every series carries `process`, with node's default metrics (heap, event loop lag, GC). */
export function createRegistry(processName) {
  const registry = new client.Registry();
  registry.setDefaultLabels({ process: processName });
  client.collectDefaultMetrics({ register: registry, prefix: 'porthole_' });
  return registry;
}

// Seconds, from a cached page (a few ms) to a slow report or a long poll.
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The web server's request histogram, labelled by method, normalised route (lib/metrics/route.mjs) and status. */
export function httpMetrics(registry) {
  const duration = new client.Histogram({
    name: 'porthole_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status: time from arrival to the response finished (live streams count while open).',
    labelNames: ['method', 'route', 'status'],
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  return {
    observe(method, route, status, seconds) {
      duration.observe({ method: METHODS.has(method) ? method : 'OTHER', route, status: String(status) }, seconds);
    },
  };
}

/**
 * porthole_db_queries_total: the statements the process sent to the database (counted by
 * lib/db/connection.ts on globalThis, read at scrape time).
 */
export function dbQueryMetric(registry) {
  return new client.Counter({
    name: 'porthole_db_queries_total',
    help: 'Statements this process sent to the database.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(globalThis.__portholeDbQueries ?? 0);
    },
  });
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Serves GET /metrics from `registry` on host:port (anything else: 404). Resolves with the server and the
 * port it bound (port 0 is not "off" here: the caller decides that; tests pass 0 for an ephemeral port).
 */
export function startMetricsServer(registry, { port, host = '127.0.0.1' }) {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      return res.end('Not found: metrics are at /metrics.\n');
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error) => {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`Metrics failed: ${error.message}\n`);
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : port });
    });
  });
}

/**
 * The process's metrics port: <NAME>_METRICS_PORT (INGESTER_METRICS_PORT, …: what a shared env file such as
 * /etc/porthole/porthole.env sets), else METRICS_PORT (one process started by hand), else its default.
 */
export function processMetricsPort(processName, env) {
  const own = env[`${processName.toUpperCase()}_METRICS_PORT`];
  const text = own !== undefined && String(own).trim() !== '' ? own : env.METRICS_PORT;
  return metricsPort(text, DEFAULT_METRICS_PORTS[processName] ?? 0);
}

/**
 * The process's metrics endpoint on processMetricsPort and METRICS_HOST (loopback), or null when the port is 0.
 * A port already in use is reported and the process carries on without metrics: they must never stop it.
 */
export async function serveProcessMetrics(registry, processName, env, log) {
  const port = processMetricsPort(processName, env);
  if (port === 0) return null;
  const host = env.METRICS_HOST || '127.0.0.1';
  try {
    const started = await startMetricsServer(registry, { port, host });
    log.info({ metricsPort: started.port, metricsHost: host }, `metrics on http://${host}:${started.port}/metrics`);
    return started.server;
  } catch (error) {
    log.error({ err: error }, `metrics not served on ${host}:${port}: ${error.message}`);
    return null;
  }
}

