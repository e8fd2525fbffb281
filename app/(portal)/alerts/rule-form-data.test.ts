import { describe, expect, it } from 'vitest';
import { parseRule } from '@/lib/alerts/rule';
import { ruleInputFromForm } from './rule-form-data';

const form = (entries: Array<[string, string]>) => {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
};

describe('the rule form', () => {
  it('turns repeated checkboxes, numbers and a quiet window into a valid rule', () => {
    const input = ruleInputFromForm(
      form([
        ['name', 'Ops'], ['vmScope', 'chosen'], ['vmIds', '3'], ['vmIds', '5'], ['hostEvents', 'on'], ['services', 'pattern'], ['pattern', 'Disk *'],
        ['triggers', 'CRITICAL'], ['triggers', 'RECOVERY'], ['triggers', 'BOGUS'], ['hardOnly', 'on'], ['forMinutes', '10'], ['repeatMinutes', ''],
        ['maxPerHour', '1'], ['groupMinutes', ''], ['digest', 'none'], ['quiet', 'on'], ['quietDays', 'mon'], ['quietDays', 'sun'],
        ['quietFrom', '22:00'], ['quietTo', '07:00'], ['quietAction', 'hold'], ['timeZone', 'Europe/London'], ['detail', 'summary'], ['contactIds', '9'],
      ]),
    );
    const parsed = parseRule(input);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.value).toMatchObject({
      vms: [3, 5],
      services: { mode: 'pattern', pattern: 'Disk *' },
      triggers: ['CRITICAL', 'RECOVERY'],
      forMinutes: 10,
      repeatMinutes: null,
      maxPerHour: 1,
      groupMinutes: 0,
      quiet: { windows: [{ days: ['mon', 'sun'], from: '22:00', to: '07:00' }], action: 'hold' },
    });
  });

  it('an empty form gives a rule that does not parse, with every problem', () => {
    const parsed = parseRule(ruleInputFromForm(form([])));
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.error).toEqual(expect.arrayContaining(['name: give the rule a name', 'contactIds: choose at least one contact']));
  });
});
