// check_porthole: Porthole's own Nagios plugin. Fetches /api/health and answers the standard way: one
// line `PORTHOLE STATE - summary | perfdata`, exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. The mapping
// (parseCheckArgs, evaluateHealth) is pure and unit-tested; only checkPortholeMain does I/O.
import { type Result, fail as bad, ok } from '../result';
import type { CliMain } from './run';

export const NAGIOS = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;
export type NagiosState = keyof typeof NAGIOS;

const NAME = 'check_porthole';
export const CHECK_USAGE = [
  `usage: ${NAME} [-t SECONDS] [--lag WARN,CRIT] [--queue WARN,CRIT] [--dead-letters WARN,CRIT] [--backlog WARN,CRIT] [--ingesters MIN] URL`,
  '  URL                     the portal (https://portal.example.com) or its /api/health URL',
  '  -t, --timeout SECONDS   give up after this long: CRITICAL (default 10)',
  '  --lag WARN,CRIT         seconds since the newest stored event (default: none, reported only)',
  '  --queue WARN,CRIT       events waiting on the broker, where it tells (default: none, reported only)',
  '  --dead-letters WARN,CRIT  dead letters waiting for staff (default 1,)',
  '  --backlog WARN,CRIT     alert deliveries due and not yet sent (default 100,1000)',
  '  --ingesters MIN         WARNING with fewer ingesters connected (default 1; 0 to ignore)',
  'Either side of WARN,CRIT may be empty. LDAP or broker trouble (status degraded) is WARNING; the',
  'database down (status down, HTTP 503) or the portal not answering is CRITICAL.',
].join('\n');

/**
 * What the plugin reads of /api/health's answer (lib/health/status.ts, HealthReport). Its own copy: the
 * Nagios-side commands reach no server code, and the portal answering may be another release.
 */
interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  checks: Record<string, string>;
  version?: string;
  pipeline?: {
    ingesters: Array<{ connected: boolean }>;
    lagSeconds: number | null;
    deadLetters: number;
    notificationBacklog: number;
    /** Newer portals only; null when the broker does not tell. */
    queueDepth?: number | null;
  } | null;
}

export interface Thresholds {
  warn: number | null;
  crit: number | null;
}

export interface CheckArgs {
  url: string;
  timeoutMs: number;
  lag: Thresholds;
  queue: Thresholds;
  deadLetters: Thresholds;
  backlog: Thresholds;
  minIngesters: number;
}

const number = (text: string) => (/^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN);

function parseThresholds(option: string, text: string | undefined): Result<Thresholds> {
  const parts = text?.split(',');
  if (!parts || parts.length !== 2) return bad(`${option}: expected WARN,CRIT (either may be empty), got ${JSON.stringify(text ?? '')}`);
  const [warn, crit] = parts.map((p) => (p === '' ? null : number(p))) as [number | null, number | null];
  if (Number.isNaN(warn) || Number.isNaN(crit)) return bad(`${option}: thresholds must be non-negative numbers, got ${JSON.stringify(text)}`);
  if (warn !== null && crit !== null && crit < warn) return bad(`${option}: CRIT must not be below WARN`);
  return ok({ warn, crit });
}

/** Where the report is: a bare portal URL means its /api/health. */
function healthUrl(text: string): Result<string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return bad(`URL: not a URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return bad('URL: must be http:// or https://');
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/api/health';
  return ok(url.toString());
}

const THRESHOLD_FLAGS: Record<string, 'lag' | 'queue' | 'deadLetters' | 'backlog'> = {
  '--lag': 'lag',
  '--queue': 'queue',
  '--dead-letters': 'deadLetters',
  '--backlog': 'backlog',
};

export function parseCheckArgs(argv: readonly string[]): Result<CheckArgs> {
  const args: Omit<CheckArgs, 'url'> & { url?: string } = {
    timeoutMs: 10_000,
    lag: { warn: null, crit: null },
    queue: { warn: null, crit: null },
    deadLetters: { warn: 1, crit: null },
    backlog: { warn: 100, crit: 1000 },
    minIngesters: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '-t' || flag === '--timeout') {
      const v = value();
      const seconds = number(v ?? '');
      if (!(seconds > 0)) return bad(`${flag}: expected seconds above 0, got ${JSON.stringify(v ?? '')}`);
      args.timeoutMs = seconds * 1000;
    } else if (Object.hasOwn(THRESHOLD_FLAGS, flag)) {
      const t = parseThresholds(flag, value());
      if (!t.ok) return t;
      args[THRESHOLD_FLAGS[flag]!] = t.value;
    } else if (flag === '--ingesters') {
      const v = value();
      if (!/^\d+$/.test(v ?? '')) return bad(`--ingesters: expected a whole number, got ${JSON.stringify(v ?? '')}`);
      args.minIngesters = Number(v);
    } else if (arg.startsWith('-')) {
      return bad(`unknown option ${arg}`);
    } else if (args.url === undefined) {
      const url = healthUrl(arg);
      if (!url.ok) return url;
      args.url = url.value;
    } else {
      return bad(`unexpected argument ${JSON.stringify(arg)}`);
    }
  }
  if (args.url === undefined) return bad('URL is missing');
  return ok({ ...args, url: args.url });
}

export interface CheckResult {
  state: NagiosState;
  line: string;
}

const worst = (a: NagiosState, b: NagiosState): NagiosState => (NAGIOS[b] > NAGIOS[a] ? b : a);
const over = (value: number, t: Thresholds): NagiosState =>
  t.crit !== null && value >= t.crit ? 'CRITICAL' : t.warn !== null && value >= t.warn ? 'WARNING' : 'OK';
const perf = (label: string, value: number, unit: string, t: Thresholds) => `${label}=${value}${unit};${t.warn ?? ''};${t.crit ?? ''};0`;
const line = (state: NagiosState, summary: string, perfdata = '') => `PORTHOLE ${state} - ${summary}${perfdata ? ` | ${perfdata}` : ''}`;
/** Plugin output is one line, and `|` would start perfdata. */
const clean = (text: string) => text.replace(/[\r\n|]+/g, ' ').slice(0, 200);

function isReport(body: unknown): body is HealthReport {
  const r = body as HealthReport | null;
  return (
    typeof r === 'object' && r !== null && ['ok', 'degraded', 'down'].includes(r.status) && typeof r.checks === 'object' && r.checks !== null
  );
}

/** The plugin's verdict on one answer of /api/health. */
export function evaluateHealth(httpStatus: number, body: unknown, args: Pick<CheckArgs, 'lag' | 'queue' | 'deadLetters' | 'backlog' | 'minIngesters'>): CheckResult {
  if (!isReport(body)) {
    return { state: httpStatus >= 500 ? 'CRITICAL' : 'UNKNOWN', line: line(httpStatus >= 500 ? 'CRITICAL' : 'UNKNOWN', `HTTP ${httpStatus} without a health report`) };
  }
  const failing = Object.entries(body.checks)
    .filter(([, v]) => v !== 'ok')
    .map(([k, v]) => `${k}: ${clean(String(v))}`);
  const version = typeof body.version === 'string' ? `, version ${clean(body.version)}` : '';
  if (body.status === 'down' || httpStatus === 503) {
    return { state: 'CRITICAL', line: line('CRITICAL', `${body.status}${version}; ${failing.join('; ') || `HTTP ${httpStatus}`}`) };
  }
  let state: NagiosState = body.status === 'degraded' ? 'WARNING' : 'OK';
  const parts = [`${body.status}${version}`, ...failing];
  const perfdata: string[] = [];
  const p = body.pipeline;
  if (p) {
    const connected = p.ingesters.filter((i) => i.connected).length;
    if (connected < args.minIngesters) state = worst(state, 'WARNING');
    parts.push(`${connected}/${p.ingesters.length} ingester(s) connected`);
    if (p.lagSeconds === null) parts.push('no events stored yet');
    else {
      state = worst(state, over(p.lagSeconds, args.lag));
      parts.push(`newest event ${p.lagSeconds}s old`);
      perfdata.push(perf('lag', p.lagSeconds, 's', args.lag));
    }
    if (typeof p.queueDepth === 'number') {
      state = worst(state, over(p.queueDepth, args.queue));
      parts.push(`${p.queueDepth} event(s) waiting on the broker`);
      perfdata.push(perf('queue', p.queueDepth, '', args.queue));
    }
    state = worst(state, over(p.deadLetters, args.deadLetters));
    state = worst(state, over(p.notificationBacklog, args.backlog));
    parts.push(`${p.deadLetters} dead letter(s)`, `${p.notificationBacklog} notification(s) due`);
    perfdata.push(perf('dead_letters', p.deadLetters, '', args.deadLetters), perf('backlog', p.notificationBacklog, '', args.backlog), `ingesters=${connected};;;0`);
  } else {
    state = worst(state, 'UNKNOWN');
    parts.push('no pipeline figures in the report');
  }
  return { state, line: line(state, parts.join(', '), perfdata.join(' ')) };
}

/** Fetches and judges; never throws: every failure is a plugin state. */
export async function checkPorthole(args: CheckArgs, fetchImpl: typeof fetch = fetch): Promise<CheckResult> {
  let response: Response;
  try {
    response = await fetchImpl(args.url, {
      headers: { accept: 'application/json', 'user-agent': NAME },
      redirect: 'manual',
      signal: AbortSignal.timeout(args.timeoutMs),
    });
  } catch (error) {
    const e = error as Error & { cause?: Error & { code?: string } };
    const reason = e.name === 'TimeoutError' ? `no answer in ${args.timeoutMs / 1000}s` : clean(e.cause?.code ?? e.cause?.message ?? e.message);
    return { state: 'CRITICAL', line: line('CRITICAL', `${args.url}: ${reason}`) };
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // judged below as "without a health report"
  }
  return evaluateHealth(response.status, body, args);
}

export const checkPortholeMain: CliMain = async (io) => {
  if (io.argv[0] === '--help' || io.argv[0] === '-h') {
    await io.stdout(CHECK_USAGE + '\n');
    return NAGIOS.UNKNOWN;
  }
  const args = parseCheckArgs(io.argv);
  if (!args.ok) {
    // Nagios shows stdout: the problem goes there, in plugin form.
    await io.stdout(`PORTHOLE UNKNOWN - ${args.error}\n`);
    io.stderr(CHECK_USAGE + '\n');
    return NAGIOS.UNKNOWN;
  }
  const result = await checkPorthole(args.value).catch((error: unknown): CheckResult => ({
    state: 'UNKNOWN',
    line: line('UNKNOWN', `unexpected failure: ${clean(error instanceof Error ? error.message : String(error))}`),
  }));
  await io.stdout(result.line + '\n');
  return NAGIOS[result.state];
};
