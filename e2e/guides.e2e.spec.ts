import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { findRelease, loadShippedReleases, releaseLabel, upgradePath } from '../lib/guides/releases';
import { storageState, vmIds } from './fixtures';

// The per-VM guides as the demo customers see them, against the seeded test database (default settings,
// the shipped release table) and the real clock.
const golden = (name: string) => readFileSync(new URL(`../lib/guides/__golden__/${name}`, import.meta.url), 'utf8');
const releases = loadShippedReleases();
const today = new Date();

test.describe('as alice', () => {
  test.use({ storageState: storageState('alice'), permissions: ['clipboard-read', 'clipboard-write'] });

  test('copies and downloads the apt sources for web-01 (22.04 jammy)', async ({ page, request }) => {
    const ids = await vmIds(request, 'alice');
    await page.goto(`/vms/${ids['web-01.acme.example']}/packages`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Packages and release support: web-01.acme.example');

    await page.getByRole('button', { name: 'Copy sources' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('deb http://mirror.example.net/ubuntu jammy main restricted universe multiverse');
    expect(copied).toContain('jammy-updates main restricted universe multiverse');
    expect(copied).toContain('jammy-security main restricted universe multiverse');
    expect(copied).toBe(golden('sources-22.04-no-backports.list'));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download sources.list' }).click()]);
    expect(download.suggestedFilename()).toBe('sources.list');
    expect(readFileSync((await download.path())!, 'utf8')).toBe(golden('sources-22.04-no-backports.list'));

    // The -backports choice changes both the text and the download.
    await page.getByRole('link', { name: 'With -backports' }).click();
    await expect(page.getByText('jammy-backports main restricted universe multiverse')).toBeVisible();
    const withBackports = await page.request.get(`/api/v1/vms/${ids['web-01.acme.example']}/sources?backports=1`);
    expect(withBackports.headers()['content-disposition']).toBe('attachment; filename="sources.list"');
    expect(await withBackports.text()).toBe(golden('sources-22.04.list'));

    await expect(page.getByRole('heading', { name: /Release support/ }).locator('[data-support]')).toHaveText('supported');
    await expect(page.getByText('sudo apt-get update').first()).toBeVisible();
  });

  test('sees db-01 (20.04 focal) past the end of standard support, with its upgrade path', async ({ page, request }) => {
    const focal = findRelease(releases, '20.04')!;
    const lts = upgradePath(releases, focal, today, 'lts');
    const normal = upgradePath(releases, focal, today, 'normal');
    expect(lts.target?.version).toBe('22.04');

    const ids = await vmIds(request, 'alice');
    await page.goto(`/vms/${ids['db-01.acme.example']}/packages`);
    const badge = page.getByRole('heading', { name: /Release support/ }).locator('[data-support]');
    await expect(badge).toHaveAttribute('data-support', 'ended');
    await expect(badge).toHaveText(`ended ${focal.eolServer ?? focal.eol}`);
    await expect(page.getByText(`Ubuntu 20.04 LTS (Focal Fossa): standard support ended on ${focal.eolServer}`)).toBeVisible();
    await expect(page.getByTestId('next-release')).toHaveText(releaseLabel(lts.nextRelease!));
    await expect(page.getByTestId('next-lts')).toHaveText(releaseLabel(lts.nextLts!));
    await expect(page.getByTestId('upgrade-target')).toContainText(`With Prompt=lts, do-release-upgrade takes db-01.acme.example to ${releaseLabel(lts.target!)}`);
    await expect(page.getByText('sudo do-release-upgrade')).toBeVisible();
    await expect(page.getByText(/Change the line that starts with "Prompt=" to "Prompt=lts"/)).toBeVisible();
    // Past its end of support, the sources page warns (ESM still runs, so not old-releases yet).
    await expect(page.getByText(/Standard support for Ubuntu 20\.04 LTS \(Focal Fossa\) ended on/)).toBeVisible();

    await page.getByRole('link', { name: 'Prompt=normal (every release)' }).click();
    await expect(page.getByTestId('upgrade-target')).toContainText(`With Prompt=normal, do-release-upgrade takes db-01.acme.example to ${releaseLabel(normal.target!)}`);

    await page.goto('/releases');
    await expect(page.getByTestId('release-source')).toContainText("Ubuntu's published release and support dates");
    await expect(page.getByTestId('release-source')).not.toContainText('distro-info');
    const focalRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^20\.04 LTS/ }) });
    await expect(focalRow.locator('[data-support]')).toHaveText(`ended ${focal.eolServer}`);
  });

  test('sees the monitoring firewall rules for web-01', async ({ page, request }) => {
    const ids = await vmIds(request, 'alice');
    await page.goto(`/vms/${ids['web-01.acme.example']}/firewall`);
    await expect(page.getByText('sudo iptables -I INPUT 4 -s 192.0.2.245 -p icmp -m icmp --icmp-type 8 -j ACCEPT')).toBeVisible();
    await expect(page.getByText('ip saddr 192.0.2.245 icmp type echo-request accept').first()).toBeVisible();
    await expect(page.getByText('sudo netfilter-persistent save')).toBeVisible();
    await expect(page.locator('[data-reachability]')).toBeVisible();
  });

  test('adds a mail domain, sees its zone lines, and removes it', async ({ page }) => {
    const domain = `e2e-${Date.now()}.example`;
    await page.goto('/mail');
    await page.getByLabel('Mail domain').fill(` ${domain.toUpperCase()} `);
    await page.getByRole('button', { name: 'Add domain' }).click();
    await expect(page.getByRole('status').filter({ hasText: `${domain} added.` })).toBeVisible();
    const section = page.getByRole('region', { name: domain });
    await expect(section.getByText(`${domain}.  3600  IN  MX  20 mx1.porthole.example.`)).toBeVisible();
    await expect(section.getByText(`${domain}.  3600  IN  MX  30 mx2.porthole.example.`)).toBeVisible();
    await expect(page.getByRole('cell', { name: `RCPT TO: postmaster@${domain}` })).toBeVisible();

    await page.getByLabel('Mail domain').fill(domain);
    await page.getByRole('button', { name: 'Add domain' }).click();
    await expect(page.getByRole('alert').filter({ hasText: `${domain} is already in your list.` })).toBeVisible();

    page.once('dialog', (d) => void d.accept());
    await section.getByRole('button', { name: `Remove ${domain}` }).click();
    await expect(page.getByRole('region', { name: domain })).toHaveCount(0);
  });
});

test.describe('as bob', () => {
  test.use({ storageState: storageState('bob') });

  test('alice’s VM guides are a 404', async ({ page, request }) => {
    const acme = await vmIds(request, 'alice');
    for (const path of ['packages', 'firewall']) {
      const response = await page.goto(`/vms/${acme['web-01.acme.example']}/${path}`);
      expect(response?.status()).toBe(404);
      await expect(page.getByText('web-01')).toHaveCount(0);
    }
    const download = await page.request.get(`/api/v1/vms/${acme['web-01.acme.example']}/sources`);
    expect(download.status()).toBe(404);
    expect(await download.text()).not.toContain('jammy');
  });
});

test.describe('as carol (staff)', () => {
  test.use({ storageState: storageState('carol') });

  test('a bad setting is refused with a clear error and nothing changes; the MX page shows main.cf', async ({ page }) => {
    await page.goto('/admin/settings');
    const mirror = page.getByLabel('Package mirror URL');
    await expect(mirror).toHaveValue('http://mirror.example.net/ubuntu');
    await mirror.fill('ftp://mirror.example.net/ubuntu');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Nothing was saved' })).toBeVisible();
    await expect(page.getByText(/Package mirror URL: must be an http:\/\/ or https:\/\/ URL/)).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Package mirror URL')).toHaveValue('http://mirror.example.net/ubuntu');

    await page.goto('/admin/mx');
    await expect(page.getByText('permit_mx_backup_networks = 192.0.2.0/24, 198.51.100.0/24, [2001:db8::]/32').first()).toBeVisible();
  });

  test('the MX page has a manual SMTP test for each customer domain and MX host', async ({ page, browser }) => {
    const domain = `staff-e2e-${Date.now()}.example`;
    const alice = await browser.newContext({ storageState: storageState('alice') });
    const alicePage = await alice.newPage();
    await alicePage.goto('/mail');
    await alicePage.getByLabel('Mail domain').fill(domain);
    await alicePage.getByRole('button', { name: 'Add domain' }).click();
    await expect(alicePage.getByRole('status').filter({ hasText: `${domain} added.` })).toBeVisible();
    try {
      await page.goto('/admin/mx');
      for (const mx of ['mx1.porthole.example', 'mx2.porthole.example']) {
        const test = page.locator('details').filter({ has: page.getByText(`${domain} via ${mx}`, { exact: true }) });
        await test.getByText(`${domain} via ${mx}`).click();
        await expect(test.getByRole('cell', { name: `RCPT TO: postmaster@${domain}` })).toBeVisible();
        await expect(test.getByRole('cell', { name: `telnet ${mx} smtp` })).toBeVisible();
        await expect(test.getByText(`dig MX ${domain} +short`)).toBeVisible();
      }
    } finally {
      alicePage.once('dialog', (d) => void d.accept());
      await alicePage.getByRole('region', { name: domain }).getByRole('button', { name: `Remove ${domain}` }).click();
      await expect(alicePage.getByRole('region', { name: domain })).toHaveCount(0);
      await alice.close();
    }
  });
});

test.describe('the dashboard', () => {
  test.use({ storageState: storageState('alice') });

  test('warns about db-01, past the end of standard support', async ({ page }) => {
    await page.goto('/');
    const warning = page.getByTestId('support-warning');
    await expect(warning).toContainText('db-01.acme.example');
    await expect(warning).not.toContainText('web-01.acme.example');
  });
});
