// Lighthouse on the signed-in player (scripts/bench, "player"): Debian's
// Chromium starts with a DevTools port and a profile of its own; Playwright
// connects to it and signs in through the player's real login form (so the
// player stores its own session, as for any listener), then lets go; and
// Lighthouse audits each page in that same browser with
// --disable-storage-reset, so the page loads signed in. That flag also keeps
// the HTTP cache, so it is emptied over CDP before every audit: each one
// is a cold load, as a listener's first.
//
//   node lighthouse.cjs BASE_URL USERNAME PASSWORD OUT_DIR PATH...
//
// Needs SOUNDSTREAM_E2E_DIR (Playwright's node_modules) and
// SOUNDSTREAM_LIGHTHOUSE (the CLI). Writes OUT_DIR/<mobile|desktop>-<page>.json.
'use strict';

const { execFileSync, spawn } = require('node:child_process');
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

/** Connects Playwright to the browser, runs `work` on a new page of its
 * default profile, then disconnects (the browser and its storage stay). */
async function withPage(work) {
  let browser;
  for (let attempt = 0; !browser; attempt++) {
    try {
      browser = await chromium.connectOverCDP(`http://127.0.0.1:${PORT}`);
    } catch (error) {
      if (attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const page = await browser.contexts()[0].newPage();
  await work(page);
  await page.close();
  await browser.close();
}

/** Signs in through the login form: the player stores its own session. */
function signIn() {
  return withPage(async (page) => {
    await page.goto(baseURL);
    await page.getByLabel('Username or email').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  });
}

/** Empties the HTTP cache, keeping localStorage (the session). */
function clearHttpCache() {
  return withPage(async (page) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
    await cdp.detach();
  });
}

async function main() {
  const profile = mkdtempSync(path.join(tmpdir(), 'soundstream-lighthouse-'));
  const browser = spawn(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${profile}`, `--remote-debugging-port=${PORT}`, 'about:blank'], { stdio: 'ignore' });
  try {
    await signIn();
    for (const formFactor of ['mobile', 'desktop']) {
      for (const urlPath of paths) {
        const out = path.join(outDir, `${formFactor}-${pageName(urlPath)}.json`);
        await clearHttpCache();
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
    browser.kill();
    await new Promise((resolve) => browser.once('exit', resolve));
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
