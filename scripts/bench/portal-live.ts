import http from 'node:http';
import { createDb } from '@/lib/db/connection';
import { type EventToStore, storeBatch } from '@/lib/db/queries/event-store';
import { type Target, latencies } from './portal-load';

// The live part of bench:portal: N open VM pages (each one live stream, as the page opens it) while
// events arrive for that VM, and what it costs the portal's database: porthole_db_queries_total of the
// web process (lib/db/connection.ts counts every statement), read from its metrics port before and after.

export interface LiveLoad {
  pages: number;
  seconds: number;
  eventsStored: number;
  /** Delta messages received over all streams. */
  deltas: number;
  queriesPerSecond: number;
  /** A new visitor's page loads during the load. */
  visitor: number[];
}

async function queryCount(metricsPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const m = /^porthole_db_queries_total(?:\{[^}]*\})? (\d+(?:\.\d+)?)/m.exec(text);
  if (!m) throw new Error('the portal serves no porthole_db_queries_total');
  return Number(m[1]);
}

function openStream(port: number, path: string, headers: Record<string, string>, onDelta: () => void): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers: { ...headers, Accept: 'text/event-stream' }, agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`${path} answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          if (buffer.slice(0, i).includes('event: delta')) onDelta();
          buffer = buffer.slice(i + 2);
        }
      });
      res.on('error', () => undefined);
      resolve(req);
    });
    req.on('error', (e) => reject(e));
  });
}

export async function liveLoad(options: {
  databaseUrl: string;
  webPort: number;
  metricsPort: number;
  vmId: number;
  host: { hostname: string; services: string[] };
  cookie: string;
  pages: number;
  eventsPerSecond: number;
  seconds: number;
  visitor: Target;
  visitorRequests: number;
}): Promise<LiveLoad> {
  const { db, pool } = createDb(options.databaseUrl, { connectionLimit: 2 });
  let deltas = 0;
  const streams: http.ClientRequest[] = [];
  let stored = 0;
  let stopped = false;
  let n = 0;
  const run = `${Date.now().toString(36)}-${options.pages}`;
  // 50 events/s as 5 every 100 ms: state changes of the VM's services, as the ingester stores them.
  const inject = async () => {
    const perTick = Math.max(1, Math.round(options.eventsPerSecond / 10));
    while (!stopped) {
      const started = Date.now();
      const events: EventToStore[] = Array.from({ length: perTick }, () => {
        n++;
        const service = options.host.services[n % options.host.services.length]!;
        const bad = Math.floor(n / options.host.services.length) % 2 === 0;
        return {
          key: `bench-live-${run}-${n}`.padEnd(64, 'x'),
          check: false,
          kind: 'service',
          hostname: options.host.hostname,
          hostName: options.host.hostname,
          address: null,
          service,
          state: bad ? 'WARNING' : 'OK',
          stateType: 'HARD',
          stateDurationSec: 0,
          attempt: 1,
          maxAttempts: 3,
          occurredAt: new Date(),
          output: `${service} ${bad ? 'WARNING - bench' : 'OK - bench'}`,
          samples: [],
        };
      });
      await storeBatch(db, { events });
      stored += events.length;
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - started))));
    }
  };
  try {
    const path = `/api/v1/vms/${options.vmId}/stream?view=page`;
    for (let i = 0; i < options.pages; i++) streams.push(await openStream(options.webPort, path, { Cookie: options.cookie }, () => deltas++));
    const injecting = inject();
    // Settle (every stream subscribed, the poller running), then count.
    await new Promise((r) => setTimeout(r, 3_000));
    const q0 = await queryCount(options.metricsPort);
    const t0 = performance.now();
    const d0 = deltas;
    const s0 = stored;
    await new Promise((r) => setTimeout(r, options.seconds * 1000));
    const elapsed = (performance.now() - t0) / 1000;
    const q1 = await queryCount(options.metricsPort);
    const d1 = deltas;
    const s1 = stored;
    // Then a new visitor's page loads while the load goes on (not in the query count above).
    const visitor = options.visitorRequests > 0 ? (await latencies(options.visitor, options.visitorRequests)).ms : [];
    stopped = true;
    await injecting;
    return { pages: options.pages, seconds: elapsed, eventsStored: s1 - s0, deltas: d1 - d0, queriesPerSecond: (q1 - q0) / elapsed, visitor };
  } finally {
    stopped = true;
    for (const s of streams) s.destroy();
    await pool.end();
  }
}
