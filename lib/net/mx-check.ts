// The live half of the MX backup guide: asks DNS, then lets the pure evaluator in lib/guides judge.
import { promises as dns } from 'node:dns';
import {
  evaluateMxBackup,
  parseMailDomain,
  parseMxBackupSettings,
  primaryMxHosts,
  type DnsFailure,
  type DnsResult,
  type MxBackupSettingsInput,
  type MxCheckResult,
  type MxRecord,
} from '../guides/mx-backup';
import { GuideInputError } from '../guides/net-schemas';
import { type GuideSettings, mxBackupInput } from '../guides/settings';

export interface MxCheckOptions {
  /** DNS servers to ask, e.g. ['127.0.0.1:15353']; the system's resolvers when absent. */
  servers?: string[];
  /** Per-attempt timeout in ms. */
  timeoutMs?: number;
  tries?: number;
}

const FAILURE_BY_CODE: Record<string, DnsFailure> = {
  ENOTFOUND: 'nxdomain',
  ENODATA: 'nodata',
  ETIMEOUT: 'timeout',
  EREFUSED: 'refused',
  ESERVFAIL: 'servfail',
  ECONNREFUSED: 'unreachable',
};

/** Maps a c-ares error (err.code) to what the evaluator understands. */
export function dnsFailureFromError(err: unknown): { failure: DnsFailure; detail?: string } {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
  const message = err instanceof Error ? err.message : String(err);
  return { failure: (code && FAILURE_BY_CODE[code]) || 'error', detail: message };
}

async function lookup<T>(query: () => Promise<T>): Promise<DnsResult<T>> {
  try {
    return { ok: true, value: await query() };
  } catch (err) {
    return { ok: false, ...dnsFailureFromError(err) };
  }
}

/**
 * A and AAAA answers as one: Postfix needs every address, so a family that failed for a reason
 * other than "no such records" leaves the answer unknown.
 */
export function combineAddressLookups(v4: DnsResult<string[]>, v6: DnsResult<string[]>): DnsResult<string[]> {
  const results = [v4, v6];
  const hard = results.find((r) => !r.ok && r.failure !== 'nodata' && r.failure !== 'nxdomain');
  if (hard) return hard;
  const addresses = results.flatMap((r) => (r.ok ? r.value : []));
  if (addresses.length > 0) return { ok: true, value: addresses };
  if (results.some((r) => !r.ok && r.failure === 'nxdomain')) return { ok: false, failure: 'nxdomain' };
  return { ok: false, failure: 'nodata' };
}

/** Looks the domain up live and judges it with evaluateMxBackup. */
export async function checkMxBackup(
  domain: string,
  settingsInput: MxBackupSettingsInput,
  options: MxCheckOptions = {},
): Promise<MxCheckResult> {
  const d = parseMailDomain(domain);
  const settings = parseMxBackupSettings(settingsInput);
  const resolver = new dns.Resolver({ timeout: options.timeoutMs ?? 3000, tries: options.tries ?? 2 });
  if (options.servers && options.servers.length > 0) {
    try {
      resolver.setServers(options.servers);
    } catch (err) {
      throw new GuideInputError(
        `Invalid DNS servers ${JSON.stringify(options.servers)}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  const mxLookup = await lookup(() => resolver.resolveMx(d));
  const mx: DnsResult<MxRecord[]> = mxLookup.ok
    ? { ok: true, value: mxLookup.value.map((r) => ({ exchange: r.exchange, priority: r.priority })) }
    : mxLookup;

  const primaryAddresses: Record<string, DnsResult<string[]>> = {};
  if (mx.ok) {
    await Promise.all(
      primaryMxHosts(mx.value, settings).map(async (host) => {
        const [v4, v6] = await Promise.all([
          lookup(() => resolver.resolve4(host)),
          lookup(() => resolver.resolve6(host)),
        ]);
        primaryAddresses[host] = combineAddressLookups(v4, v6);
      }),
    );
  }

  const { checks, ok } = evaluateMxBackup(d, settingsInput, { mx, primaryAddresses });
  return {
    domain: d,
    checkedAt: new Date().toISOString(),
    records: mx.ok ? mx.value : [],
    primaryAddresses,
    checks,
    ok,
  };
}

/** A checker for one domain with the host's settings: their MX hosts and networks, and their DNS servers. */
export function mxCheckerFor(settings: GuideSettings, options: Omit<MxCheckOptions, 'servers'> = {}): (domain: string) => Promise<MxCheckResult> {
  return (domain) =>
    checkMxBackup(domain, mxBackupInput(settings), {
      ...options,
      ...(settings.dnsServers.length > 0 ? { servers: settings.dnsServers } : {}),
    });
}
