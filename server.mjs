// Porthole's HTTP server: Next.js behind a plain node:http listener, so that the TCP peer's
// address reaches the app in a header no client can forge (login throttling, trusted proxies).
import { createServer } from 'node:http';
import next from 'next';

const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOST || '0.0.0.0';
const dev = process.argv.includes('--dev');

const app = next({ dev, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  req.headers['x-porthole-peer'] = req.socket.remoteAddress ?? '';
  handle(req, res);
});
server.keepAliveTimeout = 65_000; // longer than typical load balancer idle timeouts
server.listen(port, hostname, () => {
  console.log(`[web] Porthole listening on http://${hostname === '0.0.0.0' ? '127.0.0.1' : hostname}:${port}`);
});

const shutdown = () => server.close(() => process.exit(0));
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
