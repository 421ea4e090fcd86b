// Browser tests of the web player, run against an API that is already
// serving the built SPA (scripts/test starts it). Uses Debian's Chromium:
// Playwright's own browser download is not reachable from our machines.
import { defineConfig, devices } from '@playwright/test';

const baseURL = process.env.SOUNDSTREAM_E2E_BASE_URL ?? 'http://127.0.0.1:8080';

/** Admin journeys: see the admin-* projects below. */
const ADMIN_SPEC = /admin\.spec\.ts$/;

const launchOptions = {
  executablePath: process.env.SOUNDSTREAM_E2E_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // Tests press Play without a real user gesture and listen for currentTime.
    '--autoplay-policy=no-user-gesture-required',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
  ],
};

export default defineConfig({
  testDir: './tests',
  globalSetup: './support/global-setup.ts',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Two cores: more workers only make the browser and the API fight for CPU.
  workers: process.env.CI ? 1 : 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  outputDir: './test-results',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'desktop',
      testIgnore: ADMIN_SPEC,
      use: { ...devices['Desktop Chrome'], launchOptions },
    },
    {
      // The narrowest phone the player supports: the sidebar becomes a top bar.
      name: 'phone',
      testIgnore: ADMIN_SPEC,
      use: { ...devices['Desktop Chrome'], viewport: { width: 360, height: 740 }, launchOptions },
    },
    // The admin journeys add songs and change users: they run once the
    // listener tests, which count the seeded library, are done.
    {
      name: 'admin-desktop',
      testMatch: ADMIN_SPEC,
      dependencies: ['desktop', 'phone'],
      use: { ...devices['Desktop Chrome'], launchOptions },
    },
    {
      name: 'admin-phone',
      testMatch: ADMIN_SPEC,
      dependencies: ['desktop', 'phone'],
      use: { ...devices['Desktop Chrome'], viewport: { width: 360, height: 740 }, launchOptions },
    },
  ],
});
