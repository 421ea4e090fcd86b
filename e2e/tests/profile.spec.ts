// The profile (display name, language, avatar, password) and the session
// that refreshes itself before the access token expires.
import { join } from 'node:path';
import { FIXTURES, apiContext } from '../support/api';
import { AuthPages } from '../pages/auth';
import { Shell } from '../pages/shell';
import { test, expect, registerInBrowser, storedSession } from '../support/fixtures';

test('a listener renames themself, sets a language and an avatar, and changes the password', async ({ page, baseURL }) => {
  const user = await registerInBrowser(page, 'profile');
  const shell = new Shell(page);
  await shell.navigateTo('Profile');

  await page.getByLabel('Display name').fill('Renamed Listener');
  const languages = page.getByLabel('Preferred language (lyrics translation)');
  await languages.selectOption('es');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved.')).toBeVisible();

  const avatar = page.getByRole('region', { name: 'Avatar' });
  await avatar.locator('input[type="file"]').setInputFiles(join(FIXTURES, 'cover.png'));
  await avatar.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(page.locator('img.avatar')).toBeVisible();
  await expect
    .poll(() => page.locator('img.avatar').evaluate((img: HTMLImageElement) => img.naturalWidth))
    .toBeGreaterThan(0);

  await page.reload();
  await expect(page.getByLabel('Display name')).toHaveValue('Renamed Listener');
  await expect(languages).toHaveValue('es');
  const api = await apiContext(baseURL!, (await storedSession(page)).access_token);
  const me = await (await api.get('/api/v1/me')).json();
  expect(me.display_name).toBe('Renamed Listener');
  expect(me.preferred_language).toBe('es');
  expect(me.avatar_url).toBeTruthy();
  await api.dispose();

  const newPassword = `${user.password} changed`;
  await page.getByLabel('Current password').fill(user.password);
  await page.getByLabel('New password').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed.')).toBeVisible();
  await page.getByRole('button', { name: 'Log out' }).click();
  const auth = new AuthPages(page);
  await auth.logIn(user.username, user.password);
  await expect(page.getByRole('alert')).toContainText('Could not log in.');
  await auth.logIn(user.username, newPassword);
  await shell.expectLoaded();
});

test('the session refreshes itself before the access token expires', async ({ page }) => {
  // The page's clock is Playwright's, so fifteen minutes pass at once.
  await page.clock.install();
  await registerInBrowser(page, 'refresh');
  const before = await storedSession(page);

  const refresh = page.waitForResponse(
    (response) => response.url().endsWith('/api/v1/auth/refresh') && response.request().method() === 'POST',
  );
  await page.clock.fastForward('14:30');
  expect((await refresh).status()).toBe(200);

  await expect.poll(async () => (await storedSession(page)).refresh_token).not.toBe(before.refresh_token);
  const after = await storedSession(page);
  expect(after.access_token).not.toBe(before.access_token);
  // The new tokens are the ones in use: pages still load, and a reload
  // keeps the session.
  const shell = new Shell(page);
  await shell.navigateTo('Favorites');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Favorites');
  await page.reload();
  await shell.expectLoaded();
});

test('two tabs refreshing at once keep one session between them', async ({ page, context }) => {
  // One clock for the whole browser context (page.clock is context.clock):
  // installed once, moved once, it fires both tabs' timers together.
  await context.clock.install();
  await registerInBrowser(page, 'tabs');
  const second = await context.newPage();
  await second.goto('/');
  await new Shell(second).expectLoaded();
  const before = await storedSession(page);
  const refreshes: Promise<{ status: number; refresh_token?: string }>[] = [];
  context.on('response', (response) => {
    if (response.url().endsWith('/api/v1/auth/refresh') && response.request().method() === 'POST') {
      refreshes.push(response.json().then((body) => ({ status: response.status(), refresh_token: body.refresh_token })));
    }
  });

  // Both tabs' refresh timers fire at once. They take turns (a browser-wide
  // lock) and the second usually adopts the pair the first stored; where its
  // view of storage lags behind the other tab's write (Chromium syncs
  // localStorage between renderer processes asynchronously) it presents the
  // spent token within the API's grace window and is handed the same pair.
  // Either way: one new pair, never a revoked session.
  await context.clock.fastForward('14:30');

  await expect.poll(async () => (await storedSession(page)).refresh_token).not.toBe(before.refresh_token);
  await page.waitForTimeout(1500);
  const answered = await Promise.all(refreshes);
  const after = await storedSession(page);
  expect(answered.length).toBeGreaterThanOrEqual(1);
  expect(answered.length).toBeLessThanOrEqual(2);
  for (const answer of answered) {
    expect(answer).toEqual({ status: 200, refresh_token: after.refresh_token });
  }
  for (const tab of [page, second]) {
    const shell = new Shell(tab);
    await shell.navigateTo('Favorites');
    await expect(tab.getByRole('heading', { level: 1 })).toContainText('Favorites');
  }
});
