import http from 'node:http';

// A small HTTP load generator for the portal benchmark: keep-alive connections, full bodies read,
// any non-200 answer counted (and fatal when measuring latency, so a broken page never looks fast).

export interface Target {
  port: number;
  path: string;
  headers?: Record<string, string>;
}

function request(agent: http.Agent, target: Target): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: target.port, path: target.path, headers: target.headers, agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
  });
}

/** `n` requests one after another on one connection; milliseconds each. */
export async function latencies(target: Target, n: number): Promise<{ ms: number[]; bytes: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ms: number[] = [];
  let bytes = 0;
  try {
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      const r = await request(agent, target);
      ms.push(performance.now() - started);
      if (r.status !== 200) throw new Error(`${target.path} answered ${r.status}`);
      bytes = r.bytes;
    }
  } finally {
    agent.destroy();
  }
  return { ms, bytes };
}

/** `connections` clients sending back-to-back requests for `seconds`; completed requests per second. */
export async function throughput(target: Target, connections: number, seconds: number): Promise<{ rps: number; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const until = performance.now() + seconds * 1000;
  let done = 0;
  let errors = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < until) {
          try {
            const r = await request(agent, target);
            if (r.status === 200) done++;
            else errors++;
          } catch {
            errors++;
          }
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return { rps: done / ((performance.now() - started) / 1000), errors };
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
