import { formatMinor } from '../plans/proration';
import { formatInZone } from '../vms/time-zone';

// The audit log in plain sentences for staff: "alice ordered web-01 from Small to Medium for €13.10".
// Pure. Every action written anywhere in the code has words here (audit-words.test.ts scans the source
// for them); one without words still reads as "carol did x.y on vm #3". Odd `details` (old rows, hand
// edits) never throw: a missing value just leaves its part of the sentence out.

export interface AuditWordsInput {
  action: string;
  actorUsername: string | null;
  targetType: string | null;
  targetId: string | null;
  details: unknown;
  /** The name of the entry's account (audit_log.account_id), when known. */
  accountName?: string | null;
  /** The target's own name when known: a VM's hostname, a user's username, a plan's name. */
  targetName?: string | null;
  /** For an order (target plan_order): the hostname of its VM. */
  vmName?: string | null;
  /** Plan names and currencies by slug, for the slugs in plan-change details. */
  plans?: Readonly<Record<string, { name: string; currency?: string | null }>>;
}

export interface AuditWordsOptions {
  /** The zone times inside sentences (maintenance windows) are written in; UTC by default. */
  timeZone?: string;
}

/** The action families staff filter by (a prefix of `action`), with a label each. */
export const AUDIT_FAMILIES: ReadonlyArray<{ prefix: string; label: string }> = [
  { prefix: 'login.', label: 'Logins' },
  { prefix: 'logout', label: 'Log-outs' },
  { prefix: 'session.', label: 'Sessions ended' },
  { prefix: 'user.', label: 'User settings and account links' },
  { prefix: 'staff.', label: 'Staff looking at customer pages' },
  { prefix: 'admin.', label: 'Staff onboarding (accounts, VMs, plans)' },
  { prefix: 'admin.account.', label: 'Staff onboarding: accounts' },
  { prefix: 'admin.vm.', label: 'Staff onboarding: VMs' },
  { prefix: 'admin.plan.', label: 'Staff onboarding: plans' },
  { prefix: 'admin.unassigned.', label: 'Staff onboarding: unassigned events' },
  { prefix: 'alerts.', label: 'Alerts (rules, contacts, maintenance)' },
  { prefix: 'alerts.rule.', label: 'Alert rules' },
  { prefix: 'alerts.contact.', label: 'Alert contacts' },
  { prefix: 'alerts.maintenance.', label: 'Maintenance pauses' },
  { prefix: 'plans.order.', label: 'Plan changes' },
  { prefix: 'mail_domain.', label: 'Mail domains' },
  { prefix: 'mx.', label: 'Backup MX relay checks' },
  { prefix: 'settings.', label: 'Guide settings' },
  { prefix: 'releases.', label: 'Ubuntu release table' },
  { prefix: 'dead_letter.', label: 'Dead letters' },
  { prefix: 'wallboard.', label: 'Wallboard acknowledgements' },
];

/** The kinds of target entries name, with a label each (for the filter). */
export const AUDIT_TARGET_TYPES: ReadonlyArray<{ type: string; label: string }> = [
  { type: 'vm', label: 'VM' },
  { type: 'account', label: 'Account' },
  { type: 'user', label: 'User' },
  { type: 'plan', label: 'Plan' },
  { type: 'plan_order', label: 'Plan-change order' },
  { type: 'alert_rule', label: 'Alert rule' },
  { type: 'alert_contact', label: 'Alert contact' },
  { type: 'mail_domain', label: 'Mail domain' },
  { type: 'dead_letter', label: 'Dead letter' },
  { type: 'settings', label: 'Settings' },
];

// ---- safe readers over unknown details

type Details = Record<string, unknown>;

const asRecord = (v: unknown): Details => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Details) : {});

/** A short, printable text for a value, or null: strings and finite numbers only. */
function text(v: unknown, max = 120): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const clean = v.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (clean === '') return null;
  return [...clean].length > max ? `${[...clean].slice(0, max - 1).join('')}…` : clean;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const quoted = (s: string) => `“${s}”`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "a, b and c". */
function list(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function money(minor: unknown, currency: string | null | undefined): string | null {
  const n = num(minor);
  if (n === null || !Number.isInteger(n)) return null;
  try {
    return formatMinor(n, currency && /^[A-Z]{3}$/.test(currency) ? currency : 'EUR');
  } catch {
    return formatMinor(n, 'EUR');
  }
}

function when(v: unknown, timeZone: string): string | null {
  if (typeof v !== 'string') return null;
  const at = new Date(v);
  if (Number.isNaN(at.getTime())) return null;
  try {
    return formatInZone(at, timeZone, 'datetime');
  } catch {
    return formatInZone(at, 'UTC', 'datetime');
  }
}

// What the changed fields of an account, VM or plan are called.
const FIELD_WORDS: Record<string, string> = {
  key: 'directory key',
  name: 'name',
  contactEmail: 'contact email',
  accountKey: 'account',
  nagiosHostName: 'Nagios host name',
  hostname: 'name',
  address: 'address',
  addressV6: 'IPv6 address',
  ubuntuRelease: 'Ubuntu version',
  planSlug: 'plan',
  slug: 'key',
  priceMinor: 'price',
  currency: 'currency',
  diskGb: 'disk size',
  transferGb: 'monthly transfer',
  memoryMb: 'memory',
  cpus: 'CPUs',
  active: 'availability',
  sortOrder: 'place in the list',
};

function changedFields(details: Details): string {
  const to = asRecord(details.to);
  const from = asRecord(details.from);
  const keys = Object.keys(to).filter((k) => !(k in from) || JSON.stringify(from[k]) !== JSON.stringify(to[k]));
  const words = [...new Set((keys.length > 0 ? keys : Object.keys(to)).map((k) => FIELD_WORDS[k] ?? k))];
  return words.length > 0 ? list(words) : 'nothing';
}

// ---- the sentences

interface Ctx {
  actor: string;
  d: Details;
  e: AuditWordsInput;
  tz: string;
  /** The target in words: "web-01", "VM #3", "user bob". */
  target: string;
}

const CONTACT_KINDS: Record<string, string> = { email: 'an email', sms: 'a text-message', webhook: 'a webhook', push: 'a browser push', alarm: 'a dashboard alarm' };

const SESSION_REASONS: Record<string, string> = {
  directory_removed: 'they are no longer in the directory',
  role_changed: 'their staff membership changed in the directory',
  password_changed: 'their password changed',
  logout: 'they logged out',
  account_suspended: 'their account was suspended',
};

function planName(e: AuditWordsInput, slug: unknown): string | null {
  const s = text(slug, 40);
  if (s === null) return null;
  return e.plans && Object.prototype.hasOwnProperty.call(e.plans, s) ? (text(e.plans[s]?.name, 64) ?? s) : s;
}

function planCurrency(e: AuditWordsInput, slug: unknown): string | null {
  const s = text(slug, 40);
  if (s === null || !e.plans || !Object.prototype.hasOwnProperty.call(e.plans, s)) return null;
  return e.plans[s]?.currency ?? null;
}

/** "from Small to Medium", "to Medium", "" when neither is known. */
function fromTo(c: Ctx): string {
  const from = planName(c.e, c.d.from);
  const to = planName(c.e, c.d.to);
  return `${from ? ` from ${from}` : ''}${to ? ` to ${to}` : ''}`;
}

function orderName(c: Ctx): string {
  const id = text(c.e.targetId, 64);
  const vm = text(c.e.vmName, 255) ?? (num(c.d.vmId) !== null ? `VM #${num(c.d.vmId)}` : null);
  return `order ${id ? `#${id}` : '(unknown)'}${vm ? ` for ${vm}` : ''}`;
}

/** " (a rebuild on Ubuntu 24.04)" for a rebuild's order, else nothing. */
const rebuildOn = (c: Ctx) => (c.d.kind === 'rebuild' ? ` (a rebuild on Ubuntu ${text(c.d.release, 16) ?? 'a new release'})` : '');

const via = (c: Ctx) => (c.d.via === 'api' ? ' through the API' : '');

const WORDS: Record<string, (c: Ctx) => string> = {
  // Logins and sessions
  'login.success': (c) => `${c.actor} logged in${via(c)}`,
  'login.failure': (c) => `A login as ${c.actor}${via(c)} failed: wrong username or password`,
  'login.refused': (c) => {
    const reason = text(c.d.reason);
    return `A login as ${quoted(c.actor)}${via(c)} was refused${reason ? `: ${reason}` : ': the username is not allowed'}`;
  },
  'login.throttled': (c) => `A login as ${c.actor}${via(c)} was refused: too many failed attempts, so logins are paused for a while`,
  'login.cached': (c) => {
    const hits = num(c.d.hits);
    return `${c.actor} used the API${hits !== null ? ` ${plural(hits, 'more time')}` : ''} with a password checked shortly before`;
  },
  logout: (c) => `${c.actor} logged out`,
  'session.revoked': (c) => {
    const reason = text(c.d.reason, 40);
    const sessions = num(c.d.sessions);
    const count = sessions !== null ? ` (${plural(sessions, 'session')})` : '';
    const who = text(c.e.targetName, 64) ?? (c.e.targetType === 'user' && c.e.targetId ? `user #${c.e.targetId}` : 'a user');
    if (reason === 'revoked_by_staff' || reason === null) return `${c.actor} logged ${who} out everywhere${count}`;
    const why = SESSION_REASONS[reason] ?? `the reason given was ${quoted(reason)}`;
    return `Every session of ${who} was ended because ${why}${count}`;
  },

  // A user's own settings and staff links
  'user.account_assigned': (c) => {
    const who = c.target;
    if (c.d.to === null || c.d.to === undefined) return `${c.actor} unlinked ${who} from any account`;
    const account = text(c.e.accountName, 128) ?? (num(c.d.to) !== null ? `account #${num(c.d.to)}` : 'an account');
    return `${c.actor} linked ${who} to the account ${account}${c.d.beforeFirstLogin === true ? ' before their first login' : ''}`;
  },
  'staff.view_account': (c) => `${c.actor} looked at the account ${text(c.e.accountName, 128) ?? c.target}'s ${text(c.d.page, 32) ?? 'pages'} as its users see them`,
  'staff.view_vm': (c) => {
    const vm = text(c.e.vmName, 255) ?? text(c.d.hostname, 255) ?? `VM #${text(c.e.targetId, 64) ?? '?'}`;
    const page = text(c.d.page, 32);
    return `${c.actor} looked at ${vm}${page && page !== 'vm' ? ` (${page})` : ''} as its customer sees it`;
  },
  'user.detail_level_changed': (c) =>
    c.d.to === 'technical' ? `${c.actor} chose to see technical details` : c.d.to === 'summary' ? `${c.actor} chose to see plain summaries` : `${c.actor} changed how much detail they see`,

  // Staff onboarding
  'admin.account.create': (c) => {
    const name = text(c.d.name, 128) ?? text(c.e.accountName, 128);
    const key = text(c.d.key, 64);
    return `${c.actor} created the account ${name ?? (c.e.targetId ? `#${c.e.targetId}` : '')}${key ? ` (${key})` : ''}`.trimEnd();
  },
  'admin.account.update': (c) => `${c.actor} changed the ${changedFields(c.d)} of the account ${text(c.e.accountName, 128) ?? text(asRecord(c.d.from).name, 128) ?? `#${c.e.targetId ?? '?'}`}`,
  'admin.account.suspend': (c) => {
    const reason = text(c.d.reason, 255);
    const sessions = num(c.d.sessions);
    return `${c.actor} suspended the account ${text(c.e.accountName, 128) ?? c.target}${reason ? ` (${quoted(reason)})` : ''}: its users can't log in and its alerts pause${sessions ? `; ${plural(sessions, 'session')} ended` : ''}`;
  },
  'admin.account.reactivate': (c) => `${c.actor} reactivated the account ${text(c.e.accountName, 128) ?? c.target}`,
  'admin.vm.retire': (c) => `${c.actor} retired the VM ${c.target}: its customer no longer sees it and it sends no alerts; its history is kept`,
  'admin.vm.reinstate': (c) => `${c.actor} brought the retired VM ${c.target} back into service`,
  'admin.vm.create': (c) => {
    const name = text(c.d.hostname, 255) ?? text(c.e.targetName, 255) ?? `VM #${c.e.targetId ?? '?'}`;
    const address = text(c.d.address, 45);
    const account = text(c.e.accountName, 128) ?? text(c.d.accountKey, 64);
    const plan = planName(c.e, c.d.planSlug);
    return `${c.actor} added the VM ${name}${address ? ` at ${address}` : ''}${account ? ` to ${account}` : ''}${plan ? ` on the ${plan} plan` : ''}`;
  },
  'admin.vm.update': (c) => `${c.actor} changed the ${changedFields(c.d)} of the VM ${c.target}`,
  'admin.plan.create': (c) => {
    const name = text(c.d.name, 64) ?? c.target;
    const slug = text(c.d.slug, 32);
    const price = money(c.d.priceMinor, text(c.d.currency, 3));
    return `${c.actor} created the plan ${name}${slug ? ` (${slug})` : ''}${price ? ` at ${price} a month` : ''}`;
  },
  'admin.plan.update': (c) => `${c.actor} changed the ${changedFields(c.d)} of the plan ${text(c.e.targetName, 64) ?? text(asRecord(c.d.from).name, 64) ?? c.target}`,

  'admin.unassigned.assign': (c) => {
    const n = num(c.d.events) ?? 0;
    return `${c.actor} gave ${plural(n, 'earlier event')} of ${text(c.d.hostName, 255) ?? 'a host'} to ${c.d.created === true ? 'the new VM' : 'the VM'} ${c.target}`;
  },

  'wallboard.ack': (c) => {
    const state = text(c.d.state, 16);
    const service = text(c.d.service, 255);
    return `${c.actor} acknowledged ${state ? `${state} of ` : ''}${service ? `${quoted(service)} on ` : ''}${c.target} on the wallboard`;
  },

  // Alerts
  'alerts.rule.create': (c) => `${c.actor} created the alert rule ${text(c.d.name) ? quoted(text(c.d.name)!) : c.target}`,
  'alerts.rule.update': (c) => `${c.actor} changed the alert rule ${text(c.d.name) ? quoted(text(c.d.name)!) : c.target}`,
  'alerts.rule.delete': (c) => `${c.actor} deleted ${c.target}`,
  'alerts.maintenance.create': (c) => {
    const start = when(c.d.startsAt, c.tz);
    const end = when(c.d.endsAt, c.tz);
    const zone = c.tz === 'UTC' ? ' UTC' : '';
    const reason = text(c.d.reason);
    const span = start && end ? ` from ${start} until ${end}${zone}` : end ? ` until ${end}${zone}` : '';
    return `${c.actor} paused alerts for ${c.target}${span}${reason ? ` (${quoted(reason)})` : ''}`;
  },
  'alerts.maintenance.end': (c) => `${c.actor} ended the maintenance pause of ${c.target} early: alerts are on again`,
  'alerts.maintenance.delete': (c) => `${c.actor} cancelled a planned maintenance pause of ${c.target}`,
  'alerts.contact.add': (c) => `${c.actor} added ${CONTACT_KINDS[String(c.d.kind)] ?? 'an'} alert contact (${c.target})`,
  'alerts.contact.code_sent': (c) => `${c.actor} asked for a verification code for ${c.target}${c.d.ok === false ? ', but it could not be sent' : ''}`,
  'alerts.contact.code_wrong': (c) => `${c.actor} entered a wrong verification code for ${c.target}`,
  'alerts.contact.verified': (c) => `${c.actor} verified ${c.target}: it can now receive alerts`,
  'alerts.contact.webhook_test': (c) =>
    `${c.actor} sent a test delivery to ${c.target}${c.d.ok === true ? ', and the receiver accepted it' : c.d.ok === false ? ', but it failed' : ''}`,
  'alerts.contact.test_sent': (c) => `${c.actor} sent a test alert to ${c.target}${c.d.ok === true ? '' : c.d.ok === false ? ', but it could not be sent' : ''}`,
  'alerts.contact.remove': (c) => `${c.actor} removed ${c.target}`,

  // Plan changes
  'plans.order.quote': (c) => {
    const price = money(c.d.amountMinor, planCurrency(c.e, c.d.to) ?? planCurrency(c.e, c.d.from));
    return `${c.actor} looked at the price of moving ${c.target}${fromTo(c)}${price ? `: ${price}` : ''}`;
  },
  'plans.order.create': (c) => {
    const price = money(c.d.amountMinor, planCurrency(c.e, c.d.to) ?? planCurrency(c.e, c.d.from));
    const id = num(c.d.orderId);
    return `${c.actor} ordered ${c.target}${fromTo(c)}${price ? ` for ${price}` : ''}${id !== null ? ` (order #${id})` : ''}`;
  },
  'plans.order.rebuild': (c) => {
    const release = text(c.d.release, 16);
    const from = text(c.d.fromRelease, 16);
    const id = num(c.d.orderId);
    return `${c.actor} ordered a rebuild of ${c.target}${release ? ` on a fresh image of Ubuntu ${release}` : ''}${from ? ` (it had ${from})` : ''}, which destroys its data${id !== null ? ` (order #${id})` : ''}`;
  },
  'plans.order.accepted': (c) => `${c.actor} accepted ${orderName(c)}${rebuildOn(c)}`,
  'plans.order.completed': (c) => `${c.actor} completed ${orderName(c)}${rebuildOn(c)}`,
  'plans.order.failed': (c) => {
    const reason = text(c.d.reason, 200);
    return `${c.actor} reported that ${orderName(c)}${rebuildOn(c)} failed${reason ? `: ${reason}` : ''}`;
  },
  'plans.order.cancel': (c) => {
    const reason = text(c.d.reason, 200);
    const message =
      c.d.message === 'withdrawn'
        ? ' Its message to provisioning was withdrawn.'
        : c.d.message === 'already-sent'
          ? ' Its message had already gone to provisioning, which may still carry the change out.'
          : c.d.message === 'in-flight'
            ? ' Its message was being sent at that moment.'
            : '';
    return `${c.actor} cancelled ${orderName(c)}${reason ? `: ${reason}` : ''}.${message}`.replace(/\.$/, '');
  },
  'plans.order.resend': (c) => `${c.actor} sent the message for ${orderName(c)} to provisioning again`,

  // Mail
  'mail_domain.added': (c) => `${c.actor} added the mail domain ${text(c.d.domain, 253) ?? c.target}`,
  'mail_domain.removed': (c) => `${c.actor} removed the mail domain ${text(c.d.domain, 253) ?? c.target}`,
  'mail_domain.checked': (c) => {
    const domain = text(c.d.domain, 253) ?? c.target;
    const failed = Array.isArray(c.d.failed) ? c.d.failed.length : null;
    if (c.d.ok === true) return `${c.actor} checked the mail records of ${domain}: all checks passed`;
    if (c.d.ok === false) return `${c.actor} checked the mail records of ${domain}: ${failed !== null && failed > 0 ? `${plural(failed, 'check')} failed` : 'some checks failed'}`;
    return `${c.actor} checked the mail records of ${domain}`;
  },
  'mx.relay_check': (c) => {
    const hosts = Array.isArray(c.d.hosts) ? c.d.hosts.map((h) => text(h, 253)).filter((h): h is string => h !== null) : [];
    const open = Array.isArray(c.d.openRelays) ? c.d.openRelays.map((h) => text(h, 253)).filter((h): h is string => h !== null) : [];
    const what = `${c.actor} ran the relay check of ${hosts.length > 0 ? list(hosts) : 'the backup MX hosts'}`;
    if (open.length > 0) return `${what}: OPEN RELAY ${list(open)}`;
    if (c.d.ok === true) return `${what}: all passed`;
    if (c.d.ok === false) return `${what}: not all passed`;
    return what;
  },

  // Portal settings
  'settings.guides_updated': (c) => {
    const keys = Object.keys(c.d).map((k) => text(k, 64)).filter((k): k is string => k !== null);
    return `${c.actor} changed the guide settings${keys.length > 0 ? `: ${list(keys)}` : ''}`;
  },
  'settings.guides_reset': (c) => `${c.actor} put the guide setting ${text(c.d.setting, 64) ?? text(c.e.targetId, 64) ?? ''} back to its default`.replace('  ', ' '),
  'settings.support_updated': (c) => {
    const keys = Object.keys(c.d).map((k) => text(k, 64)).filter((k): k is string => k !== null);
    return `${c.actor} changed the support settings${keys.length > 0 ? `: ${list(keys)}` : ''}`;
  },
  'settings.sla_updated': (c) => {
    const to = c.d.to as { unknownIsDown?: unknown; warningIsUp?: unknown } | null | undefined;
    if (!to || typeof to !== 'object') return `${c.actor} changed how the availability figure is counted`;
    const down = to.unknownIsDown === true ? 'critical, unknown, down and unreachable' : 'critical and down';
    return `${c.actor} changed how the availability figure is counted: ${down} count as down, a warning counts as ${to.warningIsUp === false ? 'down' : 'available'}`;
  },
  'releases.imported': (c) => {
    const n = num(c.d.releases);
    const origin = text(c.d.origin, 160);
    const newest = text(c.d.newest, 32);
    return `${c.actor} imported ${n !== null ? plural(n, 'Ubuntu release') : 'the Ubuntu release table'}${origin ? ` from ${origin}` : ''}${newest ? ` (the newest is ${newest})` : ''}`;
  },
  'releases.import_cleared': (c) => `${c.actor} went back to the Ubuntu release table shipped with Porthole`,

  // The pipeline
  'dead_letter.replay': (c) => `${c.actor} replayed ${c.target} and stored it`,
  'dead_letter.discard': (c) => `${c.actor} discarded ${c.target}`,
};

/** Every action with its own words. */
export const KNOWN_ACTIONS: readonly string[] = Object.keys(WORDS);

export const hasWords = (action: string) => Object.prototype.hasOwnProperty.call(WORDS, action);

const TARGET_WORDS: Record<string, string> = {
  vm: 'VM',
  user: 'user',
  account: 'account',
  plan: 'plan',
  plan_order: 'order',
  alert_rule: 'alert rule',
  alert_contact: 'contact',
  mail_domain: 'mail domain',
  dead_letter: 'dead letter',
};

/** The target in words: the VM's hostname, else "VM #3", "alert rule #5", "user bob". */
function targetWords(e: AuditWordsInput): string {
  const type = text(e.targetType, 32);
  const id = text(e.targetId, 64);
  const name = text(e.targetName, 255);
  if (!type) return name ?? (id ? `#${id}` : 'something');
  if (type === 'vm' && name) return name;
  if (type === 'account') return `the account ${name ?? text(e.accountName, 128) ?? `#${id ?? '?'}`}`;
  if (type === 'settings') return `the ${id ?? ''} settings`.replace('  ', ' ');
  const word = TARGET_WORDS[type] ?? type;
  if (name) return `${word} ${name}`;
  return `${word} #${id ?? '?'}`;
}

/** The plain fallback for an action without words: "carol did admin.x.y on vm #3". */
export function fallbackSentence(e: Pick<AuditWordsInput, 'action' | 'actorUsername' | 'targetType' | 'targetId'>): string {
  const actor = text(e.actorUsername, 255) ?? 'Someone';
  const action = text(e.action, 64) ?? 'something';
  const type = text(e.targetType, 32);
  const id = text(e.targetId, 64);
  return `${actor} did ${action}${type ? ` on ${type}${id ? ` #${id}` : ''}` : ''}`;
}

/** One audit entry as a sentence. Never throws. */
export function describeAudit(entry: AuditWordsInput, options: AuditWordsOptions = {}): string {
  const words = hasWords(entry.action) ? WORDS[entry.action] : undefined;
  if (!words) return fallbackSentence(entry);
  try {
    const ctx: Ctx = {
      actor: text(entry.actorUsername, 255) ?? 'Someone',
      d: asRecord(entry.details),
      e: entry,
      tz: options.timeZone ?? 'UTC',
      target: targetWords(entry),
    };
    return words(ctx).replace(/\s+/g, ' ').trim();
  } catch {
    return fallbackSentence(entry);
  }
}
