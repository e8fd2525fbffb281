import { type Page, expect, test } from '@playwright/test';
import { postfixSettings } from '../lib/guides/mx-backup';
import { type TestDns, startTestDns } from '../lib/testing/dnsmasq';
import { type TestPostfix, startTestPostfix } from '../lib/testing/postfix';
import { TEST_ENV } from '../scripts/test-setup/test-env';
import { storageState } from './fixtures';

// Carol runs the relay check from /admin/mx against two real Postfix instances on loopback: mx1 with
// the main.cf Porthole generates (PASS), mx2 with the same main.cf opened up by a too-wide mynetworks
// (OPEN RELAY). A test dnsmasq serves the zones to Postfix (its chroot's resolv.conf) and to the portal
// (the DNS servers setting). The web server connects on RELAY_CHECK_PORT (scripts/test-setup/test-env.ts).
// The staff settings are set through the settings page first and reset to their defaults afterwards.
const PORT = Number(TEST_ENV.RELAY_CHECK_PORT);
const DNS_ADDRESS = process.env.RELAY_E2E_DNS_ADDRESS ?? '127.53.0.2';
const MX1 = 'mx1.relay-e2e.test';
const MX2 = 'mx2.relay-e2e.test';
const GOOD = 'relay-good.test';
const OUTSIDE = 'relay-outside.test';
const SETTINGS = { mxHosts: `${MX1}:20, ${MX2}:30`, networks: '192.0.2.0/24', dns: `${DNS_ADDRESS}:53` };

const RECORDS = [
  `host-record=${MX1},127.0.0.1`,
  `host-record=${MX2},127.0.0.2`,
  `mx-host=${GOOD},mail.${GOOD},10`,
  `mx-host=${GOOD},${MX1},20`,
  `mx-host=${GOOD},${MX2},30`,
  `host-record=mail.${GOOD},192.0.2.10`,
  `mx-host=${OUTSIDE},mail.${OUTSIDE},10`,
  `mx-host=${OUTSIDE},${MX1},20`,
  `mx-host=${OUTSIDE},${MX2},30`,
  `host-record=mail.${OUTSIDE},198.51.100.7`,
  'mx-host=relay-unlisted.test,mail.relay-unlisted.test,10',
  'host-record=mail.relay-unlisted.test,198.51.100.8',
];

let dns: TestDns | undefined;
const postfixes: TestPostfix[] = [];

test.describe('the relay check, as carol (staff)', () => {
  test.use({ storageState: storageState('carol') });

  test.beforeAll(async () => {
    dns = await startTestDns({ port: 53, address: DNS_ADDRESS, portVariable: 'RELAY_E2E_DNS_ADDRESS', records: RECORDS, probeName: GOOD });
    const generated = postfixSettings({ mxHosts: [{ host: MX1, preference: 20 }, { host: MX2, preference: 30 }], permitNetworks: [SETTINGS.networks] }, []);
    const mainCf = (host: string) => generated.hosts.find((h) => h.host === host)!.mainCf;
    // Each is kept as soon as it runs, so afterAll stops it even when the other fails to start.
    const keep = async (p: Promise<TestPostfix>) => {
      const started = await p;
      postfixes.push(started);
      return started;
    };
    await Promise.all([
      keep(startTestPostfix({ name: 'e2e-mx1', address: '127.0.0.1', port: PORT, mainCf: mainCf(MX1), nameserver: DNS_ADDRESS, portVariable: 'RELAY_E2E_SMTP_PORT' })),
      keep(
        startTestPostfix({
          // Open: 127.0.0.2 is not an interface address for Postfix, so it never sees itself as an MX.
          name: 'e2e-mx2',
          address: '127.0.0.2',
          port: PORT,
          mainCf: mainCf(MX2),
          nameserver: DNS_ADDRESS,
          portVariable: 'RELAY_E2E_SMTP_PORT',
          overrides: ['mynetworks = 0.0.0.0/0', 'smtpd_relay_restrictions = permit_mynetworks, reject', 'smtpd_recipient_restrictions = permit_mynetworks, reject'],
        }),
      ),
    ]);
  });

  test.afterAll(async () => {
    await Promise.all(postfixes.map((p) => p.stop()));
    await dns?.stop();
  });

  async function saveMxSettings(page: Page) {
    await page.goto('/admin/settings');
    await page.getByLabel('Backup MX hosts').fill(SETTINGS.mxHosts);
    await page.getByLabel('permit_mx_backup_networks').fill(SETTINGS.networks);
    await page.getByLabel('DNS servers for MX checks').fill(SETTINGS.dns);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status').filter({ hasText: /saved|changed/i })).toBeVisible();
  }

  async function resetMxSettings(page: Page) {
    await page.goto('/admin/settings');
    for (const label of ['Backup MX hosts', 'permit_mx_backup_networks', 'DNS servers for MX checks']) {
      const reset = page.getByRole('button', { name: `Reset ${label} to the default` });
      if ((await reset.count()) === 0) continue;
      await reset.click();
      await expect(reset).toHaveCount(0);
    }
  }

  test('carol runs the relay check and reads the result: PASS for the generated main.cf, OPEN RELAY for the broken one', async ({ page, browser }) => {
    test.setTimeout(90_000);
    const alice = await browser.newContext({ storageState: storageState('alice') });
    const alicePage = await alice.newPage();
    const added: string[] = [];
    try {
      // Alice's domains are the candidates for the probes.
      await alicePage.goto('/mail');
      for (const domain of [GOOD, OUTSIDE]) {
        await alicePage.getByLabel('Mail domain').fill(domain);
        await alicePage.getByRole('button', { name: 'Add domain' }).click();
        await expect(alicePage.getByRole('status').filter({ hasText: `${domain} added.` })).toBeVisible();
        added.push(domain);
      }
      await saveMxSettings(page);

      await page.goto('/admin/mx');
      await page.getByRole('button', { name: 'Run the relay check now' }).click();
      const outcome = page.getByRole('status').filter({ hasText: /^Checked / });
      await expect(outcome).toContainText(`${MX1}: PASS`, { timeout: 60_000 });
      await expect(outcome).toContainText(`${MX2}: OPEN RELAY`);

      // The loud part, at the top of the page (and of the overview).
      await page.reload();
      const alarm = page.getByRole('alert', { name: 'Open relay' });
      await expect(alarm).toContainText(`OPEN RELAY: ${MX2} accepts mail`);
      await expect(alarm).not.toContainText(MX1);

      const mx1 = page.getByRole('region', { name: `Relay check of ${MX1}` });
      await expect(mx1.getByRole('heading', { name: `${MX1} PASS` })).toBeVisible();
      await expect(mx1.getByRole('row', { name: /a backed-up domain/ })).toContainText(`postmaster@${GOOD}`);
      await expect(mx1.getByRole('row', { name: /a backed-up domain/ })).toContainText('250 2.1.5 Ok');
      await expect(mx1.getByRole('row', { name: /does not list this host/ })).toContainText('554 5.7.1');
      await expect(mx1.getByRole('row', { name: /outside our networks/ })).toContainText(`postmaster@${OUTSIDE}`);
      await expect(mx1.getByRole('row', { name: /outside our networks/ })).toContainText('554 5.7.1 <postmaster@relay-outside.test>: Recipient address rejected: Access denied');

      const mx2 = page.getByRole('region', { name: `Relay check of ${MX2}` });
      await expect(mx2.getByRole('heading', { name: `${MX2} OPEN RELAY` })).toBeVisible();
      await expect(mx2.getByRole('row', { name: /does not list this host/ })).toContainText('OPEN RELAY');
      // The whole conversation that proves it is open, as the server answered.
      const conversation = mx2.getByLabel('Conversation for relay-unlisted.test');
      await expect(conversation).toBeVisible();
      await expect(conversation).toContainText('> RCPT TO:<postmaster@relay-unlisted.test>');
      await expect(conversation).toContainText('< 250 2.1.5 Ok');
      await expect(conversation).toContainText('> QUIT');
      await expect(conversation).not.toContainText('> DATA');

      await page.goto('/admin');
      await expect(page.getByRole('alert', { name: 'Open relay' })).toContainText(MX2);

      // It is in the audit log, in words.
      await page.goto('/admin/audit');
      await expect(page.getByText(`carol ran the relay check of ${MX1} and ${MX2}: OPEN RELAY ${MX2}`).first()).toBeVisible();
    } finally {
      await resetMxSettings(page);
      for (const domain of added) {
        alicePage.once('dialog', (d) => void d.accept());
        await alicePage.getByRole('region', { name: domain }).getByRole('button', { name: `Remove ${domain}` }).click();
        await expect(alicePage.getByRole('region', { name: domain })).toHaveCount(0);
      }
      await alice.close();
    }
    // With the default MX hosts back, no banner is left for other tests.
    await page.goto('/admin');
    await expect(page.getByRole('alert', { name: 'Open relay' })).toHaveCount(0);
  });
});
