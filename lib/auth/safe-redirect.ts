/**
 * Where to send someone after login (or any other user-supplied target): a path on our own
 * origin, or '/'. Browsers drop TAB/CR/LF inside URLs and read `\` as `/`, so `/%09/evil.example`
 * or `/\evil.example` look like paths to a naive check and land on another site. The rule here
 * is an allow-list, not a list of known tricks:
 *
 * - the raw value is printable ASCII without `\` (anything a browser rewrites is refused, not
 *   repaired), at most MAX_REDIRECT_LENGTH characters;
 * - it is a root-relative path (`/…` but not `//…`) or an absolute http(s) URL;
 * - resolved by the WHATWG URL parser against our origin, it has our origin and no userinfo;
 * - the answer (path + query + fragment) does not start with `//` once dot segments are gone,
 *   and no percent-decoded layer of it holds a control or format character or a backslash, or
 *   makes the path start with `//` (a later hop that decodes must not find a redirect in it).
 *
 * Everything else answers '/'.
 */
export const SAFE_FALLBACK = '/';
export const MAX_REDIRECT_LENGTH = 2048;

/** An origin that is nobody's: with it, only root-relative paths pass. */
export const NO_ORIGIN = 'http://porthole.invalid';

const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
// In a decoded layer: C0, DEL, C1, Unicode format characters (bidi, zero-width), line/paragraph separators.
const DECODED_ODD = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\\]/u;
const ABSOLUTE_HTTP = /^https?:\/\//i;

export function safeRedirectPath(target: unknown, ownOrigin: string = NO_ORIGIN): string {
  if (typeof target !== 'string' || target.length === 0 || target.length > MAX_REDIRECT_LENGTH) return SAFE_FALLBACK;
  if (!PRINTABLE_ASCII.test(target) || target.includes('\\')) return SAFE_FALLBACK;
  const rootRelative = target.startsWith('/') && !target.startsWith('//');
  if (!rootRelative && !ABSOLUTE_HTTP.test(target)) return SAFE_FALLBACK;

  let origin: URL;
  let url: URL;
  try {
    origin = new URL(ownOrigin);
    url = new URL(target, origin);
  } catch {
    return SAFE_FALLBACK;
  }
  if (url.origin !== origin.origin || url.username !== '' || url.password !== '') return SAFE_FALLBACK;

  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith('/') || path.startsWith('//')) return SAFE_FALLBACK;

  // Up to three rounds of percent-decoding (double and triple encoding), each layer checked.
  let layer = path;
  for (let round = 0; round < 3; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return SAFE_FALLBACK; // malformed percent-encoding: odd
    }
    if (decoded === layer) break;
    if (DECODED_ODD.test(decoded) || /^\/\s*[/\\]/.test(decoded)) return SAFE_FALLBACK;
    layer = decoded;
  }
  return path;
}

/** Our origin from configuration (NEXTAUTH_URL), never from the request's Host header. */
export function configuredOrigin(url: string | undefined): string {
  try {
    return url ? new URL(url).origin : NO_ORIGIN;
  } catch {
    return NO_ORIGIN;
  }
}
