import { BlockList } from 'node:net';
import { z } from 'zod';
import { cidrSchema, domainNameSchema, listSchema, parseOrThrow, type Cidr } from './net-schemas';

export const mxHostSchema = z.object({
  host: domainNameSchema,
  // Preference 0 could never be a backup: a customer's primary must have a lower number.
  preference: z.number().int().min(1, 'must be at least 1 so a primary can come first').max(65535),
});

export const mxBackupSettingsSchema = z.object({
  mxHosts: z.array(mxHostSchema).min(1, 'list at least one MX host'),
  permitNetworks: listSchema(cidrSchema, 'list at least one permitted network'),
});

export type MxBackupSettingsInput = z.input<typeof mxBackupSettingsSchema>;
export type MxBackupSettings = z.output<typeof mxBackupSettingsSchema>;

export function parseMxBackupSettings(input: MxBackupSettingsInput): MxBackupSettings {
  return parseOrThrow(mxBackupSettingsSchema, input, 'MX backup settings');
}

export function parseMailDomain(input: string): string {
  return parseOrThrow(domainNameSchema, input, 'mail domain');
}

export const DEFAULT_MX_TTL = 3600;

/** Host names compare case-insensitively and with or without the root dot. */
export function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

function zoneLine(domain: string, preference: number, host: string, ttl: number): string {
  return `${domain}.  ${ttl}  IN  MX  ${preference} ${host}.`;
}

/** The MX records a customer publishes so that our hosts back up their mail. */
export function mxZoneLines(domain: string, settings: MxBackupSettingsInput, ttl = DEFAULT_MX_TTL): string[] {
  const d = parseMailDomain(domain);
  const s = parseMxBackupSettings(settings);
  return s.mxHosts.map((mx) => zoneLine(d, mx.preference, mx.host, ttl));
}

/** The highest preference number a customer's primary may use (one below our best). */
export function maxPrimaryPreference(settings: MxBackupSettings): number {
  return Math.min(...settings.mxHosts.map((m) => m.preference)) - 1;
}

export interface MxRecord {
  exchange: string;
  priority: number;
}

export type DnsFailure = 'nxdomain' | 'nodata' | 'timeout' | 'refused' | 'servfail' | 'unreachable' | 'error';

/** A DNS answer or the reason there is none, as mx-check maps it from resolver errors. */
export type DnsResult<T> = { ok: true; value: T } | { ok: false; failure: DnsFailure; detail?: string };

export interface MxObservation {
  mx: DnsResult<MxRecord[]>;
  /** A and AAAA results combined, keyed by the normalised primary host name. */
  primaryAddresses: Record<string, DnsResult<string[]>>;
}

export type MxCheckId = 'mx-records' | 'backup-listed' | 'backup-preference' | 'primary-in-network';

export interface MxCheck {
  id: MxCheckId;
  ok: boolean;
  message: string;
  /** What the customer should change; null when the check passed. */
  fix: string | null;
}

export interface MxEvaluation {
  checks: MxCheck[];
  ok: boolean;
}

/** One live check of a domain (lib/net/mx-check.ts): what DNS answered and how it was judged; stored as is. */
export interface MxCheckResult extends MxEvaluation {
  domain: string;
  checkedAt: string;
  records: MxRecord[];
  primaryAddresses: Record<string, DnsResult<string[]>>;
}

function isOurs(settings: MxBackupSettings, host: string): boolean {
  const h = normaliseHost(host);
  return settings.mxHosts.some((m) => m.host === h);
}

/**
 * The customer's primary MX hosts: those with the lowest preference number that aren't ours.
 * Postfix's permit_mx_backup_networks requires every address of every one of them to be permitted.
 */
export function primaryMxHosts(records: readonly MxRecord[], settings: MxBackupSettings): string[] {
  const theirs = records.filter((r) => r.exchange !== '' && !isOurs(settings, r.exchange));
  if (theirs.length === 0) return [];
  const best = Math.min(...theirs.map((r) => r.priority));
  return [...new Set(theirs.filter((r) => r.priority === best).map((r) => normaliseHost(r.exchange)))];
}

export function permittedNetworks(settings: MxBackupSettings): BlockList {
  const list = new BlockList();
  for (const n of settings.permitNetworks) list.addSubnet(n.address, n.prefix, n.family);
  return list;
}

export function isPermittedAddress(list: BlockList, address: string): boolean {
  return list.check(address, address.includes(':') ? 'ipv6' : 'ipv4');
}

function describeFailure(failure: DnsFailure, detail?: string): string {
  const text: Record<DnsFailure, string> = {
    nxdomain: 'the name does not exist (NXDOMAIN)',
    nodata: 'the name exists but has no records of that type',
    timeout: 'the DNS server did not answer in time',
    refused: 'the DNS server refused the query',
    servfail: 'the DNS server failed (SERVFAIL)',
    unreachable: 'the DNS server could not be reached',
    error: 'the lookup failed',
  };
  return detail ? `${text[failure]} (${detail})` : text[failure];
}

const TRY_AGAIN =
  'Try again in a few minutes. If it keeps failing, check with your DNS provider that the name servers for the domain answer.';

function networksText(settings: MxBackupSettings): string {
  return settings.permitNetworks.map((n: Cidr) => n.text).join(', ');
}

/** Judges observed DNS answers against what our backup MX service needs; pure, no lookups. */
export function evaluateMxBackup(
  domain: string,
  input: MxBackupSettingsInput,
  observed: MxObservation,
): MxEvaluation {
  const d = parseMailDomain(domain);
  const settings = parseMxBackupSettings(input);
  const ourLines = settings.mxHosts.map((m) => zoneLine(d, m.preference, m.host, DEFAULT_MX_TTL));
  const maxPrimary = maxPrimaryPreference(settings);
  const examplePrimary = zoneLine(d, Math.min(10, maxPrimary), `mail.${d}`, DEFAULT_MX_TTL);
  const checks: MxCheck[] = [];
  const done = (): MxEvaluation => ({ checks, ok: checks.every((c) => c.ok) });

  // (d) the domain must exist and have MX records at all.
  if (!observed.mx.ok) {
    const { failure, detail } = observed.mx;
    if (failure === 'nxdomain') {
      checks.push({
        id: 'mx-records',
        ok: false,
        message: `${d} does not exist in DNS (NXDOMAIN).`,
        fix: `Check the spelling of the domain. If it is right, ask your DNS provider to publish the ${d} zone with an MX record for your own mail server and these:\n${ourLines.join('\n')}`,
      });
    } else if (failure === 'nodata') {
      checks.push({
        id: 'mx-records',
        ok: false,
        message: `${d} has no MX records, so nobody can find where to deliver its mail.`,
        fix: `Publish an MX record for your own mail server with a preference number of ${maxPrimary} or lower, e.g.\n${examplePrimary}\nand our backup MX hosts:\n${ourLines.join('\n')}`,
      });
    } else {
      checks.push({
        id: 'mx-records',
        ok: false,
        message: `Could not look up the MX records of ${d}: ${describeFailure(failure, detail)}.`,
        fix: TRY_AGAIN,
      });
    }
    return done();
  }

  const records = observed.mx.value.map((r) => ({ exchange: normaliseHost(r.exchange), priority: r.priority }));
  // RFC 7505 "null MX" (MX 0 .): the domain declares it accepts no mail.
  if (records.some((r) => r.exchange === '')) {
    checks.push({
      id: 'mx-records',
      ok: false,
      message: `${d} publishes a "null MX" (MX 0 .): it says it accepts no mail at all.`,
      fix: `Remove the null MX record and publish your own mail server and ours instead, e.g.\n${examplePrimary}\n${ourLines.join('\n')}`,
    });
    return done();
  }
  const sorted = [...records].sort((a, b) => a.priority - b.priority || a.exchange.localeCompare(b.exchange));
  checks.push({
    id: 'mx-records',
    ok: true,
    message: `${d} has ${sorted.length === 1 ? '1 MX record' : `${sorted.length} MX records`}: ${sorted.map((r) => `${r.priority} ${r.exchange}`).join(', ')}.`,
    fix: null,
  });

  // (a) every one of our MX hosts is listed.
  const listed = settings.mxHosts.filter((m) => records.some((r) => r.exchange === m.host));
  const missing = settings.mxHosts.filter((m) => !listed.includes(m));
  checks.push(
    missing.length === 0
      ? {
          id: 'backup-listed',
          ok: true,
          message: `All our backup MX hosts are listed: ${settings.mxHosts.map((m) => m.host).join(', ')}.`,
          fix: null,
        }
      : {
          id: 'backup-listed',
          ok: false,
          message: `${missing.map((m) => m.host).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing from the MX records of ${d}.`,
          fix: `Add to the ${d} zone:\n${missing.map((m) => zoneLine(d, m.preference, m.host, DEFAULT_MX_TTL)).join('\n')}\nChanges can take a while to reach everyone (up to the records' TTL).`,
        },
  );

  const primaries = primaryMxHosts(records, settings);
  if (primaries.length === 0) {
    checks.push({
      id: 'primary-in-network',
      ok: false,
      message: `Only our backup MX hosts are listed for ${d}: there is no primary mail server of yours for them to pass the mail on to, so they refuse it.`,
      fix: `Add an MX record for your own mail server (on your VM) with a preference number of ${maxPrimary} or lower, e.g.\n${examplePrimary}`,
    });
    return done();
  }
  const best = Math.min(...records.filter((r) => primaries.includes(r.exchange)).map((r) => r.priority));
  const primaryText = `${primaries.join(', ')} (${best})`;

  // (b) ours must come after the primary: a higher preference number means a lower priority.
  if (listed.length > 0) {
    const tooEarly = records.filter((r) => isOurs(settings, r.exchange) && r.priority <= best);
    if (tooEarly.length === 0) {
      checks.push({
        id: 'backup-preference',
        ok: true,
        message: `Our MX hosts have higher preference numbers than your primary ${primaryText}, so they are only used when it can't be reached.`,
        fix: null,
      });
    } else {
      const fixPrimary =
        maxPrimary < best
          ? `\nand give your own MX a number of ${maxPrimary} or lower, e.g.\n${zoneLine(d, Math.min(10, maxPrimary), primaries[0] ?? `mail.${d}`, DEFAULT_MX_TTL)}`
          : '';
      checks.push({
        id: 'backup-preference',
        ok: false,
        message: `${tooEarly.map((r) => `${r.exchange} (${r.priority})`).join(', ')} ${tooEarly.length === 1 ? 'does' : 'do'} not have a higher preference number than your primary ${primaryText}: senders may deliver to our backup first, and our servers refuse to act as the primary.`,
        fix: `Publish our hosts with these preference numbers:\n${ourLines.join('\n')}${fixPrimary}`,
      });
    }
  }

  // (c) every address of every primary must lie inside permit_mx_backup_networks.
  const allowed = permittedNetworks(settings);
  const problems: string[] = [];
  const fixes: string[] = [];
  const inside: string[] = [];
  let retry = false;
  for (const host of primaries) {
    const lookup = observed.primaryAddresses[host] ?? { ok: false, failure: 'error', detail: 'not looked up' };
    if (!lookup.ok) {
      if (lookup.failure === 'nxdomain' || lookup.failure === 'nodata') {
        problems.push(`your primary MX ${host} has no address: ${describeFailure(lookup.failure)}`);
        fixes.push(`Publish an A (and/or AAAA) record for ${host} pointing at your VM.`);
      } else {
        problems.push(`could not resolve your primary MX ${host}: ${describeFailure(lookup.failure, lookup.detail)}`);
        retry = true;
      }
      continue;
    }
    const outside = lookup.value.filter((a) => !isPermittedAddress(allowed, a));
    if (outside.length === 0) {
      inside.push(`${host} (${lookup.value.join(', ')})`);
    } else {
      problems.push(`your primary MX ${host} resolves to ${outside.join(', ')}, outside our network (${networksText(settings)})`);
      fixes.push(
        `Point ${host} only at your VM's addresses inside ${networksText(settings)}: every A and AAAA record must be inside. Or, if your mail server is hosted elsewhere, remove our MX hosts from ${d}.`,
      );
    }
  }
  if (retry) fixes.push(TRY_AGAIN);
  checks.push(
    problems.length === 0
      ? {
          id: 'primary-in-network',
          ok: true,
          message: `Your primary MX ${inside.join(', ')} is inside our network, so our backup MX hosts accept mail for ${d}.`,
          fix: null,
        }
      : {
          id: 'primary-in-network',
          ok: false,
          message: `${capitalise(problems.join('; '))}. Our backup MX hosts only accept mail for domains whose primary mail server is hosted with us, so they will refuse mail for ${d} ("Recipient address rejected: Access denied").`,
          fix: fixes.join('\n'),
        },
  );
  return done();
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Postfix wants IPv6 networks in brackets: [2001:db8::]/32. */
export function postfixNetwork(cidr: Cidr): string {
  return cidr.family === 'ipv6' ? `[${cidr.address}]/${cidr.prefix}` : cidr.text;
}

export interface SmtpTestLine {
  /** What to type (or, for the first line, the shell command). */
  send: string;
  /** What the server should answer. */
  expect: string;
}

export interface SmtpTest {
  mxHost: string;
  domain: string;
  /** Check first that our MX is listed and the final MX is in a permitted network. */
  dnsCommands: string[];
  conversation: SmtpTestLine[];
  /** What a rejected RCPT TO means. */
  onReject: string;
}

/** The seed's manual test: send a trial message for the domain through one of our MX hosts by hand. */
export function smtpTest(mxHost: string, domain: string, mailFrom: string, recipient = `postmaster@${domain}`): SmtpTest {
  const host = normaliseHost(mxHost);
  const d = parseMailDomain(domain);
  return {
    mxHost: host,
    domain: d,
    dnsCommands: [`dig MX ${d} +short`, `dig ${d} +short`],
    conversation: [
      { send: `telnet ${host} smtp`, expect: `220 ${host} ESMTP Postfix` },
      { send: 'EHLO my-computer', expect: `250-${host} … 250 DSN` },
      { send: `MAIL FROM: ${mailFrom}`, expect: '250 2.1.0 Ok' },
      { send: `RCPT TO: ${recipient}`, expect: '250 2.1.5 Ok' },
      { send: 'DATA', expect: '354 End data with <CR><LF>.<CR><LF>' },
      { send: 'TEST!', expect: '' },
      { send: '', expect: '' },
      { send: '.', expect: '250 2.0.0 Ok: queued as …' },
      { send: 'QUIT', expect: '221 2.0.0 Bye' },
    ],
    onReject:
      `If RCPT TO is answered with "554 5.7.1 <${recipient}>: Recipient address rejected: Access denied", ` +
      `then either ${host} is not (yet) listed as an MX of ${d} (or the change has not reached the DNS yet), ` +
      `or your own mail server (the domain's primary MX) is not inside our network, and our backup MX hosts only accept mail for domains whose mail server is.`,
  };
}

export interface PostfixHostConfig {
  host: string;
  /** Lines for /etc/postfix/main.cf on that MX host. */
  mainCf: string;
}

export interface PostfixSettings {
  hosts: PostfixHostConfig[];
  smtpTests: SmtpTest[];
  notes: string[];
}

/** For staff: the seed's main.cf lines for each MX host, and a manual SMTP test per domain and host. */
export function postfixSettings(
  input: MxBackupSettingsInput,
  domains: readonly string[],
  options: { mailFrom?: string } = {},
): PostfixSettings {
  const settings = parseMxBackupSettings(input);
  const parsedDomains = parseOrThrow(z.array(domainNameSchema), domains, 'domain list');
  const networks = settings.permitNetworks.map(postfixNetwork).join(', ');
  const hosts = settings.mxHosts.map((mx) => ({
    host: mx.host,
    mainCf: [
      `# This is ${mx.host}.`,
      `myhostname = ${mx.host}`,
      `myorigin = ${mx.host}`,
      '',
      '# No local delivery: this host only queues mail and passes it on.',
      'mydestination =',
      'relayhost =',
      'mynetworks = 127.0.0.0/8',
      'local_transport = error:No local mail delivery',
      'local_recipient_maps =',
      'smtpd_helo_required = yes',
      '',
      '# Send "delivery delayed" emails after 4 hours.',
      'delay_warning_time = 4h',
      '',
      '# Only allow the service to be used for hosts with final',
      '# destinations within our VM network.',
      `permit_mx_backup_networks = ${networks}`,
      '',
      '# Only relay mail for which this machine is a listed MX backup.',
      'smtpd_recipient_restrictions = permit_mx_backup, reject',
      '# Postfix 2.10 and later check these first; their default would defer the backed-up domains.',
      'smtpd_relay_restrictions = permit_mx_backup, reject',
      '',
    ].join('\n'),
  }));
  const mailFrom = options.mailFrom ?? `postmaster@${settings.mxHosts[0]?.host ?? 'localhost'}`;
  const smtpTests = parsedDomains.flatMap((d) => settings.mxHosts.map((mx) => smtpTest(mx.host, d, mailFrom)));
  return {
    hosts,
    smtpTests,
    notes: [
      'Keep the rest of main.cf (banner, TLS, aliases) as it is; restart Postfix after the change: sudo systemctl restart postfix (sudo /etc/init.d/postfix restart on old releases).',
      'Open the SMTP port: sudo iptables -I INPUT 4 -p tcp --dport smtp -j ACCEPT, then save the rules.',
      "The seed's blacklists (cbl.abuseat.org, dul.dnsbl.sorbs.net) no longer exist; read a blacklist's policy before you add one, or you risk losing mail.",
      'permit_mx_backup accepts any recipient at a backed-up domain; test every host with an open relay checker after a change.',
    ],
  };
}
