// The player ships as two WebAssembly bundles (issue #20): the listener's,
// fetched on every first load, and the admin one (the player plus the admin
// pages), which boot.js starts only under /admin. A listener must never
// download the admin bundle; the admin journeys in admin.spec.ts prove the
// admin pages still work from it.
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

test("a listener's first load and browsing fetch the listener's bundle only", async ({ page }) => {
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await registerInBrowser(page, 'bundles');
  const shell = new Shell(page);

  await page.goto('/');
  await shell.expectLoaded();
  await shell.navigateTo('Songs');
  await shell.navigateTo('Playlists');

  const fetched = bundleRequests(requested);
  expect(fetched.listener.some((path) => path.endsWith('_bg.wasm')), 'the listener wasm was fetched').toBe(true);
  expect(fetched.listener.some((path) => path.endsWith('.js')), 'the listener module was fetched').toBe(true);
  expect(fetched.admin, 'admin bundle files fetched by a listener').toEqual([]);
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
