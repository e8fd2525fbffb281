import { test as setup } from '@playwright/test';
import { type DemoUser, logIn, storageState } from './fixtures';

for (const user of ['alice', 'bob', 'carol'] as DemoUser[]) {
  setup(`log in as ${user}`, async ({ page }) => {
    await logIn(page, user);
    await page.context().storageState({ path: storageState(user) });
  });
}
