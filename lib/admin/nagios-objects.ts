import { isIP } from 'node:net';

// Nagios's own list of what it monitors: the object cache it writes at every start (object_cache_file in
// nagios.cfg; /var/lib/nagios4/objects.cache on Debian). Its format, as Nagios 4.4.6 writes it
// (lib/admin/__fixtures__/objects.cache is one):
//
//   ########################################
//   #       NAGIOS OBJECT CACHE FILE
//   ...
//   define host {
//   \thost_name\tweb-01
//   \talias\tweb-01.example.com
//   \taddress\t192.0.2.21
//   \tparents\tdb-01,gw-01
//   ...
//   \t}
//
// Every object type in one file, templates already resolved (register 0 objects are not written), one
// key and its value per line, the value everything after the first tab. Nagios fills in alias and
// address from host_name when the configuration leaves them out. Hand-edited or other tools' files are
// accepted too: spaces instead of tabs, CRLF, `#` and `;` comment lines. A broken block is skipped and
// reported, never guessed at.

/** Nagios 4.4 writes ~720 bytes per host (and a little per service): about 7,000 hosts. */
export const MAX_OBJECTS_CACHE_BYTES = 5 * 1024 * 1024;
/** Problems listed in full; the rest are counted. */
export const MAX_PROBLEMS = 50;

export interface NagiosHost {
  hostName: string;
  address: string | null;
  alias: string | null;
  parents: string[];
}

export interface ParsedObjectsCache {
  hosts: NagiosHost[];
  problems: string[];
}

const DEFINE = /^define[ \t]+([^\s{]+)[ \t]*\{[ \t]*$/;
const FIELD = /^(\S+)(?:[ \t]+(.*))?$/;
const WANTED = new Set(['host_name', 'alias', 'address', 'parents', 'register']);

/** A line as a problem shows it: short, without control characters. */
const quote = (line: string) => {
  const clean = line.trim().replace(/[\u0000-\u001f\u007f]/g, ' ');
  return `"${clean.length > 60 ? `${clean.slice(0, 60)}…` : clean}"`;
};

interface Block {
  type: string;
  line: number;
  fields: Map<string, string> | null;
}

/** The hosts in an objects.cache, in file order, and every problem found (by line). Never throws. */
export function parseObjectsCache(text: string): ParsedObjectsCache {
  const hosts: NagiosHost[] = [];
  const problems: string[] = [];
  let more = 0;
  const problem = (p: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
    else more++;
  };
  const seen = new Set<string>();
  let block = null as Block | null; // (not narrowed to null: the handler below assigns it)

  const close = (b: Block) => {
    const f = b.fields;
    if (!f) return; // not a host
    if (f.get('register') === '0') return; // a template, in a hand-written file
    const hostName = f.get('host_name') ?? '';
    if (hostName === '') {
      problem(`Line ${b.line}: a define host block without host_name, skipped.`);
      return;
    }
    if (seen.has(hostName)) {
      problem(`Line ${b.line}: host "${hostName}" is defined again, skipped (the first definition counts).`);
      return;
    }
    seen.add(hostName);
    const optional = (key: string) => {
      const v = f.get(key);
      return v === undefined || v === '' ? null : v;
    };
    const parents = (f.get('parents') ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '');
    hosts.push({ hostName, address: optional('address'), alias: optional('alias'), parents });
  };

  const handle = (raw: string, lineNo: number) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const define = DEFINE.exec(line);
    if (define) {
      if (block) problem(`Line ${block.line}: the define ${block.type} block has no closing "}" before line ${lineNo}, skipped.`);
      const type = define[1]!;
      block = { type, line: lineNo, fields: type === 'host' ? new Map() : null };
    } else if (line === '}') {
      if (block) close(block);
      else problem(`Line ${lineNo}: a "}" outside any define block.`);
      block = null;
    } else if (!block) {
      problem(`Line ${lineNo}: ${quote(raw)} is outside any define block, ignored.`);
    } else if (block.fields) {
      const field = FIELD.exec(line);
      const key = field?.[1];
      if (!field || !key || !WANTED.has(key)) return;
      if (block.fields.has(key)) problem(`Line ${lineNo}: ${key} is set twice in the define host block from line ${block.line}; the first value counts.`);
      else block.fields.set(key, (field[2] ?? '').trim());
    }
  };

  // One line at a time (no split): a large file is not copied into an array of lines first.
  let lineNo = 0;
  for (let at = text.charCodeAt(0) === 0xfeff ? 1 : 0; at <= text.length; ) {
    let end = text.indexOf('\n', at);
    if (end === -1) end = text.length;
    handle(text.slice(at, end), ++lineNo);
    at = end + 1;
  }
  if (block) problem(`Line ${block.line}: the define ${block.type} block has no closing "}" before the end of the file, skipped.`);
  if (more > 0) problems.push(`…and ${more} more problem${more === 1 ? '' : 's'}.`);
  return { hosts, problems };
}

/**
 * A name of dot-separated DNS labels with at least one dot, not an IP address: "web-01.example.com",
 * not "Web server" or "192.0.2.1".
 */
export function looksLikeHostName(s: string): boolean {
  if (s.length > 253 || isIP(s) !== 0) return false;
  const labels = s.replace(/\.$/, '').split('.');
  if (labels.length < 2) return false;
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return false;
  return labels.every((l) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

/** The name customers see for an imported host: its alias when that is a host name, else host_name. */
export const vmHostnameFor = (host: Pick<NagiosHost, 'hostName' | 'alias'>): string =>
  host.alias !== null && looksLikeHostName(host.alias) ? host.alias.replace(/\.$/, '') : host.hostName;

export type CandidateStatus = 'new' | 'exists' | 'no-address' | 'bad-address';

export interface ImportCandidate extends NagiosHost {
  /** The name customers will see (vmHostnameFor). */
  hostname: string;
  status: CandidateStatus;
  /** Why a host that is not 'new' cannot be imported; null for 'new'. */
  note: string | null;
}

/**
 * Each host with whether it can become a VM. Names are compared without regard to case, as the VMs
 * table's unique key compares them.
 */
export function importCandidates(hosts: readonly NagiosHost[], existingNagiosHostNames: Set<string>): ImportCandidate[] {
  const existing = new Set([...existingNagiosHostNames].map((n) => n.toLowerCase()));
  return hosts.map((host) => {
    const hostname = vmHostnameFor(host);
    if (existing.has(host.hostName.toLowerCase())) return { ...host, hostname, status: 'exists', note: 'A VM with this Nagios host name exists already.' };
    if (host.address === null) return { ...host, hostname, status: 'no-address', note: 'Nagios has no address for this host.' };
    if (isIP(host.address) === 0) {
      return {
        ...host,
        hostname,
        status: 'bad-address',
        note: `"${host.address}" is not an IP address (Nagios allows a DNS name there); a VM needs an IP address: set one in Nagios or create the VM by hand.`,
      };
    }
    return { ...host, hostname, status: 'new', note: null };
  });
}
