// Broker addresses as Nagios command lines and .env files spell them (DESIGN.md, "The Nagios-side
// commands"): `host`, `host:port`, `[::1]:61613`, `stomp://user:pass@host:port`, and ActiveMQ-style
// `failover:(stomp://a:61613,stomp://b:61613)?randomize=false`. Framework-free: the CLIs bundle this.

/** One broker to try. `login`/`passcode` go into the STOMP CONNECT frame. */
export interface BrokerEndpoint {
  host: string;
  port: number;
  login?: string;
  passcode?: string;
}

/** The default STOMP port, as in the seed (`mq.example.com` alone means port 61613). */
export const DEFAULT_STOMP_PORT = 61613;

export class BrokerUrlError extends Error {
  override name = 'BrokerUrlError';
}

// Schemes that speak plain STOMP over TCP. `nio` is ActiveMQ's server-side connector flavour: same wire.
const STOMP_SCHEMES = new Set(['stomp', 'stomp+nio']);
const TLS_SCHEMES = new Set(['stomp+ssl', 'stomp+nio+ssl', 'ssl']);

/**
 * Parses a broker address into the endpoints to try, in order. Throws `BrokerUrlError` with a
 * one-line reason. Failover options (`?randomize=false`, `?timeout=…`) are accepted and ignored:
 * endpoints are always tried in the order written (as ActiveMQ does with `randomize=false`).
 */
export function parseBrokerUrl(value: string, defaultPort: number = DEFAULT_STOMP_PORT): BrokerEndpoint[] {
  const input = value.trim();
  if (input === '') throw new BrokerUrlError('broker address is empty');
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(input)) throw new BrokerUrlError(`broker address contains control characters: ${show(input)}`);

  const failover = /^failover:/i.exec(input);
  if (!failover) return [parseEndpoint(input, defaultPort)];

  let rest = input.slice(failover[0].length);
  let list: string;
  if (rest.startsWith('(')) {
    const close = rest.indexOf(')');
    if (close < 0) throw new BrokerUrlError(`failover list has no closing ")": ${show(input)}`);
    list = rest.slice(1, close);
    rest = rest.slice(close + 1);
  } else {
    // `failover:stomp://a:61613,stomp://b:61613?opts` (ActiveMQ also accepts the list without parentheses)
    const q = rest.indexOf('?');
    list = q < 0 ? rest : rest.slice(0, q);
    rest = q < 0 ? '' : rest.slice(q);
  }
  if (rest !== '' && !/^\?[^?]*$/.test(rest)) throw new BrokerUrlError(`unexpected text after the failover list: ${show(rest)}`);
  const parts = list.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) throw new BrokerUrlError(`failover list has an empty entry: ${show(input)}`);
  return parts.map((p) => parseEndpoint(p, defaultPort));
}

/** `host:port` for logs; never shows the passcode. IPv6 hosts are bracketed. */
export function describeEndpoint(endpoint: BrokerEndpoint): string {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return `${endpoint.login ? `${endpoint.login}@` : ''}${host}:${endpoint.port}`;
}

export function describeEndpoints(endpoints: readonly BrokerEndpoint[]): string {
  return endpoints.map(describeEndpoint).join(', ');
}

function parseEndpoint(raw: string, defaultPort: number): BrokerEndpoint {
  if (/\s/.test(raw)) throw new BrokerUrlError(`broker address contains whitespace: ${show(raw)}`);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  if (scheme) {
    const name = scheme[1]!.toLowerCase();
    if (TLS_SCHEMES.has(name)) throw new BrokerUrlError(`${name}:// (STOMP over TLS) is not supported; use stomp://`);
    if (name === 'tcp' || name === 'nio' || name === 'auto') {
      throw new BrokerUrlError(`${name}:// is ActiveMQ's OpenWire transport; use stomp://host:61613`);
    }
    if (!STOMP_SCHEMES.has(name)) throw new BrokerUrlError(`unsupported scheme "${name}://" in ${show(raw)}; use stomp://`);
    return parseAuthority(raw.slice(scheme[0].length), raw, defaultPort);
  }
  return parseAuthority(raw, raw, defaultPort);
}

function isBareIpv6(s: string): boolean {
  return /^[0-9a-f]*:[0-9a-f:.]*$/i.test(s) && (s.match(/:/g)?.length ?? 0) >= 2;
}

/** `[user[:pass]@]host[:port][/][?query]` */
function parseAuthority(text: string, whole: string, defaultPort: number): BrokerEndpoint {
  // Drop an optional trailing path ("/") and per-transport query options.
  let authority = text;
  const q = authority.indexOf('?');
  if (q >= 0) authority = authority.slice(0, q);
  if (authority.endsWith('/')) authority = authority.slice(0, -1);
  if (authority.includes('/')) throw new BrokerUrlError(`unexpected path in broker address ${show(whole)}`);

  let login: string | undefined;
  let passcode: string | undefined;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    authority = authority.slice(at + 1);
    const colon = userinfo.indexOf(':');
    login = decode(colon < 0 ? userinfo : userinfo.slice(0, colon), whole);
    passcode = colon < 0 ? undefined : decode(userinfo.slice(colon + 1), whole);
    if (login === '') throw new BrokerUrlError(`empty user name in ${show(whole)}`);
  }

  let host: string;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) throw new BrokerUrlError(`unclosed "[" in ${show(whole)}`);
    host = authority.slice(1, close);
    const after = authority.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) throw new BrokerUrlError(`unexpected text after "]" in ${show(whole)}`);
      portText = after.slice(1);
    }
    if (!isBareIpv6(host)) throw new BrokerUrlError(`not an IPv6 address: [${host}]`);
  } else if (isBareIpv6(authority)) {
    host = authority; // `::1` alone: an IPv6 address on the default port
  } else {
    const colon = authority.lastIndexOf(':');
    host = colon < 0 ? authority : authority.slice(0, colon);
    portText = colon < 0 ? undefined : authority.slice(colon + 1);
    if (host === '') throw new BrokerUrlError(`no host in ${show(whole)}`);
    if (!/^[A-Za-z0-9_.-]+$/.test(host)) throw new BrokerUrlError(`invalid host name "${host}" in ${show(whole)}`);
  }

  let port = defaultPort;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) throw new BrokerUrlError(`invalid port "${portText}" in ${show(whole)}`);
    port = Number(portText);
    if (port < 1 || port > 65535) throw new BrokerUrlError(`port ${port} out of range (1-65535) in ${show(whole)}`);
  }
  const endpoint: BrokerEndpoint = { host, port };
  if (login !== undefined) endpoint.login = login;
  if (passcode !== undefined) endpoint.passcode = passcode;
  return endpoint;
}

function decode(s: string, whole: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new BrokerUrlError(`invalid %-escape in the credentials of ${redact(whole)}`);
  }
}

/** Quoted, without credentials, shortened: for error messages that end up in Nagios logs. */
function show(s: string): string {
  const r = redact(s);
  return JSON.stringify(r.length > 120 ? `${r.slice(0, 117)}...` : r);
}

function redact(s: string): string {
  return s.replace(/\/\/([^/@,()]*):([^/@,()]*)@/g, '//$1:***@');
}
