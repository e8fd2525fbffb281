// Porthole's HTTP server: Next.js behind a plain node:http listener, so that the TCP peer's
// address reaches the app in a header no client can forge (login throttling, trusted proxies),
// forwarding headers count only from trusted front ends, and a client's malformed request gets a
// short 4xx here instead of reaching Next (lib/http/request-guard.mjs has the rules). Every request passes
// here, so this is also where each gets its id (X-Request-Id), its log line and its latency observed, under
// its route template (lib/metrics/); /metrics is served on a port of its own (METRICS_PORT), never this one.
import { restoreNativeDate } from './lib/http/native-date.mjs'; // first: before `next` replaces Date
import { createServer } from 'node:http';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import nextConfig from './next.config.js';
import {
  NO_CONTENT_CSP,
  baselineHeaders,
  configuredOrigins,
  isTls,
  normalizeIp,
  parseTrustedProxies,
  refusal,
  stripUntrustedForwarding,
} from './lib/http/request-guard.mjs';
import { TOO_LARGE, formBodyProblem, isPageFormPost, readBody, replayRequest } from './lib/http/form-body.mjs';
import { createLogger, requestId } from './lib/metrics/log.mjs';
import { createRegistry, dbQueryMetric, httpMetrics, serveProcessMetrics } from './lib/metrics/registry.mjs';
import { appRouteMatcher, normaliseRoute } from './lib/metrics/route.mjs';

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOST || '0.0.0.0';
const dev = process.argv.includes('--dev');

const trustedProxies = parseTrustedProxies(process.env.TRUSTED_PROXY_IPS);
const userHeader = process.env.TRUSTED_PROXY_USER_HEADER || undefined;
const extraOrigins = configuredOrigins([process.env.NEXTAUTH_URL]);

const log = createLogger('web');
const registry = createRegistry('web');
const httpSeconds = httpMetrics(registry);
dbQueryMetric(registry);
const routeOf = appRouteMatcher(dirname(fileURLToPath(import.meta.url)));
const debug = log.isLevelEnabled('debug');

/** Its id (a trusted front end's, or new), echoed as X-Request-Id; its log line and latency once it ends. */
function track(req, res, peer) {
  const started = performance.now();
  const reqId = requestId(req.headers, trustedProxies.has(normalizeIp(peer)));
  req.headers['x-request-id'] = reqId; // what Next sees is ours, never an untrusted client's
  res.setHeader('X-Request-Id', reqId);
  res.once('close', () => {
    const seconds = (performance.now() - started) / 1000;
    const method = req.method ?? '';
    const route = normaliseRoute(req.url, routeOf);
    httpSeconds.observe(method, route, res.statusCode, seconds);
    const line = { reqId, method, route, status: res.statusCode, ms: Math.round(seconds * 10_000) / 10 };
    if (!res.writableFinished) line.aborted = true;
    if (debug) Object.assign(line, { url: req.url, peer });
    log.info(line, 'request');
  });
}

const app = next({ dev, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();
// Next's Date wrapper only serves `cacheComponents`; without it, it just makes every Date slow (native-date.mjs).
if (!nextConfig.cacheComponents) restoreNativeDate();

function refuse(res, tls, { status, message, headers = {} }) {
  res.writeHead(status, {
    ...baselineHeaders(tls),
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Security-Policy': NO_CONTENT_CSP,
    'Cache-Control': 'no-store',
    Connection: 'close',
  });
  res.end(`${message}\n`);
}

const server = createServer((req, res) => {
  const peer = req.socket.remoteAddress ?? '';
  track(req, res, peer);
  stripUntrustedForwarding(req.headers, peer, trustedProxies, userHeader);
  req.headers['x-porthole-peer'] = peer;
  const encrypted = Boolean(req.socket.encrypted);
  const tls = isTls(req.headers, encrypted);
  // proxy.ts reads it for the CSP; always ours, never a client's.
  req.headers['x-porthole-proto'] = tls ? 'https' : 'http';
  const refused = refusal({ method: req.method ?? '', url: req.url, headers: req.headers, encrypted, extraOrigins });
  if (refused) return refuse(res, tls, refused);
  for (const [name, value] of Object.entries(baselineHeaders(tls))) res.setHeader(name, value);
  if (!isPageFormPost(req.method, req.url.split('?')[0], req.headers)) return handle(req, res);
  readBody(req).then(
    async (body) => {
      const problem = body === null ? TOO_LARGE : await formBodyProblem(body, req.headers['content-type']);
      if (problem) return refuse(res, tls, problem);
      handle(replayRequest(req, body), res);
    },
    () => res.destroy(),
  );
});
// node hands CONNECT to a 'connect' listener, not the request handler; without one the socket just closes.
server.on('connect', (req, socket) => {
  socket.end('HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nMethod not allowed.\n');
});
server.keepAliveTimeout = 65_000; // longer than typical load balancer idle timeouts
// Requests node's parser refuses (bad header bytes, oversized headers) get a short answer, not a reset.
server.on('clientError', (error, socket) => {
  if (!socket.writable || error.code === 'ECONNRESET') return socket.destroy();
  // llhttp knows only registered methods: TRACK, BREW and the like end here, and get 405 like TRACE.
  const [status, text, extra] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? ['431 Request Header Fields Too Large', 'Request headers too large.', '']
      : error.code === 'HPE_INVALID_METHOD'
        ? ['405 Method Not Allowed', 'Method not allowed.', 'Allow: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS\r\n']
        : ['400 Bad Request', 'Bad request.', ''];
  socket.end(`HTTP/1.1 ${status}\r\n${extra}X-Content-Type-Options: nosniff\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${text}\n`);
});
server.listen(port, hostname, () => {
  log.info({ port, host: hostname }, `Porthole listening on http://${hostname === '0.0.0.0' ? '127.0.0.1' : hostname}:${port}`);
});
const metricsServer = await serveProcessMetrics(registry, 'web', process.env, log);

const shutdown = () => {
  metricsServer?.close();
  server.close(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
