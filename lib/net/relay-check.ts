// The relay check: proves each of our backup MX hosts accepts mail only where it should. For one host
// it holds three SMTP conversations that stop at RCPT TO (lib/net/smtp-probe.ts, never DATA):
//   accept    a domain that lists the host as a backup and whose primary MX is inside
//             permit_mx_backup_networks: RCPT must be accepted, else the backup is misconfigured;
//   unlisted  a domain that does not list the host: RCPT must be refused, else it is an open relay;
//   outside   a domain that lists the host but whose primary is outside the networks: must be refused.
// Which domains are used is decided from DNS (injectable), see chooseProbeDomains; the verdict is pure.
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseEnv } from '../config/parse-env';
import {
  type DnsResult,
  type MxBackupSettings,
  type MxBackupSettingsInput,
  type MxObservation,
  type MxRecord,
  isPermittedAddress,
  normaliseHost,
  parseMailDomain,
  parseMxBackupSettings,
  permittedNetworks,
  primaryMxHosts,
} from '../guides/mx-backup';
import { domainNameSchema } from '../guides/net-schemas';
import { combineAddressLookups, dnsFailureFromError } from './mx-check';
import { type RcptProbeResult, type SmtpReply, type TranscriptLine, probeRcpt, replyText } from './smtp-probe';

export type ProbeKind = 'accept' | 'unlisted' | 'outside';
export const PROBE_KINDS: readonly ProbeKind[] = ['accept', 'unlisted', 'outside'];

export const PROBE_LABELS: Record<ProbeKind, string> = {
  accept: 'a backed-up domain (must be accepted)',
  unlisted: 'a domain that does not list this host (must be refused)',
  outside: 'a domain whose primary MX is outside our networks (must be refused)',
};

/** What one probe found. */
export type ProbeOutcome =
  | 'as-expected'
  /** Accepted where refusal was required: the host relays for anyone. */
  | 'open-relay'
  /** Refused where acceptance was required: customers' backup mail bounces. */
  | 'wrongly-refused'
  /** The conversation did not reach a RCPT TO answer (no connection, a refused greeting/sender, garbage). */
  | 'inconclusive'
  /** No domain of this kind was available to test with. */
  | 'skipped';

export interface ProbeResult {
  kind: ProbeKind;
  expect: 'accept' | 'refuse';
  domain: string | null;
  recipient: string | null;
  /** Where the domain came from: a customer's mail domain, or the configured test domain. */
  source: 'customer' | 'configured' | null;
  outcome: ProbeOutcome;
  /** One sentence for staff. */
  summary: string;
  rcpt: SmtpReply | null;
  stopReply: SmtpReply | null;
  error: string | null;
  transcript: TranscriptLine[];
}

export type RelayStatus = 'pass' | 'open-relay' | 'misconfigured' | 'error' | 'incomplete';

export interface RelayCheckResult {
  /** Bump when the shape changes: results are stored as JSON. */
  version: 1;
  mxHost: string;
  address: string | null;
  port: number;
  checkedAt: string;
  status: RelayStatus;
  ok: boolean;
  openRelay: boolean;
  summary: string;
  probes: ProbeResult[];
  /** Why candidate domains were or weren't used, and other notes. */
  notes: string[];
}

// ---------------------------------------------------------------------------------------------------
// The pure part: what a RCPT reply means, and what the probes of one host add up to.

/** Judges one probe's conversation. */
export function judgeProbe(expect: 'accept' | 'refuse', probe: Pick<RcptProbeResult, 'rcpt' | 'stoppedAt' | 'stopReply' | 'error'>): ProbeOutcome {
  const rcpt = probe.rcpt;
  if (!rcpt) return 'inconclusive';
  const accepted = rcpt.code >= 200 && rcpt.code < 300;
  // 3xx is not a valid answer to RCPT: nothing is proven either way.
  const refused = rcpt.code >= 400 && rcpt.code < 600;
  if (expect === 'accept') return accepted ? 'as-expected' : refused ? 'wrongly-refused' : 'inconclusive';
  return accepted ? 'open-relay' : refused ? 'as-expected' : 'inconclusive';
}

function describeProbe(kind: ProbeKind, outcome: ProbeOutcome, domain: string | null, host: string, probe: Pick<RcptProbeResult, 'rcpt' | 'stoppedAt' | 'stopReply' | 'error'> | null): string {
  const reply = probe?.rcpt ? `"${replyText(probe.rcpt)}"` : '';
  switch (outcome) {
    case 'skipped':
      return kind === 'accept'
        ? `Not tested: no customer domain lists ${host} as a backup with its primary MX inside our networks, and no test domain is configured (RELAY_CHECK_ACCEPT_DOMAIN).`
        : `Not tested: no domain that lists ${host} with a primary MX outside our networks (set RELAY_CHECK_OUTSIDE_DOMAIN to a test zone).`;
    case 'as-expected':
      return expect(kind) === 'accept' ? `Accepted mail for ${domain}: ${reply}.` : `Refused mail for ${domain}: ${reply}.`;
    case 'open-relay':
      return `OPEN RELAY: accepted mail for ${domain}, which it must refuse: ${reply}.`;
    case 'wrongly-refused':
      return `Refused mail for ${domain}, a domain it backs up: ${reply}. Customers' mail would bounce while their server is down.`;
    case 'inconclusive': {
      if (probe?.rcpt) return `No usable answer to RCPT TO for ${domain}: ${reply}.`;
      const why = probe?.stopReply ? `the server answered ${probe.stoppedAt} with "${replyText(probe.stopReply)}"` : (probe?.error ?? 'unknown error');
      return `Could not get as far as RCPT TO for ${domain}: ${why}.`;
    }
  }
}

const expect = (kind: ProbeKind): 'accept' | 'refuse' => (kind === 'accept' ? 'accept' : 'refuse');

/** The host's verdict: an open relay outranks everything, then a refused backup, then errors, then gaps. */
export function relayVerdict(probes: readonly Pick<ProbeResult, 'outcome'>[]): { status: RelayStatus; ok: boolean; openRelay: boolean } {
  const has = (o: ProbeOutcome) => probes.some((p) => p.outcome === o);
  const status: RelayStatus = has('open-relay')
    ? 'open-relay'
    : has('wrongly-refused')
      ? 'misconfigured'
      : has('inconclusive') || probes.length === 0
        ? 'error'
        : has('skipped')
          ? 'incomplete'
          : 'pass';
  return { status, ok: status === 'pass', openRelay: status === 'open-relay' };
}

export const STATUS_LABELS: Record<RelayStatus, string> = {
  pass: 'PASS',
  'open-relay': 'OPEN RELAY',
  misconfigured: 'MISCONFIGURED',
  error: 'CHECK FAILED',
  incomplete: 'INCOMPLETE',
};

function verdictSummary(host: string, status: RelayStatus, probes: readonly ProbeResult[]): string {
  switch (status) {
    case 'pass':
      return `${host} accepts mail for the domain it backs up and refuses everything else.`;
    case 'open-relay':
      return `${host} is an OPEN RELAY: it accepted mail for ${probes
        .filter((p) => p.outcome === 'open-relay')
        .map((p) => p.domain)
        .join(' and ')}, which it must refuse. Spammers can send through it: fix its main.cf now.`;
    case 'misconfigured':
      return `${host} refuses mail for a domain it should back up: check main.cf (permit_mx_backup, permit_mx_backup_networks) and the host's DNS.`;
    case 'error':
      return `The check of ${host} did not complete: ${probes.find((p) => p.outcome === 'inconclusive')?.summary ?? 'nothing was tested.'}`;
    case 'incomplete':
      return `${host} refused what it must refuse, but not every probe could run: ${probes
        .filter((p) => p.outcome === 'skipped')
        .map((p) => p.kind)
        .join(', ')} skipped.`;
  }
}

// ---------------------------------------------------------------------------------------------------
// Choosing the probe domains from DNS.

/** The DNS side, injectable: MX records, and a name's addresses (A and AAAA together). */
export interface RelayDns {
  mx(domain: string): Promise<DnsResult<MxRecord[]>>;
  addresses(host: string): Promise<DnsResult<string[]>>;
}

export function resolverDns(options: { servers?: string[]; timeoutMs?: number; tries?: number } = {}): RelayDns {
  const resolver = new dns.Resolver({ timeout: options.timeoutMs ?? 3000, tries: options.tries ?? 2 });
  if (options.servers && options.servers.length > 0) resolver.setServers(options.servers);
  const lookup = async <T,>(query: () => Promise<T>): Promise<DnsResult<T>> => {
    try {
      return { ok: true, value: await query() };
    } catch (error) {
      return { ok: false, ...dnsFailureFromError(error) };
    }
  };
  return {
    async mx(domain) {
      const r = await lookup(() => resolver.resolveMx(domain));
      return r.ok ? { ok: true, value: r.value.map((m) => ({ exchange: m.exchange, priority: m.priority })) } : r;
    },
    async addresses(host) {
      const [v4, v6] = await Promise.all([lookup(() => resolver.resolve4(host)), lookup(() => resolver.resolve6(host))]);
      return combineAddressLookups(v4, v6);
    },
  };
}

/** How Postfix's permit_mx_backup would see a domain, for one of our hosts, from DNS answers. */
export type DomainRole = 'backed-up' | 'outside' | 'unlisted' | 'primary' | 'unknown';

/**
 * Pure: the host is a backup for the domain when it is listed with a higher preference number than
 * the domain's primary; "backed-up" when every primary address is inside the networks, "outside" when
 * one is not. Anything DNS could not answer is "unknown" and never used as a probe.
 */
export function domainRole(host: string, settings: MxBackupSettings, observed: MxObservation): DomainRole {
  if (!observed.mx.ok) return observed.mx.failure === 'nxdomain' || observed.mx.failure === 'nodata' ? 'unlisted' : 'unknown';
  const records = observed.mx.value.map((r) => ({ exchange: normaliseHost(r.exchange), priority: r.priority }));
  const h = normaliseHost(host);
  const mine = records.filter((r) => r.exchange === h);
  if (mine.length === 0) return 'unlisted';
  const primaries = primaryMxHosts(records, settings);
  if (primaries.length === 0) return 'primary';
  const best = Math.min(...records.filter((r) => primaries.includes(r.exchange)).map((r) => r.priority));
  if (mine.every((r) => r.priority <= best)) return 'primary';
  const allowed = permittedNetworks(settings);
  let outside = false;
  for (const p of primaries) {
    const a = observed.primaryAddresses[p];
    if (!a || !a.ok) return 'unknown';
    if (a.value.some((address) => !isPermittedAddress(allowed, address))) outside = true;
  }
  return outside ? 'outside' : 'backed-up';
}

async function observe(domain: string, settings: MxBackupSettings, lookup: RelayDns): Promise<MxObservation> {
  const mx = await lookup.mx(domain);
  const primaryAddresses: Record<string, DnsResult<string[]>> = {};
  if (mx.ok) {
    for (const host of primaryMxHosts(mx.value, settings)) primaryAddresses[host] = await lookup.addresses(host);
  }
  return { mx, primaryAddresses };
}

export interface RelayCheckConfig {
  /** Port to connect to on each MX host (25 in production). */
  port: number;
  helo: string;
  /** Sender of every probe; "" means postmaster@<the host checked>. */
  mailFrom: string;
  /** Local part of every probe recipient. */
  localPart: string;
  /** A domain known to list none of our hosts (checked in DNS before each run). */
  unlistedDomain: string;
  /** Fallbacks when no customer domain fits: staff-run test zones. */
  acceptDomain: string | null;
  outsideDomain: string | null;
  /** At most this many customer domains are looked up per host. */
  maxCandidates: number;
  timeoutMs: number;
}

export const DEFAULT_RELAY_CONFIG: RelayCheckConfig = {
  port: 25,
  helo: 'relay-check.porthole.invalid',
  mailFrom: '',
  localPart: 'postmaster',
  unlistedDomain: 'example.com',
  acceptDomain: null,
  outsideDomain: null,
  maxCandidates: 20,
  timeoutMs: 10_000,
};

const optionalDomain = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v))
  .pipe(domainNameSchema.optional());

const relayEnvSchema = z.object({
  RELAY_CHECK_PORT: z.coerce.number().int().min(1).max(65535).default(25),
  RELAY_CHECK_HELO: domainNameSchema.default(DEFAULT_RELAY_CONFIG.helo),
  RELAY_CHECK_MAIL_FROM: z.email().or(z.literal('')).default(''),
  RELAY_CHECK_UNLISTED_DOMAIN: domainNameSchema.default(DEFAULT_RELAY_CONFIG.unlistedDomain),
  RELAY_CHECK_ACCEPT_DOMAIN: optionalDomain,
  RELAY_CHECK_OUTSIDE_DOMAIN: optionalDomain,
  RELAY_CHECK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
});

/** The relay check's settings from the environment (see README, "Relay check"); throws a ConfigError. */
export function relayCheckConfigFromEnv(source: Record<string, string | undefined> = process.env): RelayCheckConfig {
  const e = parseEnv(relayEnvSchema, source as NodeJS.ProcessEnv);
  return {
    ...DEFAULT_RELAY_CONFIG,
    port: e.RELAY_CHECK_PORT,
    helo: e.RELAY_CHECK_HELO,
    mailFrom: e.RELAY_CHECK_MAIL_FROM,
    unlistedDomain: e.RELAY_CHECK_UNLISTED_DOMAIN,
    acceptDomain: e.RELAY_CHECK_ACCEPT_DOMAIN ?? null,
    outsideDomain: e.RELAY_CHECK_OUTSIDE_DOMAIN ?? null,
    timeoutMs: e.RELAY_CHECK_TIMEOUT_MS,
  };
}

export interface ProbeDomain {
  kind: ProbeKind;
  domain: string | null;
  source: 'customer' | 'configured' | null;
}

/**
 * Picks one domain per probe for a host. Customer domains (from mail_domains) come first, in the
 * order given, because they are what the host really serves; the configured test domains are the
 * fallback. A candidate is only used when DNS, asked now, gives it the role the probe needs.
 */
export async function chooseProbeDomains(
  host: string,
  settings: MxBackupSettings,
  customerDomains: readonly string[],
  config: RelayCheckConfig,
  lookup: RelayDns,
  notes: string[],
): Promise<ProbeDomain[]> {
  const found: Partial<Record<ProbeKind, ProbeDomain>> = {};
  const roleOf = async (domain: string) => domainRole(host, settings, await observe(domain, settings, lookup));

  for (const domain of [...new Set(customerDomains)].slice(0, config.maxCandidates)) {
    if (found.accept && found.outside) break;
    const role = await roleOf(domain);
    if (role === 'backed-up' && !found.accept) found.accept = { kind: 'accept', domain, source: 'customer' };
    if (role === 'outside' && !found.outside) found.outside = { kind: 'outside', domain, source: 'customer' };
  }
  if (customerDomains.length > config.maxCandidates) notes.push(`Only the first ${config.maxCandidates} of ${customerDomains.length} customer domains were looked at.`);
  const fallback = async (kind: 'accept' | 'outside', domain: string | null, want: DomainRole) => {
    if (found[kind] || !domain) return;
    const role = await roleOf(domain);
    if (role === want) found[kind] = { kind, domain, source: 'configured' };
    else notes.push(`The configured ${kind} domain ${domain} was not used: DNS makes it "${role}" for ${host}, not "${want}".`);
  };
  await fallback('accept', config.acceptDomain, 'backed-up');
  await fallback('outside', config.outsideDomain, 'outside');

  const unlistedRole = await roleOf(config.unlistedDomain);
  if (unlistedRole === 'unlisted') found.unlisted = { kind: 'unlisted', domain: config.unlistedDomain, source: 'configured' };
  else {
    notes.push(`${config.unlistedDomain} (RELAY_CHECK_UNLISTED_DOMAIN) was not used: DNS makes it "${unlistedRole}" for ${host}, not "unlisted".`);
  }
  return PROBE_KINDS.map((kind) => found[kind] ?? { kind, domain: null, source: null });
}

// ---------------------------------------------------------------------------------------------------
// Running it.

export interface RelayCheckInput {
  settings: MxBackupSettingsInput;
  /** Customer mail domains, candidates for the accept and outside probes. */
  customerDomains: readonly string[];
  config?: RelayCheckConfig;
  dns: RelayDns;
}

/** The address to connect to: the host's first address, from the same DNS. An IP literal is refused. */
async function hostAddress(host: string, lookup: RelayDns): Promise<{ address: string } | { error: string }> {
  const r = await lookup.addresses(host);
  if (!r.ok) return { error: `${host} has no address in DNS (${r.failure}${r.detail ? `: ${r.detail}` : ''})` };
  const usable = r.value.filter((a) => isIP(a) !== 0 && a !== '0.0.0.0' && a !== '::');
  // IPv4 first: our hosts listen on both, and IPv4 loopback is what the test stack uses.
  const address = usable.find((a) => isIP(a) === 4) ?? usable[0];
  return address ? { address } : { error: `${host} resolves to no usable address (${r.value.join(', ')})` };
}

/** Checks one of our MX hosts. Never throws for what the server or DNS does; bad settings throw. */
export async function checkRelay(mxHost: string, input: RelayCheckInput): Promise<RelayCheckResult> {
  const settings = parseMxBackupSettings(input.settings);
  const host = parseMailDomain(mxHost);
  const config = input.config ?? DEFAULT_RELAY_CONFIG;
  const checkedAt = new Date().toISOString();
  const notes: string[] = [];
  const customerDomains = input.customerDomains.flatMap((d) => {
    try {
      return [parseMailDomain(d)];
    } catch {
      return [];
    }
  });
  const target = await hostAddress(host, input.dns);
  const choices = await chooseProbeDomains(host, settings, customerDomains, config, input.dns, notes);
  const mailFrom = config.mailFrom || `${config.localPart}@${host}`;

  const probes: ProbeResult[] = [];
  for (const choice of choices) {
    const base = { kind: choice.kind, expect: expect(choice.kind), domain: choice.domain, source: choice.source };
    if (!choice.domain) {
      probes.push({ ...base, recipient: null, outcome: 'skipped', summary: describeProbe(choice.kind, 'skipped', null, host, null), rcpt: null, stopReply: null, error: null, transcript: [] });
      continue;
    }
    const recipient = `${config.localPart}@${choice.domain}`;
    const conversation: RcptProbeResult =
      'error' in target
        ? { rcpt: null, stoppedAt: 'connect', stopReply: null, error: target.error, transcript: [] }
        : await probeRcpt({ address: target.address, port: config.port, helo: config.helo, mailFrom, rcptTo: recipient, timeoutMs: config.timeoutMs, deadlineMs: config.timeoutMs * 6 });
    const outcome = judgeProbe(base.expect, conversation);
    probes.push({
      ...base,
      recipient,
      outcome,
      summary: describeProbe(choice.kind, outcome, choice.domain, host, conversation),
      rcpt: conversation.rcpt,
      stopReply: conversation.stopReply,
      error: conversation.error,
      transcript: conversation.transcript,
    });
  }
  const verdict = relayVerdict(probes);
  return {
    version: 1,
    mxHost: host,
    address: 'address' in target ? target.address : null,
    port: config.port,
    checkedAt,
    ...verdict,
    summary: verdictSummary(host, verdict.status, probes),
    probes,
    notes,
  };
}

/** Checks every configured MX host, one after another (each is a handful of short conversations). */
export async function checkAllRelays(input: RelayCheckInput): Promise<RelayCheckResult[]> {
  const settings = parseMxBackupSettings(input.settings);
  const results: RelayCheckResult[] = [];
  for (const mx of settings.mxHosts) results.push(await checkRelay(mx.host, input));
  return results;
}
