import { TRIGGERS, WEEKDAYS } from '@/lib/alerts/rule';

// The rule form's fields into the shape lib/alerts/rule.ts validates. Kept apart from the action so it
// is tested without a server: repeated checkbox keys come through formData.getAll.

const num = (v: FormDataEntryValue | null): number | null => {
  const s = typeof v === 'string' ? v.trim() : '';
  return s === '' ? null : Number(s);
};
const ids = (values: FormDataEntryValue[]) => values.map((v) => Number(v)).filter((n) => Number.isInteger(n) && n > 0);

export function ruleInputFromForm(form: FormData): Record<string, unknown> {
  const vmScope = form.get('vmScope');
  const services = String(form.get('services') ?? 'all');
  const digest = String(form.get('digest') ?? 'none');
  const quietDays = form.getAll('quietDays').map(String).filter((d) => (WEEKDAYS as readonly string[]).includes(d));
  const quietOn = form.get('quiet') === 'on';
  return {
    name: String(form.get('name') ?? ''),
    enabled: form.get('enabled') !== 'off',
    vms: vmScope === 'chosen' ? ids(form.getAll('vmIds')) : 'all',
    hostEvents: form.get('hostEvents') === 'on',
    services:
      services === 'none'
        ? { mode: 'none' }
        : services === 'chosen'
          ? { mode: 'chosen', names: form.getAll('serviceNames').map(String) }
          : services === 'pattern'
            ? { mode: 'pattern', pattern: String(form.get('pattern') ?? '') }
            : { mode: 'all' },
    triggers: form.getAll('triggers').map(String).filter((t) => (TRIGGERS as readonly string[]).includes(t)),
    hardOnly: form.get('hardOnly') === 'on',
    forMinutes: num(form.get('forMinutes')) ?? 0,
    repeatMinutes: num(form.get('repeatMinutes')),
    maxPerHour: num(form.get('maxPerHour')),
    groupMinutes: num(form.get('groupMinutes')) ?? 0,
    digest: digest === 'hourly' ? { every: 'hourly' } : digest === 'daily' ? { every: 'daily', at: String(form.get('digestAt') ?? '') } : null,
    quiet: quietOn ? { windows: [{ days: quietDays, from: String(form.get('quietFrom') ?? ''), to: String(form.get('quietTo') ?? '') }], action: String(form.get('quietAction') ?? 'hold') } : null,
    timeZone: String(form.get('timeZone') ?? 'UTC'),
    detail: form.get('detail') === 'technical' ? 'technical' : 'summary',
    contactIds: ids(form.getAll('contactIds')),
    forecast:
      form.get('forecastDisk') === 'on' || form.get('forecastQuota') === 'on'
        ? { diskFullDays: form.get('forecastDisk') === 'on' ? num(form.get('forecastDiskDays')) : null, quotaOut: form.get('forecastQuota') === 'on' }
        : null,
    mailChecks: form.get('mailChecks') === 'on',
  };
}
