// The parts of the player that need no account: the sign-in screen, the
// live server status page (also as a deep link) and its error handling.
import { AuthPages } from '../pages/auth';
import { StatusPage } from '../pages/status';
import { test as base, expect } from '../support/fixtures';

/** The part of GET /api/v1/config these tests compare with the page. */
interface ServiceConfig {
  version: string;
  database: string;
  features: Record<'face_login' | 'translation', { enabled: boolean; provider: string }>;
}

const test = base.extend<{ serviceConfig: ServiceConfig }>({
  serviceConfig: async ({ request }, use) => {
    const response = await request.get('/api/v1/config');
    expect(response.ok(), `GET /api/v1/config answered ${response.status()}`).toBeTruthy();
    await use((await response.json()) as ServiceConfig);
  },
});

function featureState(feature: { enabled: boolean; provider: string }): string {
  return feature.enabled ? `Enabled (${feature.provider})` : 'Disabled';
}

test('signed out, any route shows the log-in screen in English', async ({ page }) => {
  const auth = new AuthPages(page);

  await page.goto('/songs');

  await auth.expectLoginScreen();
  await expect(page.getByRole('link', { name: 'Register' })).toBeVisible();
  await expect(page).toHaveTitle('Log in · SoundStream');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const overflows = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflows, 'the layout fits the viewport without horizontal scrolling').toBe(false);
});

test('the server status page shows the feature flags, also as a deep link', async ({ page, serviceConfig }) => {
  const status = new StatusPage(page);

  const response = await page.goto('/status');

  expect(response?.status(), 'the server falls back to index.html for client routes').toBe(200);
  await expect(status.heading).toBeVisible();
  await expect(status.fact(status.service, 'Version')).toHaveText(serviceConfig.version);
  await expect(status.fact(status.service, 'Database')).toHaveText(serviceConfig.database);
  await expect(status.fact(status.featureFlags, 'Face login')).toHaveText(
    featureState(serviceConfig.features.face_login),
  );
  await expect(status.fact(status.featureFlags, 'Lyrics translation')).toHaveText(
    featureState(serviceConfig.features.translation),
  );
  await expect(status.uploads).toBeVisible();
  await expect(status.languages).toBeVisible();
});

test('a failed status request says why and recovers on Retry', async ({ page, serviceConfig }) => {
  const status = new StatusPage(page);
  // The first config requests fail the way the API reports an outage; later ones reach the API.
  let failures = 2; // the app's own feature check and the page's request
  await page.route('**/api/v1/config', async (route) => {
    if (failures-- > 0) {
      await route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'urn:soundstream:problem:service-unavailable',
          title: 'Service unavailable',
          status: 503,
          detail: 'The database is not reachable.',
        }),
      });
    } else {
      await route.continue();
    }
  });

  await page.goto('/status');

  const alert = page.getByRole('main').getByRole('alert');
  await expect(alert).toContainText('Could not load the server configuration.');
  await expect(alert).toContainText('The database is not reachable.');
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(status.fact(status.service, 'Version')).toHaveText(serviceConfig.version);
  await expect(alert).toHaveCount(0);
});

test('the player is served with its Content-Security-Policy enforced', async ({ page }) => {
  const response = await page.goto('/');

  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval';");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).not.toContain('unsafe-inline');
  // The app booted under it (no inline bootstrap script); the shared
  // fixture fails the test on any violation report.
  await new AuthPages(page).expectLoginScreen();
});

test('the API docs render under their own policy', async ({ page }) => {
  const response = await page.goto('/docs/');

  expect(response?.headers()['content-security-policy'] ?? '').toContain("script-src 'self';");
  await expect(page.getByRole('heading', { name: /SoundStream API/ })).toBeVisible();
  await expect(page.getByText('/api/v1/playlists/{id}/entries').first()).toBeVisible();
});
