// Query parameters of the VM pages and the /api/v1/vms/:id/* endpoints, validated with zod. One parser
// per concern, shared by the page (which shows the message) and the API (which answers 400 with it).
import { z } from 'zod';
import { HOST_STATES, SERVICE_STATES, STATE_TYPES, type MonitoringState, type StateType } from '../monitoring/wire';
import { type Result, fail, ok } from '../result';
import { parseInstant } from './time-zone';

export const ALL_STATES: readonly MonitoringState[] = [...HOST_STATES, ...SERVICE_STATES];
/** The longest window any query may span: bounds the rows a single request can make the database read. */
export const MAX_WINDOW_DAYS = 400;
export const HISTORY_PAGE_SIZE = 50;
const DAY = 86_400_000;

/** Every value of a parameter (repeated parameters matter for `state`). */
export type QueryInput = (name: string) => string[];

export const fromSearchParams =
  (params: URLSearchParams): QueryInput =>
  (name) =>
    params.getAll(name);

export const fromRecord =
  (record: Record<string, string | string[] | undefined>): QueryInput =>
  (name) => {
    const v = record[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };

/** A page's search parameter as one value: the first when it was given more than once. */
export const firstValue = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** Route parameters arrive as text; anything but a plain positive integer is "not found". */
export function parseId(raw: string): number | null {
  return /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : null;
}

// ---------------------------------------------------------------------------------------------
// Cursor: the (occurred_at, id) of the last row shown, opaque to clients.

export interface Cursor {
  at: Date;
  id: number;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.at.getTime()}.${c.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(text: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{4,40}$/.test(text)) return null;
  const m = /^(\d{1,15})\.(\d{1,16})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!m) return null;
  const at = Number(m[1]);
  const id = Number(m[2]);
  if (!Number.isSafeInteger(id) || id <= 0 || at > 8.64e15) return null;
  return { at: new Date(at), id };
}

// ---------------------------------------------------------------------------------------------
// Building blocks

const quote = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s);

/** The single value of a parameter: undefined when absent or empty (an untouched form field). */
function single(input: QueryInput, name: string): string | undefined | { error: string } {
  const values = input(name).filter((v) => v.trim() !== '');
  if (values.length > 1) return { error: `${name}: give it once (got ${values.length} values)` };
  return values[0]?.trim();
}

type Raw = Record<string, string | string[] | undefined>;

function collect(input: QueryInput, names: Record<string, string>, multi: readonly string[] = []): Result<Raw> {
  const raw: Raw = {};
  for (const [key, name] of Object.entries(names)) {
    if (multi.includes(key)) {
      const values = input(name)
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter((v) => v !== '');
      raw[key] = values.length > 0 ? values : undefined;
      continue;
    }
    const v = single(input, name);
    if (typeof v === 'object') return fail(v.error);
    raw[key] = v;
  }
  return ok(raw);
}

function instant(timeZone: string) {
  return z.string().transform((text, ctx) => {
    const d = parseInstant(text, timeZone);
    if (!d) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a date such as 2024-05-01, 2024-05-01T14:30 or 2024-05-01T14:30:00Z (got ${quote(text)})`,
      });
      return z.NEVER;
    }
    return d;
  });
}

function message(error: z.ZodError, names: Record<string, string>): string {
  return error.issues
    .slice(0, 3)
    .map((i) => {
      const key = i.path[0];
      const name = typeof key === 'string' ? (names[key] ?? key) : undefined;
      return name ? `${name}: ${i.message}` : i.message;
    })
    .join('; ');
}

function checkWindow(from: Date | undefined, to: Date | undefined, ctx: z.RefinementCtx, names: { from: string; to: string }) {
  if (from && to && from.getTime() >= to.getTime()) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `must be later than ${names.from}` });
  }
  if (from && to && to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${MAX_WINDOW_DAYS} days` });
  }
}

function run<T>(schema: z.ZodType<T>, input: QueryInput, names: Record<string, string>, multi: readonly string[] = []): Result<T> {
  const raw = collect(input, names, multi);
  if (!raw.ok) return raw;
  const parsed = schema.safeParse(raw.value);
  return parsed.success ? ok(parsed.data) : fail(message(parsed.error, names));
}

const stateEnum = z.enum(ALL_STATES as [MonitoringState, ...MonitoringState[]], {
  error: (iss) => `expected ${ALL_STATES.join(', ')} (got ${quote(String(iss.input))})`,
});
const stateTypeEnum = z.enum(STATE_TYPES, { error: (iss) => `expected HARD or SOFT (got ${quote(String(iss.input))})` });
const serviceName = z
  .string()
  .max(255, { error: 'longer than 255 characters' })
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { error: 'must not contain control characters' });
const upper = (s: unknown) => (typeof s === 'string' ? s.toUpperCase() : s);

// ---------------------------------------------------------------------------------------------
// History (the timeline)

export interface HistoryParams {
  cursor: Cursor | null;
  limit: number;
  /** 'host': host events only; 'service': service events only. */
  kind?: 'host' | 'service';
  service?: string;
  states: MonitoringState[];
  stateType?: StateType;
  from?: Date;
  to?: Date;
}

export const HISTORY_NAMES = {
  cursor: 'cursor',
  limit: 'limit',
  kind: 'kind',
  service: 'service',
  state: 'state',
  type: 'type',
  from: 'from',
  to: 'to',
} as const;

export function parseHistoryParams(input: QueryInput, timeZone: string, names: Record<keyof typeof HISTORY_NAMES, string> = HISTORY_NAMES): Result<HistoryParams> {
  const schema = z
    .object({
      cursor: z
        .string()
        .transform((text, ctx) => {
          const c = decodeCursor(text);
          if (!c) {
            ctx.addIssue({ code: 'custom', message: 'not a cursor this server gave out' });
            return z.NEVER;
          }
          return c;
        })
        .optional(),
      limit: z.coerce
        .number({ error: 'expected a whole number' })
        .int({ error: 'expected a whole number' })
        .min(1, { error: 'must be at least 1' })
        .max(200, { error: 'must be at most 200' })
        .default(HISTORY_PAGE_SIZE),
      kind: z.enum(['host', 'service'], { error: (iss) => `expected host or service (got ${quote(String(iss.input))})` }).optional(),
      service: serviceName.optional(),
      state: z.array(z.preprocess(upper, stateEnum)).max(ALL_STATES.length).optional(),
      type: z.preprocess(upper, stateTypeEnum).optional(),
      from: instant(timeZone).optional(),
      to: instant(timeZone).optional(),
    })
    .superRefine((v, ctx) => {
      if (v.kind === 'host' && v.service !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['service'], message: `cannot be combined with ${names.kind}=host` });
      }
      if (v.from && v.to && v.from.getTime() >= v.to.getTime()) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: `must be later than ${names.from}` });
      }
    })
    .transform(
      (v): HistoryParams => ({
        cursor: v.cursor ?? null,
        limit: v.limit,
        ...(v.kind ? { kind: v.kind } : {}),
        ...(v.service !== undefined ? { service: v.service } : {}),
        states: [...new Set(v.state ?? [])],
        ...(v.type ? { stateType: v.type } : {}),
        ...(v.from ? { from: v.from } : {}),
        ...(v.to ? { to: v.to } : {}),
      }),
    );
  return run(schema, input, names, ['state']);
}

// ---------------------------------------------------------------------------------------------
// Availability

export interface AvailabilityParams {
  from: Date;
  to: Date;
  hardOnly: boolean;
}

const booleanFlag = (name: string) =>
  z
    .string()
    .transform((s, ctx) => {
      const v = s.toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      ctx.addIssue({ code: 'custom', message: `expected true or false (got ${quote(s)})` });
      return z.NEVER;
    })
    .describe(name);

/** API: `to` defaults to now, `from` to 24 hours before `to`; `hardOnly` (default true) ignores SOFT problem states. */
export function parseAvailabilityParams(input: QueryInput, timeZone: string, now: Date): Result<AvailabilityParams> {
  const names = { from: 'from', to: 'to', hardOnly: 'hardOnly' };
  const schema = z
    .object({ from: instant(timeZone).optional(), to: instant(timeZone).optional(), hardOnly: booleanFlag('hardOnly').optional() })
    .superRefine((v, ctx) => checkWindow(v.from ?? new Date((v.to ?? now).getTime() - DAY), v.to ?? now, ctx, names))
    .transform((v): AvailabilityParams => {
      const to = v.to ?? now;
      return { from: v.from ?? new Date(to.getTime() - DAY), to, hardOnly: v.hardOnly ?? true };
    });
  return run(schema, input, names);
}

/** The page's custom availability range (`afrom`/`ato`, both or neither) and the SOFT switch (`soft=1`). */
export interface PageAvailabilityParams {
  custom: { from: Date; to: Date } | null;
  hardOnly: boolean;
}

export function parsePageAvailabilityParams(input: QueryInput, timeZone: string, now: Date): Result<PageAvailabilityParams> {
  const names = { from: 'afrom', to: 'ato', soft: 'soft' };
  const schema = z
    .object({ from: instant(timeZone).optional(), to: instant(timeZone).optional(), soft: booleanFlag('soft').optional() })
    .superRefine((v, ctx) => {
      if (v.to !== undefined && v.from === undefined) {
        ctx.addIssue({ code: 'custom', path: ['from'], message: 'give the start of the range too' });
      }
      if (v.from) checkWindow(v.from, v.to ?? now, ctx, names);
    })
    .transform(
      (v): PageAvailabilityParams => ({
        custom: v.from ? { from: v.from, to: v.to ?? now } : null,
        hardOnly: !(v.soft ?? false),
      }),
    );
  return run(schema, input, names);
}

// ---------------------------------------------------------------------------------------------
// Metrics

export interface MetricsParams {
  service?: string;
  label?: string;
  from: Date;
  to: Date;
  points: number;
}

/** API: `label` (and `service` when a label is in several services); `from`/`to` default to the last 7 days. */
export function parseMetricsParams(input: QueryInput, timeZone: string, now: Date): Result<MetricsParams> {
  const names = { service: 'service', label: 'label', from: 'from', to: 'to', points: 'points' };
  const schema = z
    .object({
      service: serviceName.optional(),
      label: z.string().max(128, { error: 'longer than 128 characters' }).optional(),
      from: instant(timeZone).optional(),
      to: instant(timeZone).optional(),
      points: z.coerce
        .number({ error: 'expected a whole number' })
        .int({ error: 'expected a whole number' })
        .min(10, { error: 'must be at least 10' })
        .max(2000, { error: 'must be at most 2000' })
        .default(300),
    })
    .superRefine((v, ctx) => checkWindow(v.from ?? new Date((v.to ?? now).getTime() - 7 * DAY), v.to ?? now, ctx, names))
    .transform((v): MetricsParams => {
      const to = v.to ?? now;
      return {
        ...(v.service !== undefined ? { service: v.service } : {}),
        ...(v.label !== undefined ? { label: v.label } : {}),
        from: v.from ?? new Date(to.getTime() - 7 * DAY),
        to,
        points: v.points,
      };
    });
  return run(schema, input, names);
}

// ---------------------------------------------------------------------------------------------
// The page's chart range

/** Ranges beyond a month are drawn from the hourly and daily rollups (lib/db/queries/perf-rollups.ts). */
export const CHART_RANGES = { '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY, '90d': 90 * DAY, '1y': 365 * DAY } as const;
export type ChartRange = keyof typeof CHART_RANGES;

export function parseChartRange(input: QueryInput): Result<ChartRange> {
  const v = single(input, 'chart');
  if (typeof v === 'object') return fail(v.error);
  if (v === undefined) return ok('7d');
  if (Object.hasOwn(CHART_RANGES, v)) return ok(v as ChartRange);
  return fail(`chart: expected 24h, 7d, 30d, 90d or 1y (got ${quote(v)})`);
}

// ---------------------------------------------------------------------------------------------
// How many services the page lists: the worst ones (default) or all of them.

export const LIST_LIMIT = 20;

export function parseServicesView(input: QueryInput): Result<'worst' | 'all'> {
  const v = single(input, 'services');
  if (typeof v === 'object') return fail(v.error);
  if (v === undefined) return ok('worst');
  if (v === 'all') return ok('all');
  return fail(`services: expected all (got ${quote(v)})`);
}
