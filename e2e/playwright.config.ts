// Browser tests of the web player, run against an API that is already
// serving the built SPA (scripts/test starts it). Uses Debian's Chromium:
// Playwright's own browser download is not reachable from our machines.
import { defineConfig, devices } from '@playwright/test';

const baseURL = process.env.SOUNDSTREAM_E2E_BASE_URL ?? 'http://127.0.0.1:8080';

/** Admin journeys: see the admin-* projects below. */
const ADMIN_SPEC = /admin\.spec\.ts$/;
/** Journeys with a browser or a server of their own: see their projects. */
const FACE_SPEC = /face\.spec\.ts$/;
const FIRST_RUN_SPEC = /first-run\.spec\.ts$/;
/** Renditions and loudness: files a song of its own and waits for the job worker. */
const PLAYBACK_SPEC = /playback\.spec\.ts$/;
const OWN_PROJECT = [ADMIN_SPEC, FACE_SPEC, FIRST_RUN_SPEC, PLAYBACK_SPEC];

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
      testIgnore: OWN_PROJECT,
      use: { ...devices['Desktop Chrome'], launchOptions },
    },
    {
      // The narrowest phone the player supports: the sidebar becomes a top bar.
      name: 'phone',
      testIgnore: OWN_PROJECT,
      use: { ...devices['Desktop Chrome'], viewport: { width: 360, height: 740 }, launchOptions },
    },
    // Face login: the webcam plays a video of a real person turning their
    // head (scripts/lib/face.sh make_face_login_video).
    {
      name: 'face',
      testMatch: FACE_SPEC,
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          ...launchOptions,
          args: [
            ...launchOptions.args,
            `--use-file-for-fake-video-capture=${process.env.SOUNDSTREAM_E2E_FACE_VIDEO ?? 'SOUNDSTREAM_E2E_FACE_VIDEO-is-not-set'}`,
          ],
        },
      },
    },
    // A second API with an empty data directory: a new server's first run.
    {
      name: 'first-run',
      testMatch: FIRST_RUN_SPEC,
      use: {
        ...devices['Desktop Chrome'],
        baseURL: process.env.SOUNDSTREAM_E2E_FRESH_URL ?? 'http://127.0.0.1:8081',
        launchOptions,
      },
    },
    // Adds a song, so it runs once the listener tests, which count the
    // seeded library, are done (locally: --project playback --no-deps).
    {
      name: 'playback',
      testMatch: PLAYBACK_SPEC,
      dependencies: ['desktop', 'phone'],
      use: { ...devices['Desktop Chrome'], launchOptions },
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
