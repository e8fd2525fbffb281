import { z } from 'zod';
import { fail, ok, type Result } from '../result';

// A customer's alert rule: pure data, validated here for the API, the form and the notifier alike.

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const PROBLEM_STATES = ['WARNING', 'CRITICAL', 'UNKNOWN', 'DOWN', 'UNREACHABLE'] as const;
export const TRIGGERS = [...PROBLEM_STATES, 'RECOVERY'] as const;
export type Trigger = (typeof TRIGGERS)[number];

const hhmm = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time like 07:30 (24-hour clock)');

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const glob = z
  .string()
  .trim()
  .min(1, 'enter a name pattern, like "Disk *"')
  .max(255, 'at most 255 characters');

export const forecastSchema = z.object({
  /** Tell when a disk of the VM would be full within this many days at its current rate (null: not). */
  diskFullDays: z.number().int().min(1, 'at least 1 day').max(90, 'at most 90 days').nullable(),
  /** Tell when the month's transfer quota will run out before the month ends. */
  quotaOut: z.boolean(),
});

export const ruleSchema = z.object({
  name: z.string().trim().min(1, 'give the rule a name').max(120, 'at most 120 characters'),
  enabled: z.boolean().default(true),
  vms: z.union([z.literal('all'), z.array(z.number().int().positive()).min(1, 'choose at least one VM, or all').max(500)]),
  hostEvents: z.boolean(),
  services: z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('all') }),
    z.object({ mode: z.literal('none') }),
    z.object({ mode: z.literal('chosen'), names: z.array(z.string().trim().min(1).max(255)).min(1, 'choose at least one service').max(200) }),
    z.object({ mode: z.literal('pattern'), pattern: glob }),
  ]),
  triggers: z.array(z.enum(TRIGGERS)),
  hardOnly: z.boolean(),
  forMinutes: z.number().int().min(0).max(1440, 'at most 1440 minutes (a day)'),
  repeatMinutes: z.number().int().min(5, 'at least every 5 minutes').max(10080, 'at most every 7 days').nullable(),
  maxPerHour: z.number().int().min(1).max(1000).nullable(),
  groupMinutes: z.number().int().min(0).max(1440, 'at most 1440 minutes (a day)'),
  digest: z.union([z.null(), z.object({ every: z.literal('hourly') }), z.object({ every: z.literal('daily'), at: hhmm })]),
  quiet: z
    .object({
      windows: z
        .array(z.object({ days: z.array(z.enum(WEEKDAYS)).min(1, 'choose at least one day'), from: hhmm, to: hhmm }))
        .min(1)
        .max(14),
      action: z.enum(['hold', 'drop', 'urgent-only']),
    })
    .nullable(),
  timeZone: z.string().refine(isTimeZone, 'must be a time zone like Europe/London'),
  detail: z.enum(['summary', 'technical']),
  contactIds: z.array(z.number().int().positive()).min(1, 'choose at least one contact').max(50),
  /** Forecasts as triggers (a disk filling, the quota running out); absent in rules written before them. */
  forecast: forecastSchema.nullable().default(null),
  /** Tell when a scheduled check of the account's mail domains finds problems, and when they are fixed; absent in older rules. */
  mailChecks: z.boolean().default(false),
}).superRefine((rule, ctx) => {
  if (!watchesSomething(rule)) ctx.addIssue({ code: 'custom', path: ['triggers'], message: NOTHING_TO_WATCH });
});

const NOTHING_TO_WATCH = 'choose at least one state to be told about, a forecast, or the mail checks';

function watchesSomething(rule: { triggers?: unknown; forecast?: unknown; mailChecks?: unknown }): boolean {
  const f = rule.forecast as { diskFullDays?: unknown; quotaOut?: unknown } | null | undefined;
  const forecasts = !!f && ((typeof f.diskFullDays === 'number' && f.diskFullDays > 0) || f.quotaOut === true);
  return forecasts || rule.mailChecks === true || !Array.isArray(rule.triggers) || rule.triggers.length > 0;
}

export type Rule = z.infer<typeof ruleSchema>;

/** HARD problems and recoveries on every VM, host and services, by email to the account's contact. */
export function defaultRule(contactId: number, timeZone = 'UTC'): Rule {
  return {
    name: 'Problems and recoveries',
    enabled: true,
    vms: 'all',
    hostEvents: true,
    services: { mode: 'all' },
    triggers: [...TRIGGERS],
    hardOnly: true,
    forMinutes: 0,
    repeatMinutes: null,
    maxPerHour: null,
    groupMinutes: 0,
    digest: null,
    quiet: null,
    timeZone,
    detail: 'summary',
    contactIds: [contactId],
    forecast: null,
    mailChecks: false,
  };
}

/** Every problem, each with the field it concerns, in words a person can act on. */
export function parseRule(input: unknown): Result<Rule, string[]> {
  const parsed = ruleSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`);
  // The whole-rule check runs only once every field parses; say it with the others all the same.
  const raw = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  if (!watchesSomething(raw) && !problems.includes(`triggers: ${NOTHING_TO_WATCH}`)) problems.push(`triggers: ${NOTHING_TO_WATCH}`);
  return fail(problems);
}
