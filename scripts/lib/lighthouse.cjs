// Lighthouse on the signed-in player (scripts/bench, "player"): Playwright
// starts Debian's Chromium with a DevTools port and a profile of its own,
// signs in through the player's real login form (so the player stores its
// own session, as for any listener), and Lighthouse then audits each page
// in that same browser with --disable-storage-reset, so it loads the page
// signed in, cold (Lighthouse clears the HTTP cache, not localStorage).
//
//   node lighthouse.cjs BASE_URL USERNAME PASSWORD OUT_DIR PATH...
//
// Needs SOUNDSTREAM_E2E_DIR (Playwright's node_modules) and
// SOUNDSTREAM_LIGHTHOUSE (the CLI). Writes OUT_DIR/<mobile|desktop>-<page>.json.
'use strict';

const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const { chromium } = require(path.join(process.env.SOUNDSTREAM_E2E_DIR, 'node_modules', '@playwright/test'));

const [baseURL, username, password, outDir, ...paths] = process.argv.slice(2);
const CHROMIUM = process.env.SOUNDSTREAM_E2E_CHROMIUM ?? '/usr/bin/chromium';
const PORT = Number(process.env.SOUNDSTREAM_LIGHTHOUSE_PORT ?? 9333);

/** `/songs` → `songs`, `/` → `home`: the report's file name. */
function pageName(urlPath) {
  return urlPath.replace(/^\/+|\/+$/g, '').replace(/[^a-z0-9]+/gi, '-') || 'home';
}

async function main() {
  const profile = mkdtempSync(path.join(tmpdir(), 'soundstream-lighthouse-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--remote-debugging-port=${PORT}`],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(baseURL);
    await page.getByLabel('Username or email').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    for (const formFactor of ['mobile', 'desktop']) {
      for (const urlPath of paths) {
        const out = path.join(outDir, `${formFactor}-${pageName(urlPath)}.json`);
        execFileSync(process.env.SOUNDSTREAM_LIGHTHOUSE, [
          new URL(urlPath, baseURL).href,
          `--port=${PORT}`,
          '--disable-storage-reset',
          '--only-categories=performance,accessibility',
          '--output=json',
          `--output-path=${out}`,
          '--quiet',
          ...(formFactor === 'desktop' ? ['--preset=desktop'] : []),
        ], { stdio: 'inherit' });
      }
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
