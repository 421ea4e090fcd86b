// The player ships as two WebAssembly bundles (issue #20): the listener's,
// fetched on a signed-in listener's first load, and the whole player (the
// listener's pages plus the admin, radio and profile pages and the
// signed-out screens), which boot.js starts under /admin, /radio and
// /profile and whenever nobody is signed in. A signed-in listener browsing
// must never download the whole player; admin.spec.ts and the sign-in
// journeys prove its pages still work from it.
import { AuthPages } from '../pages/auth';
import { Shell } from '../pages/shell';
import { test, expect, registerInBrowser } from '../support/fixtures';

/** The wasm-bindgen modules and wasm binaries a page fetched, by bundle. */
function bundleRequests(urls: string[]): { listener: string[]; admin: string[] } {
  const files = urls.map((url) => new URL(url).pathname).filter((path) => /\.(js|wasm)$/.test(path));
  return {
    listener: files.filter((path) => path.startsWith('/soundstream-web-')),
    admin: files.filter((path) => path.startsWith('/soundstream-admin-')),
  };
}

test("a signed-in listener's first load and browsing fetch the listener's bundle only", async ({ page }) => {
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  // Registration is a signed-out screen: the whole player serves it.
  await registerInBrowser(page, 'bundles');
  expect(bundleRequests(requested).admin.length, 'the whole player served registration').toBe(2);
  expect(bundleRequests(requested).listener, 'nothing of the listener bundle before').toEqual([]);
  requested.length = 0;
  const shell = new Shell(page);

  await page.goto('/');
  await shell.expectLoaded();
  await shell.navigateTo('Songs');
  await shell.navigateTo('Playlists');

  const fetched = bundleRequests(requested);
  expect(fetched.listener.some((path) => path.endsWith('_bg.wasm')), 'the listener wasm was fetched').toBe(true);
  expect(fetched.listener.some((path) => path.endsWith('.js')), 'the listener module was fetched').toBe(true);
  expect(fetched.admin, 'whole-player files fetched by a signed-in listener').toEqual([]);
});

test('signing out of the listener bundle starts the whole player on the sign-in screen', async ({ page }) => {
  await registerInBrowser(page, 'bundles');
  const shell = new Shell(page);
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await page.goto('/songs');
  await shell.expectLoaded();
  expect(bundleRequests(requested).admin, 'the listener bundle serves /songs').toEqual([]);

  await page.getByRole('button', { name: 'Log out' }).click();

  await new AuthPages(page).expectLoginScreen();
  expect(bundleRequests(requested).admin.length, 'the whole player was started').toBe(2);
  // The listener bundle's request to boot.js was consumed by the whole player.
  expect(await page.evaluate(() => sessionStorage.getItem('soundstream.whole-player'))).toBeNull();
  await expect(page).toHaveURL(/\/songs$/);
});

test('the page names the admin bundle for boot.js, and a listener sent to /admin gets it and is refused', async ({ page }) => {
  await registerInBrowser(page, 'bundles');
  const boot = page.locator('script[data-soundstream-wasm]');
  await expect(boot).toHaveAttribute('data-soundstream-admin-wasm', /^\/soundstream-admin-[0-9a-f]{16}_bg\.wasm$/);
  await expect(boot).toHaveAttribute('data-soundstream-admin-js', /^\/soundstream-admin-[0-9a-f]{16}\.js$/);

  const adminWasm = page.waitForResponse((response) => /\/soundstream-admin-[0-9a-f]{16}_bg\.wasm$/.test(response.url()));
  await page.goto('/admin/users');

  expect((await adminWasm).ok()).toBe(true);
  await expect(page.getByRole('heading', { level: 1, name: 'Not allowed' })).toBeVisible();
});
