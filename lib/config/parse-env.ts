import { z } from 'zod';
import { destinationProblem } from '../monitoring/wire';

/** A configuration problem, worded as one line that names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Empty strings count as unset, so `FOO=` in a .env file falls back to the default. */
function withoutEmpty(source: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;
}

export function parseEnv<T extends z.ZodObject>(schema: T, source: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const result = schema.safeParse(withoutEmpty(source));
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = issue.path.join('.') || 'environment';
  const got = typeof issue.path[0] === 'string' ? source[issue.path[0]] : undefined;
  throw new ConfigError(`Invalid configuration: ${name}: ${issue.message}${got === undefined ? '' : ` (got "${got}")`}`);
}

/** mysql://user:pass@host:port/database */
export const databaseUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'mysql:' && url.hostname !== '' && url.pathname.length > 1;
  } catch {
    return false;
  }
}, 'must be a URL like mysql://user:password@host:3306/database');

export const stompUrl = z
  .string()
  .regex(/^(stomp|stomp\+ssl|failover):/, 'must be stomp://host:port or failover:(stomp://a:61613,stomp://b:61613)');

/** One /queue/ or /topic/ destination, by the rule the CLI's DESTINATION argument follows too. */
export const destination = z.string().superRefine((value, ctx) => {
  const problem = destinationProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** A positive whole number; `max` bounds it, with the reason in the error. */
export const positiveInt = (fallback: number, max?: { limit: number; reason: string }) => {
  const whole = z.coerce.number().int().positive();
  return (max ? whole.max(max.limit, `at most ${max.limit}: ${max.reason}`) : whole).default(fallback);
};

export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A comma-separated list; items are trimmed and empty items dropped. */
export const commaList = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
