// Structured logs for every Porthole process (pino): one JSON object a line with level, time, the
// process's name and, for the web server, the request's id. Secrets never reach a line unless LOG_LEVEL is
// debug: passwords, tokens, cookies, Authorization headers and message bodies are redacted by key.
// LOG_FORMAT=pretty writes plain lines for a person at a terminal (the demo). Plain JavaScript (server.mjs
// imports it without a loader), typed by log.d.mts.
import { randomUUID } from 'node:crypto';
import pino from 'pino';

const SECRET_KEYS = ['password', 'passwd', 'secret', 'token', 'accessToken', 'refreshToken', 'cookie', 'authorization', 'body', 'apiKey'];

/** Redacted at the top level, one level down (`user.password`) and in headers (`req.headers.cookie`). */
export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...['cookie', 'authorization', 'set-cookie', 'proxy-authorization', 'x-api-key'].flatMap((h) => [`headers["${h}"]`, `req.headers["${h}"]`, `res.headers["${h}"]`]),
];

export const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** A writable that turns pino's JSON lines into `12:00:00.000 INFO  [ingester] message key=value`. */
function prettyStream(out) {
  return {
    write(line) {
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        return out.write(line);
      }
      const { level, time, process: name, msg, pid: _pid, hostname: _host, err, ...rest } = entry;
      const label = (pino.levels.labels[level] ?? String(level)).toUpperCase().padEnd(5);
      const stamp = new Date(time).toISOString().slice(11, 23);
      const extra = Object.entries(rest)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      const stack = err?.stack ? `\n${err.stack}` : '';
      out.write(`${stamp} ${label} [${name}] ${msg ?? ''}${extra ? ` ${extra}` : ''}${stack}\n`);
    },
  };
}

/**
 * The logger of one process. LOG_LEVEL (default info) and LOG_FORMAT (json, or pretty) come from `env`;
 * `destination` is for tests (default stdout).
 */
export function createLogger(processName, { env = process.env, destination } = {}) {
  const requested = String(env.LOG_LEVEL || 'info').toLowerCase();
  const level = LEVELS.includes(requested) ? requested : 'info';
  const out = destination ?? process.stdout;
  const stream = String(env.LOG_FORMAT || 'json').toLowerCase() === 'pretty' ? prettyStream(out) : out;
  return pino(
    {
      level,
      base: { process: processName },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: level === 'debug' || level === 'trace' ? undefined : { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    stream,
  );
}

const REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/**
 * The request's id: a trusted front end's X-Request-Id when the TCP peer is one (TRUSTED_PROXY_IPS, as
 * lib/auth/client-ip.ts believes X-Forwarded-For) and the value is short and plain, else a new UUID.
 */
export function requestId(headers, peerIsTrusted) {
  const given = headers['x-request-id'];
  const value = Array.isArray(given) ? given[0] : given;
  if (peerIsTrusted && typeof value === 'string' && REQUEST_ID.test(value)) return value;
  return randomUUID();
}
