import { afterEach, describe, expect, it } from 'vitest';
import type { Server } from 'node:http';
import { createRegistry, httpMetrics, metricsPort, processMetricsPort, startMetricsServer } from './registry.mjs';
import { ingesterMetrics, notifierMetrics, pipelineMetrics, provisioningMetrics } from './workers';

const servers: Server[] = [];

/** The value of one series in the text format, whatever order prom-client writes its labels in. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.keys(found).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(m[3]);
  }
  return undefined;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('metricsPort', () => {
  it('defaults when unset, 0 turns it off, nonsense is refused', () => {
    expect(metricsPort(undefined, 9464)).toBe(9464);
    expect(metricsPort('', 9465)).toBe(9465);
    expect(metricsPort('0', 9464)).toBe(0);
    expect(metricsPort('9500', 9464)).toBe(9500);
    expect(() => metricsPort('http', 9464)).toThrow(/METRICS_PORT/);
    expect(() => metricsPort('70000', 9464)).toThrow(/METRICS_PORT/);
  });

  it("gives each process its own default, and a process's own variable wins over the shared one", () => {
    expect(processMetricsPort('web', {})).toBe(9464);
    expect(processMetricsPort('ingester', {})).toBe(9465);
    expect(processMetricsPort('notifier', { METRICS_PORT: '0' })).toBe(0);
    expect(processMetricsPort('ingester', { METRICS_PORT: '9000', INGESTER_METRICS_PORT: '9100' })).toBe(9100);
    expect(processMetricsPort('web', { METRICS_PORT: '9000', INGESTER_METRICS_PORT: '9100' })).toBe(9000);
    expect(processMetricsPort('provisioning', { PROVISIONING_METRICS_PORT: '' })).toBe(9467);
  });
});

describe('the metrics endpoint', () => {
  it('serves the registry on loopback at /metrics in the Prometheus text format, and nothing else', async () => {
    const registry = createRegistry('ingester');
    httpMetrics(registry).observe('GET', '/vms/:vmId', 200, 0.012);
    ingesterMetrics(registry)({ size: 10, stored: 8, duplicates: 1, deadLetters: 1, commitSeconds: 0.004 });
    notifierMetrics(registry)('email', 'sent');
    pipelineMetrics(registry, async () => ({ newestEventAt: new Date(Date.now() - 5_000), deadLetters: 2, notificationBacklog: 3 }));
    const { server, port } = await startMetricsServer(registry, { port: 0 });
    servers.push(server);
    expect(server.address()).toMatchObject({ address: '127.0.0.1' });

    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'porthole_http_request_duration_seconds_count', { process: 'ingester', method: 'GET', route: '/vms/:vmId', status: '200' })).toBe(1);
    expect(sample(text, 'porthole_ingest_events_total', { process: 'ingester', outcome: 'stored' })).toBe(8);
    expect(sample(text, 'porthole_ingest_events_total', { process: 'ingester', outcome: 'duplicate' })).toBe(1);
    expect(sample(text, 'porthole_ingest_dead_letters_total', { process: 'ingester' })).toBe(1);
    expect(sample(text, 'porthole_ingest_batch_size_sum', { process: 'ingester' })).toBe(10);
    expect(sample(text, 'porthole_ingest_commit_seconds_count', { process: 'ingester' })).toBe(1);
    expect(sample(text, 'porthole_notifications_total', { process: 'ingester', channel: 'email', outcome: 'sent' })).toBe(1);
    expect(sample(text, 'porthole_event_lag_seconds', { process: 'ingester' })).toBeGreaterThanOrEqual(4.9);
    expect(sample(text, 'porthole_dead_letters_waiting', { process: 'ingester' })).toBe(2);
    expect(sample(text, 'porthole_notification_backlog', { process: 'ingester' })).toBe(3);
    expect(text).toContain('porthole_process_resident_memory_bytes');

    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(404);
  });

  it('reports the provisioning publisher’s counts as they are at each scrape', async () => {
    const registry = createRegistry('provisioning');
    const stats = { published: 0, publishFailures: 0, replies: 0, deadLetters: 0 };
    provisioningMetrics(registry, stats);
    expect(sample(await registry.metrics(), 'porthole_provisioning_published_total', { process: 'provisioning' })).toBe(0);
    Object.assign(stats, { published: 3, publishFailures: 1, replies: 2, deadLetters: 1 });
    const text = await registry.metrics();
    expect(sample(text, 'porthole_provisioning_published_total', { process: 'provisioning' })).toBe(3);
    expect(sample(text, 'porthole_provisioning_publish_failures_total', { process: 'provisioning' })).toBe(1);
    expect(sample(text, 'porthole_provisioning_replies_total', { process: 'provisioning' })).toBe(2);
    expect(sample(text, 'porthole_provisioning_reply_dead_letters_total', { process: 'provisioning' })).toBe(1);
  });

  it('reports lag and backlog as unknown (NaN, not 0) when the database does not answer, and reads it at most once per cache period', async () => {
    const registry = createRegistry('notifier');
    let reads = 0;
    pipelineMetrics(registry, async () => {
      reads++;
      throw new Error('ECONNREFUSED');
    });
    const text = await registry.metrics();
    await registry.metrics();
    expect(sample(text, 'porthole_event_lag_seconds', { process: 'notifier' })).toBeNaN();
    expect(sample(text, 'porthole_notification_backlog', { process: 'notifier' })).toBeNaN();
    expect(reads).toBe(1);
  });
});
