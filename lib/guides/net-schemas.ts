import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { z } from 'zod';
import { type Result, fail, ok } from '../result';

/** Bad input from settings or a form; the message is meant to be shown as is. */
export class GuideInputError extends Error {
  override name = 'GuideInputError';
}

/** Parses or throws a GuideInputError naming what was being read and every problem found. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return `${where}${issue.message}`;
  });
  throw new GuideInputError(`Invalid ${what}: ${problems.join('; ')}`);
}

/** Normalises a DNS name (lower case, no trailing dot, IDN to punycode) or says what is wrong with it. */
export function checkDomainName(raw: string): Result<string> {
  const trimmed = raw.trim();
  if (trimmed === '') return fail('it is empty');
  if (trimmed.includes('://')) return fail('enter just the domain name (like example.com), not a URL');
  if (trimmed.includes('@')) return fail('that is an email address; enter only the part after the @');
  let name = trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed;
  // Non-ASCII names travel in DNS as punycode, which is also what resolvers and Postfix compare.
  if (/[^\x00-\x7f]/.test(name)) {
    const ascii = domainToASCII(name);
    if (ascii === '') return fail('it is not a valid internationalised domain name');
    name = ascii;
  }
  name = name.toLowerCase();
  if (/[^a-z0-9.-]/.test(name)) return fail('it may only contain letters, digits, hyphens and dots');
  if (name.length > 253) return fail('it is longer than 253 characters');
  if (isIP(name) !== 0) return fail('that is an IP address, not a domain name');
  const labels = name.split('.');
  if (labels.some((l) => l === '')) return fail('it has an empty label (two dots in a row, or a leading dot)');
  if (labels.length < 2) return fail('it needs at least two labels, like example.com');
  const long = labels.find((l) => l.length > 63);
  if (long !== undefined) return fail(`the label "${long.slice(0, 20)}…" is longer than 63 characters`);
  const hyphenated = labels.find((l) => l.startsWith('-') || l.endsWith('-'));
  if (hyphenated !== undefined) return fail(`the label "${hyphenated}" starts or ends with a hyphen`);
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return fail('the last label cannot be all digits');
  return ok(name);
}

/** A domain or host name, normalised. */
export const domainNameSchema = z.string().transform((raw, ctx) => {
  const checked = checkDomainName(raw);
  if (checked.ok) return checked.value;
  ctx.addIssue({ code: 'custom', message: `"${raw}" is not a valid domain name: ${checked.error}` });
  return z.NEVER;
});

/** A single IPv4 or IPv6 address (no zone id, no brackets, no prefix). */
export const ipAddressSchema = z.string().transform((raw, ctx) => {
  const value = raw.trim().toLowerCase();
  if (isIP(value) === 0 || value.includes('%')) {
    ctx.addIssue({ code: 'custom', message: `"${raw}" is not an IPv4 or IPv6 address` });
    return z.NEVER;
  }
  return value;
});

export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
  /** Canonical text, e.g. "192.0.2.0/24" or "2001:db8::/32". */
  text: string;
}

/** A network in CIDR form; a bare address means just that host (/32 or /128). */
export const cidrSchema = z.string().transform((raw, ctx): Cidr => {
  const value = raw.trim().toLowerCase();
  const slash = value.indexOf('/');
  const address = slash === -1 ? value : value.slice(0, slash);
  const version = isIP(address);
  const max = version === 6 ? 128 : 32;
  const prefixText = slash === -1 ? String(max) : value.slice(slash + 1);
  const prefix = Number(prefixText);
  if (version === 0 || address.includes('%') || !/^\d{1,3}$/.test(prefixText) || prefix > max) {
    ctx.addIssue({
      code: 'custom',
      message: `"${raw}" is not a network in CIDR form like 192.0.2.0/24 or 2001:db8::/32`,
    });
    return z.NEVER;
  }
  return { address, prefix, family: version === 6 ? 'ipv6' : 'ipv4', text: `${address}/${prefix}` };
});

/** Settings often hold lists as one string: split on commas and whitespace. */
export function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s !== '');
}

/** A list given either as an array or as one settings string; `empty` is the message when it has no items. */
export function listSchema<T extends z.ZodType<unknown, string>>(item: T, empty: string) {
  return z
    .union([z.string().transform(splitList), z.array(z.string())])
    .pipe(z.array(item).min(1, empty));
}

export function parseCidrList(text: string): Cidr[] {
  return parseOrThrow(z.array(cidrSchema).min(1, 'list at least one network'), splitList(text), 'network list');
}

export function parseIpList(text: string): string[] {
  return parseOrThrow(z.array(ipAddressSchema).min(1, 'list at least one address'), splitList(text), 'address list');
}
