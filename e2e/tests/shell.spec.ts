// Smoke test of the player shell served by the API: layout, live service
// status, client-side navigation, deep links and unknown routes.
import { test as base, expect } from '@playwright/test';
import { HomePage } from '../pages/home';
import { NotFoundPage } from '../pages/not-found';
import { StatusPage } from '../pages/status';

/** The part of GET /api/v1/config these tests compare with the page. */
interface ServiceConfig {
  version: string;
  database: string;
  features: Record<'face_login' | 'translation', { enabled: boolean; provider: string }>;
}

const test = base.extend<{ serviceConfig: ServiceConfig; failOnPageErrors: void }>({
  serviceConfig: async ({ request }, use) => {
    const response = await request.get('/api/v1/config');
    expect(response.ok(), `GET /api/v1/config answered ${response.status()}`).toBeTruthy();
    await use((await response.json()) as ServiceConfig);
  },
  // A panic in the wasm app surfaces as an uncaught page error: fail on any.
  failOnPageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await use();
      expect(errors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

function featureState(feature: { enabled: boolean; provider: string }): string {
  return feature.enabled ? `Enabled (${feature.provider})` : 'Disabled';
}

test('home shows the navigation, an empty player bar and the live API status', async ({ page, serviceConfig }) => {
  const home = new HomePage(page);

  await home.goto();

  await home.shell.expectLoaded();
  await expect(home.shell.navLink('Home')).toHaveAttribute('aria-current', 'page');
  await expect(home.shell.playerBar).toContainText('Nothing is playing');
  await expect(home.shell.playerBar.getByRole('button')).toHaveCount(0);
  await expect(home.serviceStatus).toContainText('API online');
  await expect(home.serviceStatus).toContainText(serviceConfig.version);
  await expect(home.serviceStatus).toContainText(serviceConfig.database);
  await expect(page).toHaveTitle('Home · SoundStream');
  const overflows = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflows, 'the layout fits the viewport without horizontal scrolling').toBe(false);
});

test('the sidebar leads to the server status page with the feature flags', async ({ page, serviceConfig }) => {
  const home = new HomePage(page);
  const status = new StatusPage(page);
  await home.goto();
  await home.shell.expectLoaded();

  await home.shell.navigateTo('Server status');

  await expect(page).toHaveURL(/\/status$/);
  await expect(status.heading).toBeVisible();
  await expect(status.fact(status.service, 'Version')).toHaveText(serviceConfig.version);
  await expect(status.fact(status.featureFlags, 'Face login')).toHaveText(
    featureState(serviceConfig.features.face_login),
  );
  await expect(status.fact(status.featureFlags, 'Lyrics translation')).toHaveText(
    featureState(serviceConfig.features.translation),
  );
  await expect(status.uploads).toBeVisible();
  await expect(status.languages).toBeVisible();
  // The player bar survives client-side navigation.
  await expect(status.shell.playerBar).toContainText('Nothing is playing');
});

test('a deep link to /status loads the page directly', async ({ page, serviceConfig }) => {
  const status = new StatusPage(page);

  const response = await page.goto('/status');

  expect(response?.status(), 'the server falls back to index.html for client routes').toBe(200);
  await status.shell.expectLoaded();
  await expect(status.heading).toBeVisible();
  await expect(status.shell.navLink('Server status')).toHaveAttribute('aria-current', 'page');
  await expect(status.fact(status.service, 'Database')).toHaveText(serviceConfig.database);
});

test('an unknown client route shows the not-found page', async ({ page }) => {
  const notFound = new NotFoundPage(page);

  await notFound.goto('/no/such/page');

  await expect(notFound.heading).toBeVisible();
  await expect(page.getByRole('main')).toContainText('/no/such/page');
  await notFound.homeLink.click();
  await expect(page).toHaveURL(/\/$/);
  await expect(new HomePage(page).serviceStatus).toContainText('API online');
});

test('a failed status check says why and recovers on Retry', async ({ page, serviceConfig }) => {
  const home = new HomePage(page);
  // The first config request fails the way the API reports an outage; later ones reach the API.
  let failures = 1;
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

  await home.goto();

  const alert = home.serviceStatus.getByRole('alert');
  await expect(alert).toContainText('The database is not reachable.');
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(home.serviceStatus).toContainText('API online');
  await expect(home.serviceStatus).toContainText(serviceConfig.version);
  await expect(alert).toHaveCount(0);
});
