// A new server's first screen, against a second API with an empty data
// directory (scripts/test starts it; the `first-run` project points here):
// the first administrator is created from the player, once.
import { AuthPages } from '../pages/auth';
import { Shell } from '../pages/shell';
import { test, expect } from '../support/fixtures';

test('a new server creates its first administrator from the player, then offers sign-in only', async ({ page, browser, baseURL }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Set up SoundStream');
  await expect(page.getByText('soundstream import /path/to/music')).toBeVisible();

  await page.getByLabel('Username').fill('firstboss');
  await page.getByLabel('Email').fill('firstboss@example.com');
  await page.getByLabel('Password').fill('a first admin password');
  await page.getByRole('button', { name: 'Create administrator' }).click();

  const shell = new Shell(page);
  await shell.expectLoaded();
  await expect(page.getByRole('navigation', { name: 'Admin' })).toBeVisible();

  // Anyone else now sees the sign-in screen, not the setup.
  const other = await browser.newPage({ baseURL });
  await other.goto('/');
  await new AuthPages(other).expectLoginScreen();
  await expect(other.getByText('Set up SoundStream')).toHaveCount(0);
  await other.close();
});
