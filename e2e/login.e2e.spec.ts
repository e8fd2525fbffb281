import { expect, test } from '@playwright/test';
import { logIn, storageState, vmIds } from './fixtures';

test.describe('logging in', () => {
  test('a wrong password and an unknown user see the same message', async ({ page }) => {
    const attempt = async (username: string, password: string) => {
      await page.goto('/login');
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      const message = page.locator('form .error');
      await expect(message).toBeVisible();
      return (await message.textContent())?.trim();
    };
    const wrong = await attempt('alice', 'not-her-password');
    const unknown = await attempt('nobody-here', 'whatever');
    expect(wrong).toBe('Invalid username or password.');
    expect(unknown).toBe(wrong);
    await expect(page).toHaveURL(/\/login/);
  });

  test('alice sees only Acme’s VMs, logs out, and the back button shows nothing private', async ({ page }) => {
    await page.goto('/vms/1');
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fvms%2F1/);
    await logIn(page, 'alice');
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acme Ltd: virtual machines');
    const rows = page.getByRole('table').getByRole('row');
    await expect(rows).toHaveCount(3); // header + web-01 + db-01
    const table = page.getByRole('table');
    await expect(table.getByRole('link', { name: 'web-01.acme.example' })).toBeVisible();
    await expect(table.getByRole('link', { name: 'db-01.acme.example' })).toBeVisible();
    await expect(page.getByText('globex')).toHaveCount(0);

    await table.getByRole('link', { name: 'web-01.acme.example' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^web-01\.acme\.example/);

    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goBack();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByText('web-01.acme.example')).toHaveCount(0);
    await expect(page.getByText('Acme Ltd')).toHaveCount(0);
  });
});

test.describe('as alice', () => {
  test.use({ storageState: storageState('alice') });

  test('Globex’s VM page is a 404', async ({ page, request }) => {
    const globex = await vmIds(request, 'bob');
    const response = await page.goto(`/vms/${globex['app-01.globex.example']}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
    await expect(page.getByText('app-01')).toHaveCount(0);
  });

  test('/admin is forbidden', async ({ page }) => {
    const response = await page.goto('/admin');
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { name: 'Forbidden' })).toBeVisible();
  });
});

test.describe('as carol (staff)', () => {
  test.use({ storageState: storageState('carol') });

  test('the admin pages open and list every account', async ({ page }) => {
    const response = await page.goto('/admin');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('cell', { name: 'Acme Ltd' }).first()).toBeVisible();
    await expect(page.getByRole('cell', { name: 'Globex Corp' }).first()).toBeVisible();
  });

  test('the customer dashboard sends staff to /admin', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/admin$/);
  });
});
