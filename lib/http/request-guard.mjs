// Checks server.mjs makes before Next.js sees a request. Plain JavaScript (server.mjs runs without a
// TypeScript loader), pure, typed by request-guard.d.mts and unit-tested in request-guard.test.ts.
import { isIP } from 'node:net';

/** Headers only a trusted front end may set: they decide the request's origin, scheme and client. */
export const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', 'x-forwarded-for', 'x-real-ip'];

/** Methods the portal answers; anything else (TRACE, TRACK, CONNECT, PROPFIND, …) gets 405. */
export const ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Longer request targets are refused: no page or API needs them, and they end up in logs. */
export const MAX_URL_LENGTH = 4096;

/** next-auth routes that only make sense as POST; a GET gets 405 instead of next-auth's error page. */
const POST_ONLY_PATHS = [/^\/api\/auth\/callback\/credentials\/?$/, /^\/api\/auth\/signin\/credentials\/?$/];

export function normalizeIp(ip) {
  const trimmed = String(ip ?? '').trim();
  return trimmed.startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice(7) : trimmed;
}

/** TRUSTED_PROXY_IPS as a set of normalised addresses; invalid items are dropped (lib/env.ts reports them). */
export function parseTrustedProxies(text) {
  return new Set(
    String(text ?? '')
      .split(',')
      .map(normalizeIp)
      .filter((ip) => isIP(ip) !== 0),
  );
}

/**
 * Removes forwarding headers (and the trusted user header) unless the TCP peer is a trusted front end,
 * so that Next's server-action origin check and our own code only ever see forged values from nobody.
 * Returns the names removed.
 */
export function stripUntrustedForwarding(headers, peer, trusted, userHeader) {
  if (trusted.has(normalizeIp(peer))) return [];
  const names = userHeader ? [...FORWARDING_HEADERS, userHeader.toLowerCase()] : FORWARDING_HEADERS;
  const removed = [];
  for (const name of names) {
    if (name in headers) {
      delete headers[name];
      removed.push(name);
    }
  }
  return removed;
}

function first(value) {
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === 'string' ? text.split(',')[0].trim() : undefined;
}

// reg-name / IPv4 / [IPv6], optional port: what a Host header may be (RFC 9110 §7.2, without userinfo).
const HOST_PATTERN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})?)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function isValidHost(host) {
  return typeof host === 'string' && host.length <= 255 && HOST_PATTERN.test(host);
}

/** "host:port" as the URL parser writes it (default ports dropped, lower case), or null. */
function canonicalHost(scheme, host) {
  try {
    return new URL(`${scheme}://${host}`).host;
  } catch {
    return null;
  }
}

/**
 * The request's scheme and host as the browser sees them: from the trusted front end's forwarding
 * headers when they survived stripUntrustedForwarding, else from the socket and Host.
 */
export function requestOrigin(headers, encrypted) {
  const proto = first(headers['x-forwarded-proto'])?.toLowerCase();
  const scheme = proto === 'https' || proto === 'http' ? proto : encrypted ? 'https' : 'http';
  const host = first(headers['x-forwarded-host']) ?? headers.host;
  return { scheme, host: typeof host === 'string' ? host : undefined };
}

// Controls (C0, DEL, C1): never part of a real path or query value.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function decodes(part) {
  try {
    return !CONTROL.test(decodeURIComponent(part));
  } catch {
    return false; // invalid percent-encoding or UTF-8
  }
}

/** The request target's path and query are well-formed: no raw or encoded controls, valid %-escapes. */
export function isCleanTarget(url) {
  if (typeof url !== 'string' || !url.startsWith('/') || url.startsWith('//')) return false;
  if (CONTROL.test(url)) return false;
  const hash = url.indexOf('#');
  const target = hash === -1 ? url : url.slice(0, hash);
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  const query = q === -1 ? '' : target.slice(q + 1);
  if (!path.split('/').every(decodes)) return false;
  return query.split('&').every((pair) => pair.split('=').every((p) => decodes(p.replace(/\+/g, ' '))));
}

/**
 * An unsafe request (POST, …) from a browser page must come from our own origin. A missing Origin is
 * accepted only for /api/ (scripts; next-auth checks its own CSRF token) or with
 * Sec-Fetch-Site: same-origin; server actions and page POSTs always need one of them.
 */
export function crossOriginProblem({ method, path, headers, origin, extraOrigins = [] }) {
  if (!UNSAFE_METHODS.has(method)) return null;
  const originHeader = headers.origin;
  const isAction = 'next-action' in headers || !path.startsWith('/api/');
  if (originHeader === undefined) {
    if (!isAction || headers['sec-fetch-site'] === 'same-origin') return null;
    return 'Forbidden: a form or server action needs an Origin header from this site.';
  }
  let sent;
  try {
    sent = new URL(String(originHeader));
  } catch {
    return 'Forbidden: the Origin header is not an origin.';
  }
  if (String(originHeader) === 'null' || !/^https?:$/.test(sent.protocol)) return 'Forbidden: the Origin header is not an origin.';
  const ours = origin.host ? canonicalHost(origin.scheme, origin.host) : null;
  const allowed = [ours, ...extraOrigins.map((o) => canonicalHost(o.scheme, o.host))].filter(Boolean);
  if (!allowed.includes(sent.host)) return 'Forbidden: cross-origin request.';
  return null;
}

/** Extra origins the portal answers as (NEXTAUTH_URL's), for the cross-origin check. */
export function configuredOrigins(urls) {
  const out = [];
  for (const u of urls) {
    if (!u) continue;
    try {
      const parsed = new URL(u);
      out.push({ scheme: parsed.protocol.replace(':', ''), host: parsed.host });
    } catch {
      // lib/env.ts / next-auth report a bad NEXTAUTH_URL
    }
  }
  return out;
}

/**
 * The first reason to refuse a request before Next handles it, or null. Order: method, target,
 * Host, POST-only routes, cross-origin.
 */
export function refusal({ method, url, headers, encrypted, extraOrigins = [] }) {
  if (!ALLOWED_METHODS.includes(method)) {
    return { status: 405, message: 'Method not allowed.', headers: { Allow: ALLOWED_METHODS.join(', ') } };
  }
  if (typeof url !== 'string' || url.length > MAX_URL_LENGTH) return { status: 414, message: 'URI too long.' };
  if (!isCleanTarget(url)) return { status: 400, message: 'Bad request: the URL has control characters or invalid percent-encoding.' };
  const origin = requestOrigin(headers, encrypted);
  if (!isValidHost(origin.host)) return { status: 400, message: 'Bad request: invalid Host header.' };
  const path = url.split('?')[0];
  if ((method === 'GET' || method === 'HEAD') && POST_ONLY_PATHS.some((p) => p.test(path))) {
    return { status: 405, message: 'Method not allowed: sign in with the form at /login.', headers: { Allow: 'POST' } };
  }
  const problem = crossOriginProblem({ method, path, headers, origin, extraOrigins });
  if (problem) return { status: 403, message: problem };
  return null;
}

/** Whether the browser reached us over TLS (directly, or via a trusted front end that said so). */
export function isTls(headers, encrypted) {
  return requestOrigin(headers, encrypted).scheme === 'https';
}

/**
 * Features the portal does not use are switched off. Left at their defaults on purpose: autoplay and
 * speaker-selection (the wallboard's audible alarm), fullscreen (the wallboard). Notifications and push
 * are not Permissions-Policy features.
 */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'bluetooth=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'hid=()',
  'idle-detection=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'publickey-credentials-get=()',
  'screen-wake-lock=()',
  'serial=()',
  'usb=()',
  'xr-spatial-tracking=()',
  'browsing-topics=()',
].join(', ');

/** One year; no includeSubDomains, since other hosts of the company's domain may still be plain HTTP. */
export const HSTS = 'max-age=31536000';

/** Headers on every response, pages, API, static files and our own refusals alike. */
export function baselineHeaders(tls) {
  const headers = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Permissions-Policy': PERMISSIONS_POLICY,
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
  if (tls) headers['Strict-Transport-Security'] = HSTS;
  return headers;
}

/** For responses without a page (our refusals): nothing may load, nothing may frame it. */
export const NO_CONTENT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
