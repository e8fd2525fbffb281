import { isIP } from 'node:net';
import { z } from 'zod';

// What staff (the forms and /api/v1/admin) may create and change: accounts, VMs and plans. One schema
// per kind; PATCH takes any subset of the same fields.

const text = (max: number, what: string) => z.string().trim().min(1, `enter ${what}`).max(max, `at most ${max} characters`);
const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

/** An IANA zone this runtime knows (the same database the pages format times with). */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const accountFields = {
  key: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and -, at most 64 (the directory attribute value)'),
  name: text(128, 'a name').refine(noControl, 'no control characters'),
  contactEmail: z
    .string()
    .trim()
    .max(254)
    .regex(/^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, 'an email address like ops@example.com')
    .nullable(),
  /** 1–28, so every month has the day: the billing period (proration, the transfer quota) starts on it. */
  billingDay: z.number().int('a whole day of the month').min(1, 'a day from 1 to 28').max(28, 'a day from 1 to 28 (every month has it)'),
  timeZone: z.string().trim().refine(isTimeZone, 'a time zone like Europe/Berlin or UTC'),
};
export const accountInput = z
  .object({ ...accountFields, contactEmail: accountFields.contactEmail.default(null), billingDay: accountFields.billingDay.default(1), timeZone: accountFields.timeZone.default('UTC') })
  .strict();
/** PATCH also suspends (`suspended: true`, with an optional reason) and reactivates (`suspended: false`). */
export const accountPatch = z
  .object({
    ...accountFields,
    suspended: z.boolean(),
    suspendedReason: z.string().trim().max(255, 'at most 255 characters').refine(noControl, 'no control characters').nullable(),
  })
  .partial()
  .strict();

const vmFields = {
  accountKey: z.string().trim().min(1, "enter the account's key"),
  nagiosHostName: text(255, "Nagios's host_name").refine((s) => !/[\s\u0000-\u001f\u007f`~!$%^&*|'"<>?,()=]/.test(s), "no spaces or characters Nagios does not allow in a host_name"),
  hostname: text(255, 'the name customers see').refine(noControl, 'no control characters'),
  address: z
    .string()
    .trim()
    .refine((a) => isIP(a) !== 0, 'an IPv4 or IPv6 address, like 192.0.2.10'),
  addressV6: z
    .string()
    .trim()
    .refine((a) => isIP(a) === 6, 'an IPv6 address, like 2001:db8::10')
    .nullable(),
  ubuntuRelease: z
    .string()
    .trim()
    .regex(/^\d{2}\.\d{2}$/, 'an Ubuntu version like 24.04'),
  planSlug: z.string().trim().min(1, "enter the plan's slug"),
};
export const vmInput = z.object({ ...vmFields, addressV6: vmFields.addressV6.default(null) }).strict();
/** PATCH also retires a VM (`retired: true`: history kept, hidden from its customer, no alerts) and brings it back. */
export const vmPatch = z
  .object({ ...vmFields, retired: z.boolean() })
  .partial()
  .strict();

const planFields = {
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lower-case letters, digits and -, at most 32'),
  name: text(64, 'a name').refine(noControl, 'no control characters'),
  priceMinor: z.number().int('a whole number of cents').min(0).max(100_000_000),
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'a three-letter currency code like EUR'),
  diskGb: z.number().int().min(1).max(1_000_000),
  transferGb: z.number().int().min(0).max(100_000_000),
  memoryMb: z.number().int().min(64).max(16_777_216),
  cpus: z.number().int().min(1).max(1024),
  /** A retired plan is kept for the VMs on it but offered to nobody. */
  active: z.boolean(),
  sortOrder: z.number().int().min(0).max(32_767),
};
export const planInput = z
  .object({ ...planFields, currency: planFields.currency.default('EUR'), active: planFields.active.default(true), sortOrder: planFields.sortOrder.default(0) })
  .strict();
export const planPatch = z.object(planFields).partial().strict();

export type AccountInput = z.infer<typeof accountInput>;
export type VmInput = z.infer<typeof vmInput>;
export type PlanInput = z.infer<typeof planInput>;

/** Every problem, each with its field, in words staff can act on. */
export function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`);
}
