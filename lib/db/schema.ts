import { relations } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  datetime,
  double,
  index,
  int,
  json,
  mediumtext,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  smallint,
  text,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';

// Every table of Porthole. Times are UTC DATETIME(3); the connection runs with timezone 'Z'.
const id = () => int('id').autoincrement().primaryKey();
const bigId = () => bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey();
const time = (name: string) => datetime(name, { mode: 'date', fsp: 3 });
const createdAt = () => time('created_at').notNull().$defaultFn(() => new Date());

export const SERVICE_STATES = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
export const HOST_STATES = ['UP', 'DOWN', 'UNREACHABLE'] as const;

export const accounts = mysqlTable('accounts', {
  id: id(),
  /** The value of the directory's account attribute (LDAP_ACCOUNT_ATTRIBUTE) for this account's users. */
  slug: varchar('slug', { length: 64 }).notNull().unique(),
  name: varchar('name', { length: 128 }).notNull(),
  contactEmail: varchar('contact_email', { length: 254 }),
  /** Day of the month (1–28) the account's billing period starts: proration and quotas count from it. */
  billingDay: smallint('billing_day').notNull().default(1),
  /** IANA zone the account's customers read times in, e.g. "Europe/London". */
  timeZone: varchar('time_zone', { length: 64 }).notNull().default('UTC'),
  /** Set while staff have suspended the account: its users can't log in and its alerts pause. */
  suspendedAt: time('suspended_at'),
  suspendedReason: varchar('suspended_reason', { length: 255 }),
  createdAt: createdAt(),
});

export const users = mysqlTable(
  'users',
  {
    id: id(),
    username: varchar('username', { length: 64 }).notNull().unique(),
    dn: varchar('dn', { length: 512 }).notNull(),
    displayName: varchar('display_name', { length: 128 }),
    email: varchar('email', { length: 254 }),
    accountId: int('account_id').references(() => accounts.id),
    /** Where the account link came from: the directory attribute, or a staff assignment that the directory must not undo. */
    accountSource: mysqlEnum('account_source', ['directory', 'staff']),
    isStaff: boolean('is_staff').notNull().default(false),
    detailLevel: mysqlEnum('detail_level', ['summary', 'technical']).notNull().default('summary'),
    createdAt: createdAt(),
    lastLoginAt: time('last_login_at'),
    /** Last time the directory confirmed this user (staff group, existence): lib/auth/user-sync.ts. */
    directoryCheckedAt: time('directory_checked_at'),
    /** The entry's pwdChangedTime (ppolicy) or else modifyTimestamp, as last seen: a change revokes sessions. */
    directoryStamp: varchar('directory_stamp', { length: 32 }),
    /** Set whenever all of the user's sessions are revoked, so every instance drops its cached Basic logins. */
    sessionsRevokedAt: time('sessions_revoked_at'),
  },
  (t) => [index('users_account_idx').on(t.accountId)],
);

/**
 * Server-side identity of every browser session: the JWT cookie carries only an opaque random id,
 * this row (found by the id's sha256) decides whether it is still alive on every instance.
 */
export const sessions = mysqlTable(
  'sessions',
  {
    id: bigId(),
    tokenHash: char('token_hash', { length: 64 }).notNull(),
    userId: int('user_id')
      .notNull()
      .references(() => users.id),
    /** The login: the absolute lifetime (SESSION_MAX_AGE_HOURS) counts from here, renewal never moves it. */
    createdAt: time('created_at').notNull(),
    /** Written at most once a minute (lib/auth/sessions.ts); the idle timeout counts from here. */
    lastSeenAt: time('last_seen_at').notNull(),
    revokedAt: time('revoked_at'),
    revokedReason: varchar('revoked_reason', { length: 32 }),
    ip: varchar('ip', { length: 45 }),
    userAgent: varchar('user_agent', { length: 255 }),
  },
  (t) => [uniqueIndex('sessions_token_hash_uq').on(t.tokenHash), index('sessions_user_idx').on(t.userId, t.revokedAt)],
);

export const plans = mysqlTable('plans', {
  id: id(),
  slug: varchar('slug', { length: 32 }).notNull().unique(),
  name: varchar('name', { length: 64 }).notNull(),
  vcpus: smallint('vcpus').notNull(),
  memoryMb: int('memory_mb').notNull(),
  diskGb: int('disk_gb').notNull(),
  /** Monthly transfer quota. */
  transferGb: int('transfer_gb').notNull(),
  priceCents: int('price_cents').notNull(),
  /** ISO 4217; prices are in its minor unit. A plan change stays within one currency. */
  currency: char('currency', { length: 3 }).notNull().default('EUR'),
  sortOrder: smallint('sort_order').notNull().default(0),
  active: boolean('active').notNull().default(true),
});

export const vms = mysqlTable(
  'vms',
  {
    id: id(),
    accountId: int('account_id')
      .notNull()
      .references(() => accounts.id),
    /** The host_name Nagios knows the VM by: the first key events are matched on. */
    nagiosHostName: varchar('nagios_host_name', { length: 255 }).notNull().unique(),
    hostname: varchar('hostname', { length: 255 }).notNull(),
    address: varchar('address', { length: 45 }).notNull(),
    addressV6: varchar('address_v6', { length: 45 }),
    /** Ubuntu version number, e.g. "22.04". */
    ubuntuRelease: varchar('ubuntu_release', { length: 16 }).notNull(),
    planId: int('plan_id')
      .notNull()
      .references(() => plans.id),
    /** Set when staff retire the VM: its history is kept for staff, customers and alerts no longer see it. */
    retiredAt: time('retired_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('vms_account_idx').on(t.accountId),
    index('vms_address_idx').on(t.address),
    index('vms_hostname_idx').on(t.hostname),
  ],
);

/** Every host and service event Nagios published: the monitoring history. */
export const monitoringEvents = mysqlTable(
  'monitoring_events',
  {
    id: bigId(),
    /** sha256 of source+event_id, or of the seed fields: the idempotency key. */
    eventKey: char('event_key', { length: 64 }).notNull(),
    vmId: int('vm_id'),
    /** What Nagios sent as `hostname` (the seed passes $HOSTADDRESS$). */
    hostname: varchar('hostname', { length: 255 }).notNull(),
    hostName: varchar('host_name', { length: 255 }),
    kind: mysqlEnum('kind', ['host', 'service']).notNull(),
    /** Empty string for host events, so (vm, service) keys stay comparable. */
    service: varchar('service', { length: 255 }).notNull(),
    state: varchar('state', { length: 16 }).notNull(),
    stateType: mysqlEnum('state_type', ['HARD', 'SOFT']).notNull(),
    stateDurationSec: int('state_duration_sec', { unsigned: true }).notNull(),
    attempt: smallint('attempt', { unsigned: true }).notNull(),
    maxAttempts: smallint('max_attempts', { unsigned: true }).notNull(),
    occurredAt: time('occurred_at').notNull(),
    receivedAt: time('received_at').notNull(),
    output: text('output'),
    longOutput: mediumtext('long_output'),
    perfdata: text('perfdata'),
    source: varchar('source', { length: 128 }),
    eventId: varchar('event_id', { length: 128 }),
    extra: json('extra').$type<Record<string, unknown>>(),
  },
  (t) => [
    uniqueIndex('monitoring_events_key_uq').on(t.eventKey),
    // The timeline's order, and (with service and state) everything availability needs from the
    // window, so a month of a busy VM is read from this index alone (lib/db/queries/vm-state-history.ts).
    index('monitoring_events_vm_time_state_idx').on(t.vmId, t.occurredAt, t.id, t.service, t.state, t.stateType),
    index('monitoring_events_vm_service_time_idx').on(t.vmId, t.service, t.occurredAt),
    index('monitoring_events_received_idx').on(t.receivedAt),
    index('monitoring_events_time_idx').on(t.occurredAt),
  ],
);

/** The latest known state of each host ('' service) and service, whether or not it belongs to a VM. */
export const serviceStates = mysqlTable(
  'service_states',
  {
    id: id(),
    hostname: varchar('hostname', { length: 255 }).notNull(),
    service: varchar('service', { length: 255 }).notNull(),
    vmId: int('vm_id'),
    kind: mysqlEnum('kind', ['host', 'service']).notNull(),
    // Written by the ingester's upsert (lib/db/queries/event-store.ts), which never lets an older event
    // overwrite a newer one.
    /** When the current state began. */
    stateSince: time('state_since').notNull(),
    state: varchar('state', { length: 16 }).notNull(),
    stateType: mysqlEnum('state_type', ['HARD', 'SOFT']).notNull(),
    attempt: smallint('attempt', { unsigned: true }).notNull(),
    maxAttempts: smallint('max_attempts', { unsigned: true }).notNull(),
    output: text('output'),
    perfdata: text('perfdata'),
    /** The newest event or check applied; older, late deliveries never overwrite it. */
    lastEventAt: time('last_event_at').notNull(),
    lastCheckAt: time('last_check_at').notNull(),
  },
  (t) => [
    uniqueIndex('service_states_host_service_uq').on(t.hostname, t.service),
    // With the service, so the wallboard's "is there a newer row for this (VM, service)" is one probe
    // (lib/db/queries/wallboard.ts). The service never changes and vm_id is set at most once, so ingest pays
    // nothing more on its upserts.
    index('service_states_vm_idx').on(t.vmId, t.service),
  ],
);

/** Numeric performance data, one row per perfdata label per check. */
export const perfSamples = mysqlTable(
  'perf_samples',
  {
    id: bigId(),
    eventKey: char('event_key', { length: 64 }).notNull(),
    vmId: int('vm_id'),
    hostname: varchar('hostname', { length: 255 }).notNull(),
    service: varchar('service', { length: 255 }).notNull(),
    label: varchar('label', { length: 128 }).notNull(),
    value: double('value'),
    unit: varchar('unit', { length: 16 }).notNull().default(''),
    warn: double('warn'),
    crit: double('crit'),
    min: double('min'),
    max: double('max'),
    sampledAt: time('sampled_at').notNull(),
  },
  (t) => [
    uniqueIndex('perf_samples_key_label_uq').on(t.eventKey, t.label),
    index('perf_samples_vm_series_idx').on(t.vmId, t.service, t.label, t.sampledAt),
  ],
);

/**
 * perf_samples rolled up by hour and by day (lib/db/queries/perf-rollups.ts), so that charts of long ranges
 * read a few hundred rows and raw samples need not be kept for a year. Sums and counts, not averages, so a
 * late batch adds to its hour; per unit, as a plugin that switched from MB to GB must not be averaged across.
 */
export const perfRollups = mysqlTable(
  'perf_rollups',
  {
    vmId: int('vm_id').notNull(),
    service: varchar('service', { length: 255 }).notNull(),
    label: varchar('label', { length: 128 }).notNull(),
    period: mysqlEnum('period', ['hour', 'day']).notNull(),
    bucketStart: datetime('bucket_start', { mode: 'date' }).notNull(),
    unit: varchar('unit', { length: 16 }).notNull(),
    samples: int('samples').notNull(),
    /** Samples with a value (the plugin may send U). */
    valued: int('valued').notNull(),
    sum: double('sum').notNull(),
    low: double('low'),
    high: double('high'),
  },
  (t) => [
    primaryKey({ name: 'perf_rollups_pk', columns: [t.vmId, t.service, t.label, t.period, t.bucketStart, t.unit] }),
    index('perf_rollups_age_idx').on(t.period, t.bucketStart),
  ],
);

/** Messages the ingester could not accept: kept with the reason, re-playable after a fix. */
export const deadLetters = mysqlTable(
  'dead_letters',
  {
    id: bigId(),
    receivedAt: time('received_at').notNull(),
    destination: varchar('destination', { length: 255 }).notNull(),
    messageId: varchar('message_id', { length: 255 }),
    headers: json('headers').$type<Record<string, string>>(),
    body: mediumtext('body').notNull(),
    reason: varchar('reason', { length: 1024 }).notNull(),
    status: mysqlEnum('status', ['new', 'replayed', 'discarded']).notNull().default('new'),
    resolvedAt: time('resolved_at'),
  },
  (t) => [
    index('dead_letters_status_idx').on(t.status, t.receivedAt),
    // The broker's message-id is the same on redelivery: one bad message, one row.
    uniqueIndex('dead_letters_message_uq').on(t.messageId),
  ],
);

/** Each ingester process reports here, so health checks on any web instance can see the pipeline. */
export const ingesterStatus = mysqlTable('ingester_status', {
  instance: varchar('instance', { length: 128 }).primaryKey(),
  destination: varchar('destination', { length: 255 }).notNull(),
  connected: boolean('connected').notNull(),
  startedAt: time('started_at').notNull(),
  updatedAt: time('updated_at').notNull(),
  lastMessageAt: time('last_message_at'),
  messagesTotal: bigint('messages_total', { mode: 'number', unsigned: true }).notNull().default(0),
  deadLettersTotal: bigint('dead_letters_total', { mode: 'number', unsigned: true }).notNull().default(0),
  lastError: varchar('last_error', { length: 1024 }),
});

export const settings = mysqlTable('settings', {
  key: varchar('key', { length: 64 }).primaryKey(),
  value: json('value').notNull(),
  updatedAt: time('updated_at').notNull(),
  updatedBy: varchar('updated_by', { length: 64 }),
});

export const auditLog = mysqlTable(
  'audit_log',
  {
    id: bigId(),
    at: time('at').notNull(),
    actorUserId: int('actor_user_id'),
    actorUsername: varchar('actor_username', { length: 255 }),
    accountId: int('account_id'),
    action: varchar('action', { length: 64 }).notNull(),
    targetType: varchar('target_type', { length: 32 }),
    targetId: varchar('target_id', { length: 64 }),
    ip: varchar('ip', { length: 45 }),
    details: json('details').$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_account_at_idx').on(t.accountId, t.at)],
);

/** Failed-login counters per username and per client address, shared by every web instance. */
export const loginThrottle = mysqlTable(
  'login_throttle',
  {
    scope: mysqlEnum('scope', ['user', 'ip']).notNull(),
    subject: varchar('subject', { length: 190 }).notNull(),
    // Order matters for the upsert in lib/auth/throttle.ts (applied left to right): each column
    // is computed from the old values of the columns after it.
    lockedUntil: time('locked_until'),
    failures: int('failures').notNull(),
    windowStart: time('window_start').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.subject] })],
);

export const mailDomains = mysqlTable(
  'mail_domains',
  {
    id: id(),
    accountId: int('account_id')
      .notNull()
      .references(() => accounts.id),
    domain: varchar('domain', { length: 253 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('mail_domains_account_domain_uq').on(t.accountId, t.domain)],
);

export const mxChecks = mysqlTable(
  'mx_checks',
  {
    id: bigId(),
    mailDomainId: int('mail_domain_id')
      .notNull()
      .references(() => mailDomains.id, { onDelete: 'cascade' }),
    checkedAt: time('checked_at').notNull(),
    ok: boolean('ok').notNull(),
    result: json('result').notNull(),
  },
  (t) => [index('mx_checks_domain_time_idx').on(t.mailDomainId, t.checkedAt)],
);

/**
 * One open-relay check of a backup MX host: an SMTP conversation per probe (a listed customer domain
 * that must be accepted, domains that must be refused), with the server's replies.
 */
export const mxRelayChecks = mysqlTable(
  'mx_relay_checks',
  {
    id: bigId(),
    mxHost: varchar('mx_host', { length: 253 }).notNull(),
    checkedAt: time('checked_at').notNull(),
    ok: boolean('ok').notNull(),
    /** True when the host accepted mail it must refuse: the loud failure. */
    openRelay: boolean('open_relay').notNull(),
    result: json('result').notNull(),
    /** The staff member who ran it, or "schedule". */
    triggeredBy: varchar('triggered_by', { length: 255 }).notNull(),
  },
  (t) => [index('mx_relay_checks_host_time_idx').on(t.mxHost, t.checkedAt)],
);

/** Where an account's alerts may go. Only a verified contact receives anything. */
export const alertContacts = mysqlTable(
  'alert_contacts',
  {
    id: id(),
    accountId: int('account_id')
      .notNull()
      .references(() => accounts.id),
    kind: mysqlEnum('kind', ['email', 'sms', 'webhook', 'push', 'alarm']).notNull(),
    label: varchar('label', { length: 128 }).notNull(),
    /** The address, number, URL or push endpoint; empty for the alarm. */
    target: varchar('target', { length: 2048 }).notNull(),
    /** sha256 of the target: one contact per (account, kind, target). */
    targetKey: char('target_key', { length: 64 }).notNull(),
    /** Webhook signing secret, push subscription keys, webhook preset. */
    options: json('options').$type<Record<string, string>>(),
    verifiedAt: time('verified_at'),
    /** sha256 of the code sent to verify it, its expiry and the attempts left. */
    verifyCodeHash: char('verify_code_hash', { length: 64 }),
    verifyExpiresAt: time('verify_expires_at'),
    verifyAttempts: smallint('verify_attempts', { unsigned: true }).notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('alert_contacts_target_uq').on(t.accountId, t.kind, t.targetKey)],
);

/** A customer's alert rule: the definition is lib/alerts/rule.ts's Rule, validated on every write. */
export const alertRules = mysqlTable(
  'alert_rules',
  {
    id: id(),
    accountId: int('account_id')
      .notNull()
      .references(() => accounts.id),
    name: varchar('name', { length: 120 }).notNull(),
    enabled: boolean('enabled').notNull(),
    definition: json('definition').notNull(),
    createdAt: createdAt(),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [index('alert_rules_account_idx').on(t.accountId, t.enabled)],
);

/** Customer-set maintenance: no alerts for the VM between the two times. */
export const maintenanceWindows = mysqlTable(
  'maintenance_windows',
  {
    id: id(),
    accountId: int('account_id').notNull(),
    vmId: int('vm_id')
      .notNull()
      .references(() => vms.id),
    startsAt: time('starts_at').notNull(),
    endsAt: time('ends_at').notNull(),
    reason: varchar('reason', { length: 255 }),
    createdAt: createdAt(),
  },
  (t) => [index('maintenance_windows_vm_idx').on(t.vmId, t.endsAt)],
);

/**
 * Stored events that may notify, written in the ingester's own transaction (so none is lost between
 * storing and notifying) and removed by the notifier in the transaction that records its decisions.
 */
export const alertOutbox = mysqlTable(
  'alert_outbox',
  {
    id: bigId(),
    eventId: bigint('event_id', { mode: 'number', unsigned: true }).notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [uniqueIndex('alert_outbox_event_uq').on(t.eventId)],
);

/**
 * News for a customer that is not a monitoring event: forecasts worth telling (a disk filling within a
 * rule's N days, the month's transfer running out; one per VM, subject and month) and the end of a plan
 * change. `notice_key` makes each a single message per rule and contact however often it is found.
 */
export const alertNotices = mysqlTable(
  'alert_notices',
  {
    id: bigId(),
    accountId: int('account_id').notNull(),
    /** 0 for news about the account rather than one VM (a mail domain's check). */
    vmId: int('vm_id').notNull(),
    kind: mysqlEnum('kind', ['disk', 'transfer', 'order', 'mail']).notNull(),
    noticeKey: varchar('notice_key', { length: 191 }).notNull(),
    message: varchar('message', { length: 1024 }).notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [uniqueIndex('alert_notices_key_uq').on(t.noticeKey)],
);

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'suppressed', 'waiting', 'held', 'grouped', 'digested'] as const;

/**
 * Every decision for every (rule, event, contact), and every message: the delivery log. Rows that wait
 * (pending retries, for-N-minutes, quiet hours, groups, digests) are picked up when due_at passes; a row
 * being sent holds a lease in due_at, so a notifier that died mid-send is replaced after it.
 */
export const alertDeliveries = mysqlTable(
  'alert_deliveries',
  {
    id: bigId(),
    accountId: int('account_id').notNull(),
    ruleId: int('rule_id').notNull(),
    eventId: bigint('event_id', { mode: 'number', unsigned: true }).notNull(),
    contactId: int('contact_id').notNull(),
    /** A notice (alert_notices: a forecast, an order, a mail check) instead of an event: then event_id is 0, and vm_id too when the news is the account's. */
    noticeId: bigint('notice_id', { mode: 'number', unsigned: true }).notNull().default(0),
    /** 0 for the first message about the event, 1… for repeats while it is unresolved. */
    seq: smallint('seq', { unsigned: true }).notNull().default(0),
    vmId: int('vm_id').notNull(),
    service: varchar('service', { length: 255 }).notNull(),
    state: varchar('state', { length: 16 }).notNull(),
    channel: mysqlEnum('channel', ['email', 'sms', 'webhook', 'push', 'alarm']).notNull(),
    status: mysqlEnum('status', DELIVERY_STATUSES).notNull(),
    reason: varchar('reason', { length: 64 }).notNull(),
    detail: varchar('detail', { length: 1024 }),
    groupKey: varchar('group_key', { length: 128 }),
    /** The delivery whose message carried this one (a group or digest). */
    carriedBy: bigint('carried_by', { mode: 'number', unsigned: true }),
    subject: varchar('subject', { length: 255 }),
    body: mediumtext('body'),
    attempts: smallint('attempts', { unsigned: true }).notNull().default(0),
    response: varchar('response', { length: 1024 }),
    dueAt: time('due_at'),
    createdAt: time('created_at').notNull(),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('alert_deliveries_once_uq').on(t.ruleId, t.eventId, t.noticeId, t.contactId, t.seq),
    index('alert_deliveries_due_idx').on(t.status, t.dueAt),
    index('alert_deliveries_account_idx').on(t.accountId, t.id),
    index('alert_deliveries_rule_contact_idx').on(t.ruleId, t.contactId, t.createdAt),
    index('alert_deliveries_subject_idx').on(t.ruleId, t.vmId, t.service, t.id),
    index('alert_deliveries_group_idx').on(t.groupKey),
  ],
);

export const ORDER_STATUSES = ['requested', 'sent', 'accepted', 'completed', 'failed', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** An upgrade changes the VM's plan; a rebuild reinstalls it on another release (its data is lost). */
export const ORDER_KINDS = ['upgrade', 'rebuild'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

/** What an order's price was made of, kept as it was shown on the confirmation screen. */
export interface OrderPricing {
  fromPriceMinor: number;
  toPriceMinor: number;
  daysLeft: number;
  daysInPeriod: number;
  periodStart: string;
  periodEnd: string;
  explanation: string;
}

/**
 * A plan change a customer ordered. The idempotency key (one per confirmation screen) makes a double
 * submit one order; `open_vm_id` is the VM's id while the order is open and NULL once it has ended, so a
 * unique index allows one open order per VM (a second tab cannot order twice).
 */
export const planOrders = mysqlTable(
  'plan_orders',
  {
    id: id(),
    accountId: int('account_id').notNull(),
    vmId: int('vm_id')
      .notNull()
      .references(() => vms.id),
    openVmId: int('open_vm_id'),
    kind: mysqlEnum('kind', ORDER_KINDS).notNull().default('upgrade'),
    fromPlanId: int('from_plan_id').notNull(),
    /** For a rebuild, the VM's own plan: only the release changes. */
    toPlanId: int('to_plan_id').notNull(),
    /** A rebuild's target Ubuntu release, e.g. "24.04"; null for upgrades. */
    targetRelease: varchar('target_release', { length: 16 }),
    idempotencyKey: varchar('idempotency_key', { length: 64 }).notNull(),
    status: mysqlEnum('status', ORDER_STATUSES).notNull(),
    amountMinor: int('amount_minor').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    pricing: json('pricing').$type<OrderPricing>().notNull(),
    requestedBy: varchar('requested_by', { length: 255 }).notNull(),
    requestedByUserId: int('requested_by_user_id'),
    /** Why it failed or was cancelled, as the provisioning system or staff said. */
    reason: varchar('reason', { length: 1024 }),
    createdAt: time('created_at').notNull(),
    sentAt: time('sent_at'),
    acceptedAt: time('accepted_at'),
    completedAt: time('completed_at'),
    failedAt: time('failed_at'),
    cancelledAt: time('cancelled_at'),
    updatedAt: time('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('plan_orders_key_uq').on(t.accountId, t.idempotencyKey),
    uniqueIndex('plan_orders_open_vm_uq').on(t.openVmId),
    index('plan_orders_vm_idx').on(t.vmId, t.createdAt),
    index('plan_orders_status_idx').on(t.status, t.updatedAt),
  ],
);

/**
 * Messages for the host's provisioning system, written in the transaction that creates the order and
 * removed once the broker's receipt confirms it has them, so an order placed while the broker is down
 * is published when it returns.
 */
export const provisioningOutbox = mysqlTable(
  'provisioning_outbox',
  {
    id: bigId(),
    orderId: int('order_id').notNull(),
    body: text('body').notNull(),
    attempts: smallint('attempts', { unsigned: true }).notNull().default(0),
    lastError: varchar('last_error', { length: 1024 }),
    dueAt: time('due_at').notNull(),
    createdAt: time('created_at').notNull(),
  },
  (t) => [index('provisioning_outbox_due_idx').on(t.dueAt), index('provisioning_outbox_order_idx').on(t.orderId)],
);

/**
 * Staff acknowledgements on the wallboard (/admin/wallboard). A problem is one state change of one
 * (VM, service): `state_since` is service_states.state_since, which the ingester moves only when the
 * state changes, so a new problem (OK → CRITICAL, or WARNING → CRITICAL) has a new key and is
 * unacknowledged by construction, while SOFT → HARD of the same state keeps its acknowledgement.
 * Keyed by the VM, not by service_states.id: a host known by two names (address and host_name) is
 * one VM here, and a row's id does not survive a reset of the state table.
 */
export const wallboardAcks = mysqlTable(
  'wallboard_acks',
  {
    id: bigId(),
    vmId: int('vm_id').notNull(),
    /** '' for the host itself, as in service_states. */
    service: varchar('service', { length: 255 }).notNull(),
    stateSince: time('state_since').notNull(),
    /** The state that was acknowledged (for the record; the key is the state change's time). */
    state: varchar('state', { length: 16 }).notNull(),
    acknowledgedAt: time('acknowledged_at').notNull(),
    acknowledgedBy: varchar('acknowledged_by', { length: 255 }).notNull(),
    acknowledgedByUserId: int('acknowledged_by_user_id'),
  },
  (t) => [uniqueIndex('wallboard_acks_problem_uq').on(t.vmId, t.service, t.stateSince)],
);

export const accountsRelations = relations(accounts, ({ many }) => ({ vms: many(vms), users: many(users) }));
export const vmsRelations = relations(vms, ({ one }) => ({
  account: one(accounts, { fields: [vms.accountId], references: [accounts.id] }),
  plan: one(plans, { fields: [vms.planId], references: [plans.id] }),
}));

export type Account = typeof accounts.$inferSelect;
export type User = typeof users.$inferSelect;
export type Plan = typeof plans.$inferSelect;
export type Vm = typeof vms.$inferSelect;
export type MonitoringEventRow = typeof monitoringEvents.$inferSelect;
export type NewMonitoringEventRow = typeof monitoringEvents.$inferInsert;
export type ServiceState = typeof serviceStates.$inferSelect;
export type PerfSampleRow = typeof perfSamples.$inferSelect;
export type DeadLetter = typeof deadLetters.$inferSelect;
export type AuditEntry = typeof auditLog.$inferInsert;
export type SessionRow = typeof sessions.$inferSelect;
export type AlertContact = typeof alertContacts.$inferSelect;
export type AlertRuleRow = typeof alertRules.$inferSelect;
export type AlertDelivery = typeof alertDeliveries.$inferSelect;
export type WallboardAck = typeof wallboardAcks.$inferSelect;
