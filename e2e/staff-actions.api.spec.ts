import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type APIRequestContext, expect, request as playwrightRequest, test } from '@playwright/test';
import { E2E_PORT } from '../scripts/test-setup/test-env';
import { DatabaseSnapshots } from './db-snapshot';
import { type DemoUser, storageState } from './fixtures';
import {
  type ActionResponse,
  type ServerAction,
  callAction,
  refusedAnonymous,
  refusedCustomer,
  serverActions,
  sourceServerActions,
} from './server-actions';

// Every staff-only server action, called the way a browser calls it, by callers who are not staff:
// each must be refused and change nothing. The list comes from the build's server-reference manifest,
// so a new action under app/admin/ is walked without anyone adding it here.

const ORIGIN = `http://127.0.0.1:${E2E_PORT}`;
// Besides the action's own page, a customer page and the public login page: Next runs an action posted
// to any page (it forwards it to the page that holds it), so the /admin layout is no protection.
const EXTRA_PAGES = ['/', '/login'];

const staffActions = serverActions().filter((a) => a.file.startsWith('app/admin/'));

interface Fixture {
  aliceId: number;
  bobId: number;
  globexId: number;
  deadLetterId: number;
  openOrderId: number;
  aliceVmId: number;
  smallPlanId: number;
}

/**
 * Arguments that WOULD change something if the guard let the call through (so "nothing changed" means
 * something), and a harmless one for staff (the positive control). Actions not listed here are still
 * walked, with an empty form: a missing guard then shows as a returned result.
 */
const ARGUMENTS: Record<string, (f: Fixture) => { armed: Record<string, string>; harmless: Record<string, string> }> = {
  'app/admin/users/actions.ts#assignAccount': (f) => ({
    armed: { userId: String(f.aliceId), accountId: String(f.globexId) }, // alice moves herself into Globex
    harmless: { userId: '999999999', accountId: '' },
  }),
  'app/admin/users/actions.ts#assignBeforeLoginAction': (f) => ({
    armed: { username: 'alice', accountId: String(f.globexId) },
    harmless: { username: 'nobody-walks-here', accountId: '999999999' },
  }),
  'app/admin/unassigned/actions.ts#createVmFromHostAction': () => ({
    armed: { hostName: 'legacy-01.example', accountKey: 'globex', planSlug: 'small', ubuntuRelease: '24.04', hostname: 'walk-legacy', address: '203.0.113.99' },
    harmless: { hostName: 'no-such-host.walk', accountKey: 'globex' },
  }),
  'app/admin/unassigned/actions.ts#assignToVmAction': (f) => ({
    armed: { hostName: 'legacy-01.example', vmId: String(f.aliceVmId) },
    harmless: { hostName: 'no-such-host.walk', vmId: '999999999' },
  }),
  'app/admin/users/actions.ts#revokeSessions': (f) => ({ armed: { userId: String(f.bobId) }, harmless: { userId: '999999999' } }),
  'app/admin/pipeline/actions.ts#resolveDeadLetter': (f) => ({
    armed: { id: String(f.deadLetterId), intent: 'discard' },
    harmless: { id: '999999999', intent: 'discard' },
  }),
  'app/admin/settings/actions.ts#saveSettings': () => ({
    armed: {
      mirrorUrl: 'http://mirror.walk-attack.test/ubuntu',
      mirrorSeries: 'focal,jammy,noble',
      monitorIps: '192.0.2.66',
      mxHosts: 'mx1.walk-attack.test:10',
      mxPermitNetworks: '192.0.2.0/24',
      dnsServers: '',
    },
    harmless: { mirrorUrl: 'not a url' },
  }),
  'app/admin/orders/actions.ts#cancelOrderAction': (f) => ({ armed: { orderId: String(f.openOrderId), reason: 'staff action walk' }, harmless: { orderId: '999999999', reason: 'x' } }),
  'app/admin/orders/actions.ts#resendOrderAction': (f) => ({ armed: { orderId: String(f.openOrderId) }, harmless: { orderId: '999999999' } }),
  'app/admin/accounts/actions.ts#createAccountAction': () => ({ armed: { key: 'walk-attack', name: 'Walk attack' }, harmless: { key: 'Not A Key', name: '' } }),
  'app/admin/accounts/actions.ts#updateAccountAction': (f) => ({ armed: { id: String(f.globexId), name: 'Walked' }, harmless: { id: '999999999', name: 'x' } }),
  'app/admin/vms/actions.ts#createVmAction': () => ({
    armed: { accountKey: 'globex', nagiosHostName: 'walk-attack', hostname: 'walk-attack', address: '192.0.2.77', ubuntuRelease: '24.04', planSlug: 'small' },
    harmless: { accountKey: 'globex', address: 'not an address' },
  }),
  'app/admin/vms/actions.ts#updateVmAction': (f) => ({ armed: { id: String(f.aliceVmId), accountKey: 'globex' }, harmless: { id: '999999999', hostname: 'x' } }),
  'app/admin/plans/actions.ts#createPlanAction': () => ({
    armed: { slug: 'walk-attack', name: 'Walk', priceMinor: '1', diskGb: '1', transferGb: '1', memoryMb: '512', cpus: '1' },
    harmless: { slug: 'NOT A SLUG' },
  }),
  'app/admin/plans/actions.ts#updatePlanAction': (f) => ({ armed: { id: String(f.smallPlanId), priceMinor: '1' }, harmless: { id: '999999999', priceMinor: '1' } }),
  'app/admin/vms/import/actions.ts#importFromNagios': () => ({
    armed: {
      step: 'create',
      accountKey: 'globex',
      planSlug: 'small',
      ubuntuRelease: '24.04',
      hosts: JSON.stringify([{ hostName: 'walk-import', alias: null, address: '192.0.2.78', parents: [] }]),
      create: 'walk-import',
    },
    harmless: {},
  }),
  'app/admin/settings/actions.ts#resetSetting': () => ({ armed: { key: 'mirrorUrl' }, harmless: { key: 'no-such-setting' } }),
  'app/admin/settings/actions.ts#saveSla': () => ({ armed: { down: 'critical-unknown', warning: 'down' }, harmless: { down: 'everything', warning: 'up' } }),
  'app/admin/settings/actions.ts#importReleases': () => ({ armed: { source: 'system' }, harmless: {} }),
  'app/admin/settings/actions.ts#saveSupport': () => ({
    armed: { supportContact: 'walk@porthole.test', passwordResetUrl: 'https://id.porthole.test/walk' },
    harmless: { supportContact: 'not a contact', passwordResetUrl: 'not a url' },
  }),
  // Its only argument is the previous state: any call clears an imported table, so no harmless call.
  'app/admin/settings/actions.ts#restoreShippedReleases': () => ({ armed: {}, harmless: { unused: '' } }),
};
const NO_HARMLESS_CALL = new Set(['app/admin/settings/actions.ts#restoreShippedReleases']);

const key = (a: ServerAction) => `${a.file}#${a.name}`;

let db: DatabaseSnapshots;
let fixture: Fixture;
const arranged: Array<() => Promise<unknown>> = [];

test.beforeAll(async () => {
  db = await DatabaseSnapshots.open();
  const id = async (sql: string, values: unknown[]) => {
    const [row] = await db.query<{ id: number }>(sql, values);
    if (!row) throw new Error(`fixture missing: ${sql} ${JSON.stringify(values)}`);
    return Number(row.id);
  };
  // Something for each armed call to destroy, removed again after the walk.
  const messageId = `staff-walk-${Date.now()}`;
  await db.query(
    `INSERT INTO dead_letters (received_at, destination, message_id, body, reason, status) VALUES (NOW(3), '/queue/staff-walk', ?, '{}', 'staff action walk', 'new')`,
    [messageId],
  );
  arranged.push(() => db.query('DELETE FROM dead_letters WHERE message_id = ?', [messageId]));
  for (const [settingKey, value] of [
    // The env default again, so guide pages look the same while it exists.
    ['guide.mirror_url', 'http://mirror.example.net/ubuntu'],
    ['ubuntu_csv', { csv: readFileSync(path.join(import.meta.dirname, '..', 'lib', 'guides', 'data', 'ubuntu.csv'), 'utf8'), origin: 'staff action walk', importedAt: new Date().toISOString() }],
  ] as const) {
    const [existing] = await db.query('SELECT `key` FROM settings WHERE `key` = ?', [settingKey]);
    if (existing) continue;
    await db.query('INSERT INTO settings (`key`, value, updated_at, updated_by) VALUES (?, ?, NOW(3), ?)', [settingKey, JSON.stringify(value), 'staff-walk']);
    arranged.push(() => db.query("DELETE FROM settings WHERE `key` = ? AND updated_by = 'staff-walk'", [settingKey]));
  }
  // An open order (on bob's VM, which no other spec orders for) for the cancel and resend calls to hit.
  const walkKey = `staff-walk-${Date.now()}`;
  await db.query(
    `INSERT INTO plan_orders (account_id, vm_id, open_vm_id, from_plan_id, to_plan_id, idempotency_key, status, amount_minor, currency, pricing, requested_by, created_at, updated_at)
     SELECT v.account_id, v.id, v.id, v.plan_id, v.plan_id, ?, 'sent', 0, 'EUR', '{}', 'staff-walk', NOW(3), NOW(3) FROM vms v WHERE v.nagios_host_name = 'app-01.globex.example'`,
    [walkKey],
  );
  arranged.push(() => db.query('DELETE FROM plan_orders WHERE idempotency_key = ?', [walkKey]));
  fixture = {
    openOrderId: await id('SELECT id FROM plan_orders WHERE idempotency_key = ?', [walkKey]),
    aliceVmId: await id('SELECT id FROM vms WHERE nagios_host_name = ?', ['web-01.acme.example']),
    smallPlanId: await id('SELECT id FROM plans WHERE slug = ?', ['small']),
    aliceId: await id('SELECT id FROM users WHERE username = ?', ['alice']),
    bobId: await id('SELECT id FROM users WHERE username = ?', ['bob']),
    globexId: await id('SELECT id FROM accounts WHERE name = ?', ['Globex Corp']),
    deadLetterId: await id('SELECT id FROM dead_letters WHERE message_id = ?', [messageId]),
  };
});

test.afterAll(async () => {
  for (const undo of arranged.reverse()) await undo();
  await db?.close();
});

async function as(user: DemoUser | 'anonymous'): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL: ORIGIN, storageState: user === 'anonymous' ? undefined : storageState(user) });
}

const describe = (r: ActionResponse) => `${r.status} ${JSON.stringify(r.outcome)} location=${r.location ?? r.actionRedirect ?? ''} ${r.body.slice(0, 200)}`;

test('finds every staff server action in the build', () => {
  expect(staffActions.length, 'no server action under app/admin/ in the manifest: the walk would be empty').toBeGreaterThan(0);
  const inSource = sourceServerActions();
  expect(inSource.length, "no 'use server' export under app/admin/: the source scan is broken").toBeGreaterThan(0);
  // An exported action the build does not list would escape the walk: rebuild, or fix the scan.
  expect(inSource.filter((k) => !staffActions.some((a) => key(a) === k))).toEqual([]);
  for (const action of staffActions) expect(action.pages.length, `${key(action)} has no page`).toBeGreaterThan(0);
});

for (const action of staffActions) {
  const pages = [...new Set([...action.pages, ...EXTRA_PAGES])];

  for (const caller of ['anonymous', 'alice', 'bob'] as const) {
    test(`${key(action)} refuses ${caller} and changes nothing`, async () => {
      const fields = ARGUMENTS[key(action)]?.(fixture).armed ?? {};
      const request = await as(caller);
      try {
        for (const page of pages) {
          const before = await db.take();
          const response = await callAction(request, { id: action.id, page, origin: ORIGIN, fields });
          const reason = caller === 'anonymous' ? refusedAnonymous(response) : refusedCustomer(response);
          expect(reason, `${caller} → ${page}: not the staff guard's refusal: ${describe(response)}`).not.toBeNull();
          expect(await db.changesSince(before), `${caller} → ${page} changed the database`).toEqual([]);
        }
      } finally {
        await request.dispose();
      }
    });
  }

  if (!NO_HARMLESS_CALL.has(key(action)) && ARGUMENTS[key(action)]) {
    // The positive control: the same request as staff gets through, so the walk can tell the difference.
    test(`${key(action)} runs for staff (positive control)`, async () => {
      const request = await as('carol');
      try {
        for (const page of pages) {
          const before = await db.take();
          const response = await callAction(request, { id: action.id, page, origin: ORIGIN, fields: ARGUMENTS[key(action)]!(fixture).harmless });
          expect(response.outcome.kind, `carol → ${page}: ${describe(response)}`).toBe('returned');
          expect(refusedCustomer(response)).toBeNull();
          expect(await db.changesSince(before)).toEqual([]);
        }
      } finally {
        await request.dispose();
      }
    });
  }
}

test('the walk notices an action that runs: an unguarded customer action returns its result', async () => {
  // The same detector on a customer action that alice may call (with input it refuses): if this
  // did not read "returned", the refusals above would prove nothing.
  const customer = serverActions().find((a) => a.file === 'app/(portal)/mail/actions.ts' && a.name === 'addDomain');
  test.skip(!customer, 'the mail actions moved');
  const request = await as('alice');
  try {
    const response = await callAction(request, { id: customer!.id, page: '/mail', origin: ORIGIN, fields: { domain: '' } });
    expect(response.outcome.kind, describe(response)).toBe('returned');
    expect(refusedCustomer(response)).toBeNull();
  } finally {
    await request.dispose();
  }
});
