import path from 'node:path';
import { type APIRequestContext, type Page, expect } from '@playwright/test';
import { TEST_DATABASE } from '../scripts/test-setup/test-env';

export const USERS = {
  alice: { username: 'alice', password: 'alice-demo' },
  bob: { username: 'bob', password: 'bob-demo' },
  carol: { username: 'carol', password: 'carol-demo' },
} as const;
export type DemoUser = keyof typeof USERS;

/** Saved browser sessions, one per demo user (written by auth.setup.ts). */
export const storageState = (user: DemoUser) => path.join(import.meta.dirname, '.auth', TEST_DATABASE, `${user}.json`);

export function basic(user: DemoUser | { username: string; password: string }): Record<string, string> {
  const { username, password } = typeof user === 'string' ? USERS[user] : user;
  return { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
}

export async function logIn(page: Page, user: DemoUser) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(USERS[user].username);
  await page.getByLabel('Password').fill(USERS[user].password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** The VM ids by hostname, as the API shows them to a user. */
export async function vmIds(request: APIRequestContext, user: DemoUser): Promise<Record<string, number>> {
  const response = await request.get('/api/v1/vms', { headers: basic(user) });
  expect(response.status()).toBe(200);
  const { vms } = (await response.json()) as { vms: Array<{ id: number; hostname: string }> };
  return Object.fromEntries(vms.map((vm) => [vm.hostname, vm.id]));
}
