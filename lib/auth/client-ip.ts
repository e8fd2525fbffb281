/** Header our server (server.mjs) sets from the TCP peer, overwriting anything a client sent. */
export const PEER_HEADER = 'x-porthole-peer';

export function normalizeIp(ip: string): string {
  const trimmed = ip.trim();
  return trimmed.startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice(7) : trimmed;
}

interface HeaderSource {
  get(name: string): string | null;
}

/** The TCP peer: the browser, or the load balancer in front of us. */
export function peerIp(headers: HeaderSource): string | null {
  const peer = headers.get(PEER_HEADER);
  return peer ? normalizeIp(peer) : null;
}

/**
 * The client's address. X-Forwarded-For is believed only when the peer is a trusted proxy, and
 * then only its rightmost entry that is not itself a trusted proxy.
 */
export function clientIp(headers: HeaderSource, trustedProxies: readonly string[]): string | null {
  const peer = peerIp(headers);
  if (!peer || !trustedProxies.includes(peer)) return peer;
  const chain = (headers.get('x-forwarded-for') ?? '').split(',').map(normalizeIp).filter(Boolean);
  for (let i = chain.length - 1; i >= 0; i--) {
    if (!trustedProxies.includes(chain[i]!)) return chain[i]!;
  }
  return peer;
}

/** The seed's Apache + mod_authnz_ldap: a trusted front end names the already-authenticated user. */
export function trustedProxyUser(
  headers: HeaderSource,
  trustedProxies: readonly string[],
  headerName: string | undefined,
): string | null {
  if (!headerName || trustedProxies.length === 0) return null;
  const peer = peerIp(headers);
  if (!peer || !trustedProxies.includes(peer)) return null;
  return headers.get(headerName)?.trim() || null;
}
