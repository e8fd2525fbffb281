// The console's forms into the bodies lib/admin/onboarding.ts checks, the same ones the JSON API takes.

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === 'string' ? v : undefined;
};
const optional = (form: FormData, name: string) => {
  const v = text(form, name);
  return v === undefined ? undefined : v.trim() === '' ? null : v;
};
const number = (form: FormData, name: string) => {
  const v = text(form, name);
  return v === undefined || v.trim() === '' ? undefined : Number(v);
};
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** "true"/"false" from a hidden field (the suspend and retire buttons), else not named. */
const flag = (form: FormData, name: string) => (form.has(name) ? form.get(name) === 'true' : undefined);

export const accountFromForm = (form: FormData) =>
  defined({
    key: text(form, 'key'),
    name: text(form, 'name'),
    contactEmail: optional(form, 'contactEmail'),
    billingDay: number(form, 'billingDay'),
    timeZone: text(form, 'timeZone'),
    suspended: flag(form, 'suspended'),
    suspendedReason: optional(form, 'suspendedReason'),
  });

export const vmFromForm = (form: FormData) =>
  defined({
    accountKey: text(form, 'accountKey'),
    nagiosHostName: text(form, 'nagiosHostName'),
    hostname: text(form, 'hostname'),
    address: text(form, 'address'),
    addressV6: optional(form, 'addressV6'),
    ubuntuRelease: text(form, 'ubuntuRelease'),
    planSlug: text(form, 'planSlug'),
    retired: flag(form, 'retired'),
  });

export const planFromForm = (form: FormData) =>
  defined({
    slug: text(form, 'slug'),
    name: text(form, 'name'),
    priceMinor: number(form, 'priceMinor'),
    currency: text(form, 'currency'),
    diskGb: number(form, 'diskGb'),
    transferGb: number(form, 'transferGb'),
    memoryMb: number(form, 'memoryMb'),
    cpus: number(form, 'cpus'),
    sortOrder: number(form, 'sortOrder'),
    // A checkbox sends nothing when unchecked: the form says it has one with a hidden field.
    active: form.has('hasActive') ? form.get('active') === 'on' : undefined,
  });
