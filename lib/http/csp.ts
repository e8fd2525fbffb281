// The Content-Security-Policy, built per request in proxy.ts with a fresh nonce. Next.js reads the
// nonce from the request's CSP header and puts it on every script it emits (its runtime, page
// bundles, the inline flight data), so no inline script runs without it; 'strict-dynamic' lets those
// scripts load the chunks they need. Pages must therefore render per request (they do: every page
// reads the session).

export interface CspOptions {
  nonce: string;
  /** `next dev`: React's dev tooling needs eval, and the dev overlay injects styles without nonces. */
  dev: boolean;
  /** Served over TLS: ask browsers to fetch any stray http:// subresource over https. */
  tls: boolean;
  /** A JSON / event-stream response: it never runs anything, so it may load nothing. */
  api: boolean;
}

/** 128 random bits, base64: unguessable and valid in a CSP nonce-source. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy({ nonce, dev, tls, api }: CspOptions): string {
  if (api) return "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  const directives: Array<[string, string[]]> = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])]],
    // Style elements need the nonce (in dev the overlay's own styles have none); style="" attributes
    // (React's style prop) cannot carry a nonce and cannot run code, so they are allowed.
    ['style-src', dev ? ["'self'", "'unsafe-inline'"] : ["'self'", `'nonce-${nonce}'`]],
    ['style-src-attr', ["'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'"]],
    // Same-origin fetches and the live event stream; the dev server's HMR websocket is same-origin too.
    ['connect-src', ["'self'"]],
    // An audible alarm and a push service worker may come later; both from our own origin.
    ['media-src', ["'self'", 'data:', 'blob:']],
    ['worker-src', ["'self'"]],
    ['manifest-src', ["'self'"]],
    ['frame-src', ["'none'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  const text = directives.map(([name, values]) => `${name} ${values.join(' ')}`);
  if (tls) text.push('upgrade-insecure-requests');
  return text.join('; ');
}
