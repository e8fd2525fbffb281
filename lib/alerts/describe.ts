import { globMatches } from './decide';
import { PROBLEM_STATES, WEEKDAYS, type Rule } from './rule';

// A rule in plain words on screen, and the warnings for a rule that can never send anything.

const DAY_NAMES: Record<string, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };
const STATE_WORDS: Record<string, string> = { WARNING: 'WARNING', CRITICAL: 'CRITICAL', UNKNOWN: 'UNKNOWN', DOWN: 'DOWN', UNREACHABLE: 'UNREACHABLE' };

function list(items: string[], last = 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

function minutes(n: number): string {
  if (n % 1440 === 0) return n === 1440 ? 'a day' : `${n / 1440} days`;
  if (n % 60 === 0) return n === 60 ? 'an hour' : `${n / 60} hours`;
  return n === 1 ? 'a minute' : `${n} minutes`;
}

function days(ds: string[]): string {
  if (ds.length === 7) return 'every day';
  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'];
  if (ds.length === 5 && weekdays.every((d) => ds.includes(d))) return 'Mon–Fri';
  if (ds.length === 2 && ds.includes('sat') && ds.includes('sun')) return 'weekends';
  return WEEKDAYS.filter((d) => ds.includes(d))
    .map((d) => DAY_NAMES[d])
    .join(', ');
}

export interface DescribeNames {
  vmNames: Map<number, string>;
  contactLabels: Map<number, string>;
}

export function describeRule(rule: Rule, names: DescribeNames): string {
  const to = list(rule.contactIds.map((id) => names.contactLabels.get(id) ?? `contact #${id}`), 'and');
  const on = rule.vms === 'all' ? 'any of your VMs' : list(rule.vms.map((id) => names.vmNames.get(id) ?? `VM #${id}`));
  const subjects: string[] = [];
  const s = rule.services;
  if (s.mode === 'all') subjects.push(`any service on ${on}`);
  else if (s.mode === 'chosen') subjects.push(`${list(s.names.map((n) => `"${n}"`))} on ${on}`);
  else if (s.mode === 'pattern') subjects.push(`services named like "${s.pattern}" on ${on}`);
  if (rule.hostEvents) subjects.push(s.mode === 'none' ? on : 'the server itself');
  const problems = rule.triggers.filter((t) => t !== 'RECOVERY').map((t) => STATE_WORDS[t] ?? t);
  const states = problems.length > 0 ? `is ${list(problems)}` : '';
  const recovery = rule.triggers.includes('RECOVERY');
  const watched = rule.triggers.length > 0 ? `${list(subjects)} ${states}${states && recovery ? ', and when it recovers' : recovery ? 'recovers' : ''}`.trim() : '';
  const f = rule.forecast;
  const forecasts = [
    f?.diskFullDays ? `a disk of ${on} would be full within ${f.diskFullDays === 1 ? 'a day' : `${f.diskFullDays} days`}` : '',
    f?.quotaOut ? `the month's transfer quota of ${on} will run out before the month ends` : '',
    rule.mailChecks ? 'a check of your mail domains finds problems (and when they are fixed)' : '',
  ].filter(Boolean);
  const what = [watched + (watched && rule.forMinutes > 0 ? ` for ${minutes(rule.forMinutes)}` : ''), ...forecasts].filter(Boolean);
  const parts = [`Alert ${to} when ${what.length > 0 ? list(what, 'or') : 'nothing (choose what to watch)'}`];
  parts.push(rule.hardOnly ? 'confirmed (HARD) states only' : 'also unconfirmed (SOFT) states');
  if (rule.repeatMinutes) parts.push(`repeated every ${minutes(rule.repeatMinutes)} while unresolved`);
  if (rule.maxPerHour) parts.push(`at most ${rule.maxPerHour === 1 ? 'once' : `${rule.maxPerHour} times`} an hour`);
  if (rule.digest) parts.push(rule.digest.every === 'hourly' ? 'collected into an hourly digest' : `collected into a daily digest at ${rule.digest.at}`);
  else if (rule.groupMinutes > 0) parts.push(`what arrives within ${minutes(rule.groupMinutes)} grouped into one message`);
  if (rule.quiet) {
    const windows = list(rule.quiet.windows.map((w) => `${w.from}–${w.to} ${days(w.days)}`), 'and');
    const action = rule.quiet.action === 'hold' ? 'held until then' : rule.quiet.action === 'drop' ? 'dropped' : 'only CRITICAL and DOWN let through';
    parts.push(`not ${windows} ${rule.timeZone}, ${action}`);
  }
  parts.push(rule.detail === 'summary' ? 'in plain words' : 'with full technical detail');
  return `${parts.join('; ')}.${rule.enabled ? '' : ' (Switched off.)'}`;
}

export interface WarningContext {
  knownServices: string[];
  verifiedContactIds: number[];
}

/** Why the rule can never send anything, or will surprise its owner. Empty when it looks right. */
export function ruleWarnings(rule: Rule, ctx: WarningContext): string[] {
  const w: string[] = [];
  const s = rule.services;
  const hostTriggers = rule.triggers.filter((t) => t === 'DOWN' || t === 'UNREACHABLE');
  const serviceTriggers = rule.triggers.filter((t) => t === 'WARNING' || t === 'CRITICAL' || t === 'UNKNOWN');
  if (!rule.hostEvents && s.mode === 'none' && rule.triggers.length > 0) w.push('It watches neither the server nor any service, so it can never match.');
  if (!rule.hostEvents && serviceTriggers.length === 0 && hostTriggers.length > 0 && !rule.triggers.includes('RECOVERY')) {
    w.push('Only DOWN/UNREACHABLE are chosen, which only the server itself reports, but server events are off.');
  }
  if (s.mode === 'none' && hostTriggers.length === 0 && serviceTriggers.length > 0 && !rule.triggers.includes('RECOVERY')) {
    w.push('Only service states are chosen, but no services are watched.');
  }
  if (s.mode === 'chosen' && ctx.knownServices.length > 0) {
    const unknown = s.names.filter((n) => !ctx.knownServices.includes(n));
    if (unknown.length === s.names.length) w.push(`None of the chosen services (${list(unknown)}) has ever reported on your VMs.`);
  }
  if (s.mode === 'pattern' && ctx.knownServices.length > 0 && !ctx.knownServices.some((n) => globMatches(s.pattern, n))) {
    w.push(`No service of your VMs is named like "${s.pattern}".`);
  }
  if (rule.triggers.length === 1 && rule.triggers[0] === 'RECOVERY') w.push('It only reports recoveries, and a recovery is only sent after this rule reported the problem: it will never send anything.');
  if (!rule.contactIds.some((id) => ctx.verifiedContactIds.includes(id))) w.push('None of its contacts is verified yet, so nothing will be sent.');
  if (rule.quiet?.action === 'drop' && rule.quiet.windows.some((x) => x.days.length === 7 && x.from === x.to)) w.push('Its quiet hours cover the whole week and drop everything.');
  if (rule.repeatMinutes !== null && rule.forMinutes > rule.repeatMinutes) w.push('It repeats more often than it waits before the first message.');
  if (rule.forMinutes > 0 && rule.triggers.every((t) => !(PROBLEM_STATES as readonly string[]).includes(t))) w.push('"For N minutes" only delays problems; this rule has none.');
  return w;
}
