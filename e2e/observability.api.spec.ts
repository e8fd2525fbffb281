import http from 'node:http';
import { expect, test } from '@playwright/test';
import { E2E_METRICS_PORT, E2E_PORT } from '../scripts/test-setup/test-env';
import { storageState } from './fixtures';

// Request ids, and Prometheus metrics on their own loopback port, never the public one (server.mjs,
// lib/metrics/). The test server trusts 127.0.0.2 (TRUSTED_PROXY_IPS); 127.0.0.1 is an ordinary client.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function get(port: number, path: string, { localAddress = '127.0.0.1', headers = {} }: { localAddress?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, localAddress, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

test.describe('/metrics on the public port', () => {
  test('is no page: a logged-out client is sent to the login', async () => {
    const res = await get(E2E_PORT, '/metrics');
    expect(res.status).toBe(307);
    expect(res.body).not.toContain('porthole_');
  });

  test.describe('logged in as staff', () => {
    test.use({ storageState: storageState('carol') });
    test('is 404', async ({ request }) => {
      const res = await request.get('/metrics', { maxRedirects: 0 });
      expect(res.status()).toBe(404);
      expect(await res.text()).not.toContain('porthole_http_request_duration_seconds');
    });
  });
});

test("every response carries a request id; a client's own is replaced unless it comes through the trusted front end", async () => {
  const plain = await get(E2E_PORT, '/api/health/live');
  expect(plain.headers['x-request-id']).toMatch(UUID);
  const forged = await get(E2E_PORT, '/api/health/live', { headers: { 'X-Request-Id': 'forged-by-client' } });
  expect(forged.headers['x-request-id']).toMatch(UUID);
  const trusted = await get(E2E_PORT, '/api/health/live', { localAddress: '127.0.0.2', headers: { 'X-Request-Id': 'lb-7f3a.1' } });
  expect(trusted.headers['x-request-id']).toBe('lb-7f3a.1');
  // A refusal made before Next sees the request has one too.
  const refused = await get(E2E_PORT, '/api/health/live', { headers: { Host: 'bad host' } });
  expect(refused.status).toBeGreaterThanOrEqual(400);
  expect(refused.headers['x-request-id']).toMatch(UUID);
});

test('the metrics port (loopback) counts requests by route template, never by id or query string', async () => {
  await get(E2E_PORT, '/vms/987654321?tab=secret-query');
  const res = await get(E2E_METRICS_PORT, '/metrics');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  expect(res.body).toMatch(/porthole_http_request_duration_seconds_count\{[^}]*route="\/vms\/:vmId"[^}]*\} \d+/);
  expect(res.body).toMatch(/porthole_http_request_duration_seconds_count\{[^}]*process="web"/);
  expect(res.body).not.toContain('987654321');
  expect(res.body).not.toContain('secret-query');
});
