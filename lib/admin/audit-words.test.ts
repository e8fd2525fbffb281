import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUDIT_FAMILIES, KNOWN_ACTIONS, type AuditWordsInput, describeAudit, fallbackSentence, hasWords } from './audit-words';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const entry = (action: string, more: Partial<AuditWordsInput> = {}): AuditWordsInput => ({
  action,
  actorUsername: 'alice',
  targetType: null,
  targetId: null,
  details: null,
  ...more,
});

const PLANS = { small: { name: 'Small', currency: 'EUR' }, medium: { name: 'Medium', currency: 'EUR' } };

describe('describeAudit', () => {
  it.each<[string, AuditWordsInput, string]>([
    ['account created', entry('admin.account.create', { actorUsername: 'carol', targetType: 'account', targetId: '9', details: { key: 'initech', name: 'Initech', contactEmail: null } }), 'carol created the account Initech (initech)'],
    [
      'plan ordered',
      entry('plans.order.create', { targetType: 'vm', targetId: '3', targetName: 'web-01', plans: PLANS, details: { orderId: 12, from: 'small', to: 'medium', amountMinor: 1310 } }),
      'alice ordered web-01 from Small to Medium for €13.10 (order #12)',
    ],
    ['plan ordered, names unknown', entry('plans.order.create', { targetType: 'vm', targetId: '3', details: { from: 'small', to: 'medium', amountMinor: 1310 } }), 'alice ordered VM #3 from small to medium for €13.10'],
    ['order completed', entry('plans.order.completed', { actorUsername: 'provisioning', targetType: 'plan_order', targetId: '12', details: { vmId: 3, reason: null } }), 'provisioning completed order #12 for VM #3'],
    [
      'rebuild ordered',
      entry('plans.order.rebuild', { targetType: 'vm', targetId: '4', targetName: 'db-01', details: { orderId: 13, fromRelease: '20.04', release: '24.04', plan: 'medium' } }),
      'alice ordered a rebuild of db-01 on a fresh image of Ubuntu 24.04 (it had 20.04), which destroys its data (order #13)',
    ],
    ['rebuild completed', entry('plans.order.completed', { actorUsername: 'provisioning', targetType: 'plan_order', targetId: '13', vmName: 'db-01', details: { vmId: 4, reason: null, kind: 'rebuild', release: '24.04', fromRelease: '20.04' } }), 'provisioning completed order #13 for db-01 (a rebuild on Ubuntu 24.04)'],
    ['order failed', entry('plans.order.failed', { actorUsername: 'provisioning', targetType: 'plan_order', targetId: '12', vmName: 'web-01', details: { vmId: 3, reason: 'disk full' } }), 'provisioning reported that order #12 for web-01 failed: disk full'],
    [
      'order cancelled',
      entry('plans.order.cancel', { actorUsername: 'carol', targetType: 'plan_order', targetId: '12', vmName: 'web-01', details: { vmId: 3, from: 'sent', reason: 'customer asked', message: 'already-sent' } }),
      'carol cancelled order #12 for web-01: customer asked. Its message had already gone to provisioning, which may still carry the change out',
    ],
    [
      'maintenance planned',
      entry('alerts.maintenance.create', { targetType: 'vm', targetId: '3', details: { windowId: 1, startsAt: '2026-03-01T10:00:00.000Z', endsAt: '2026-03-01T10:30:00.000Z', reason: 'Kernel upgrade' } }),
      'alice paused alerts for VM #3 from 2026-03-01 10:00 until 2026-03-01 10:30 UTC (“Kernel upgrade”)',
    ],
    ['login', entry('login.success', { actorUsername: 'bob', details: { via: 'web' } }), 'bob logged in'],
    ['API login', entry('login.success', { actorUsername: 'bob', details: { via: 'api' } }), 'bob logged in through the API'],
    ['failed login', entry('login.failure', { actorUsername: 'carol', details: { via: 'web' } }), 'A login as carol failed: wrong username or password'],
    ['staff logs a user out', entry('session.revoked', { actorUsername: 'carol', targetType: 'user', targetId: '5', targetName: 'bob', details: { reason: 'revoked_by_staff', sessions: 2 } }), 'carol logged bob out everywhere (2 sessions)'],
    ['directory ends sessions', entry('session.revoked', { actorUsername: 'bob', targetType: 'user', targetId: '5', targetName: 'bob', details: { reason: 'password_changed', sessions: 1 } }), 'Every session of bob was ended because their password changed (1 session)'],
    ['account link', entry('user.account_assigned', { actorUsername: 'carol', targetType: 'user', targetId: '5', targetName: 'bob', accountName: 'Acme Ltd', details: { from: null, to: 1 } }), 'carol linked user bob to the account Acme Ltd'],
    ['account suspended', entry('admin.account.suspend', { actorUsername: 'carol', targetType: 'account', targetId: '9', accountName: 'Initech', details: { reason: 'unpaid invoices', sessions: 2 } }), 'carol suspended the account Initech (“unpaid invoices”): its users can\'t log in and its alerts pause; 2 sessions ended'],
    ['VM retired', entry('admin.vm.retire', { actorUsername: 'carol', targetType: 'vm', targetId: '3', targetName: 'web-01', details: {} }), 'carol retired the VM web-01: its customer no longer sees it and it sends no alerts; its history is kept'],
    ['VM changed', entry('admin.vm.update', { actorUsername: 'carol', targetType: 'vm', targetId: '3', targetName: 'web-01', details: { from: { address: '192.0.2.10', planId: 1 }, to: { address: '192.0.2.99', planSlug: 'medium' } } }), 'carol changed the address and plan of the VM web-01'],
    ['mail check', entry('mail_domain.checked', { targetType: 'mail_domain', targetId: '2', details: { domain: 'acme.example', ok: false, failed: ['mx', 'spf'] } }), 'alice checked the mail records of acme.example: 2 checks failed'],
    ['unknown action', entry('admin.x.y', { actorUsername: 'carol', targetType: 'vm', targetId: '3' }), 'carol did admin.x.y on vm #3'],
    ['unknown action, no actor', entry('nightly.cleanup', { actorUsername: null }), 'Someone did nightly.cleanup'],
  ])('%s', (_name, input, sentence) => {
    expect(describeAudit(input)).toBe(sentence);
  });

  it('writes maintenance times in the zone asked for', () => {
    const e = entry('alerts.maintenance.create', { targetType: 'vm', targetId: '3', targetName: 'web-01', details: { startsAt: '2026-07-01T10:00:00.000Z', endsAt: '2026-07-01T10:30:00.000Z', reason: null } });
    expect(describeAudit(e, { timeZone: 'Europe/Berlin' })).toBe('alice paused alerts for web-01 from 2026-07-01 12:00 until 2026-07-01 12:30');
  });

  const ODD: unknown[] = [
    null,
    undefined,
    'a string',
    42,
    [],
    [1, 2],
    {},
    Object.create(null),
    { from: 'x', to: 5, reason: { nested: true }, sessions: 'many', hits: NaN, amountMinor: 1.5, orderId: Infinity, kind: { toString: () => 'push' }, failed: 'mx', ok: 'yes' },
    { from: [], to: [], name: 12, domain: ['a'], startsAt: 'yesterday', endsAt: 17, priceMinor: -5, currency: 'not a currency', releases: -1, via: 'api' },
    { to: { toJSON() { throw new Error('no'); } } },
  ];

  it.each(KNOWN_ACTIONS.map((a) => [a]))('%s: never throws and never falls back, whatever the details', (action) => {
    for (const details of ODD) {
      for (const more of [{}, { actorUsername: null, targetType: null, targetId: null }, { targetType: 'weird type', targetId: 'x'.repeat(200), accountName: '', plans: { x: { name: '' } } }]) {
        const e = entry(action, { targetType: 'vm', targetId: '3', details, ...more });
        const sentence = describeAudit(e);
        expect(typeof sentence).toBe('string');
        expect(sentence.length).toBeGreaterThan(5);
        expect(sentence).not.toContain('undefined');
        expect(sentence).not.toContain('[object');
        expect(sentence).not.toContain('null');
        expect(sentence).not.toContain('NaN');
      }
    }
  });
});

// ---- every action the code writes has words

const SKIP_DIRS = new Set(['node_modules', '.next', '.next-test', 'dist']);

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (!SKIP_DIRS.has(name)) found.push(...sourceFiles(full));
    } else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) {
      found.push(full);
    }
  }
  return found;
}

const ACTION = /^[a-z_]+(?:\.[a-z_]+)*$/;

/** Every audit action written in lib/ and app/: literal actions, and the prefixes of `family.${…}` templates. */
function actionsInSource(): { literal: Map<string, string>; templates: Map<string, string> } {
  const literal = new Map<string, string>();
  const templates = new Map<string, string>();
  for (const file of [...sourceFiles(path.join(ROOT, 'lib')), ...sourceFiles(path.join(ROOT, 'app'))]) {
    const source = readFileSync(file, 'utf8');
    // Only files that write the log: recordAudit, the audit_log table, or raw SQL into it.
    if (!/recordAudit\(|auditLog\)|\bT\.audit\b|audit_log/.test(source)) continue;
    const where = path.relative(ROOT, file);
    const expressions = [
      ...[...source.matchAll(/\baction:\s*([^\n,}]+)/g)].map((m) => m[1]!),
      ...[...source.matchAll(/\baudit\(\s*\w+,\s*\w+,\s*([^,\n]+),/g)].map((m) => m[1]!),
    ];
    for (const expression of expressions) {
      // The value itself, or a branch of a ternary (not a literal it is compared with).
      for (const m of expression.trim().matchAll(/(?:^|\?\s*|:\s*)'([^'\n]+)'/g)) if (ACTION.test(m[1]!)) literal.set(m[1]!, where);
      for (const m of expression.matchAll(/`([a-z_]+\.(?:[a-z_]+\.)*)\$\{/g)) templates.set(m[1]!, where);
    }
    // Raw SQL inserts pass the action as a parameter: `family.${…}` anywhere in such a file.
    for (const m of source.matchAll(/`([a-z_]+\.(?:[a-z_]+\.)*)\$\{/g)) templates.set(m[1]!, where);
  }
  return { literal, templates };
}

/** What each `family.${…}` template in the code can become (kept by hand: a new template fails below). */
const TEMPLATE_EXPANSIONS: Record<string, string[]> = {
  'plans.order.': ['plans.order.accepted', 'plans.order.completed', 'plans.order.failed'], // lib/db/queries/provisioning.ts advanceOrder
  'dead_letter.': ['dead_letter.replay', 'dead_letter.discard'], // app/admin/pipeline/actions.ts intent
};

/** The actions in the code today, so a scan that silently finds less is noticed too. */
const EXPECTED = [
  'login.success',
  'login.failure',
  'login.refused',
  'login.throttled',
  'login.cached',
  'logout',
  'session.revoked',
  'user.account_assigned',
  'user.detail_level_changed',
  'staff.view_vm',
  'staff.view_account',
  'admin.account.create',
  'admin.account.update',
  'admin.account.suspend',
  'admin.account.reactivate',
  'admin.vm.retire',
  'admin.vm.reinstate',
  'admin.vm.create',
  'admin.vm.update',
  'admin.plan.create',
  'admin.plan.update',
  'admin.unassigned.assign',
  'wallboard.ack',
  'alerts.rule.create',
  'alerts.rule.update',
  'alerts.rule.delete',
  'alerts.maintenance.create',
  'alerts.maintenance.end',
  'alerts.maintenance.delete',
  'alerts.contact.add',
  'alerts.contact.code_sent',
  'alerts.contact.code_wrong',
  'alerts.contact.verified',
  'alerts.contact.webhook_test',
  'alerts.contact.test_sent',
  'alerts.contact.remove',
  'plans.order.quote',
  'plans.order.create',
  'plans.order.rebuild',
  'plans.order.cancel',
  'plans.order.resend',
  'mail_domain.added',
  'mail_domain.removed',
  'mail_domain.checked',
  'mx.relay_check',
  'settings.guides_updated',
  'settings.guides_reset',
  'settings.sla_updated',
  'settings.support_updated',
  'releases.imported',
  'releases.import_cleared',
];

describe('every audit action in the code', () => {
  const { literal, templates } = actionsInSource();

  it('is found by the scan', () => {
    expect([...literal.keys()].sort()).toEqual([...EXPECTED].sort());
    expect([...templates.keys()].sort()).toEqual(Object.keys(TEMPLATE_EXPANSIONS).sort());
  });

  it.each([...literal].map(([action, file]) => [action, file]))('%s (%s) has its own words', (action) => {
    expect(hasWords(action)).toBe(true);
    const e = entry(action, { actorUsername: 'carol', targetType: 'vm', targetId: '3' });
    expect(describeAudit(e)).not.toBe(fallbackSentence(e));
  });

  it.each(Object.entries(TEMPLATE_EXPANSIONS))('every action `%s${…}` can become has words', (_prefix, actions) => {
    for (const action of actions) expect(hasWords(action), action).toBe(true);
  });

  it('has no words for actions the code no longer writes', () => {
    const written = new Set([...literal.keys(), ...Object.values(TEMPLATE_EXPANSIONS).flat()]);
    expect(KNOWN_ACTIONS.filter((a) => !written.has(a))).toEqual([]);
  });

  it('puts every action in a filter family', () => {
    for (const action of KNOWN_ACTIONS) expect(AUDIT_FAMILIES.some((f) => action.startsWith(f.prefix)), action).toBe(true);
  });
});
