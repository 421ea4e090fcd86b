// What every spec shares: a `test` that fails on any uncaught error in the
// page (a panic in the wasm app surfaces as one) and on any
// Content-Security-Policy violation (the API serves the player with its
// policy enforced, so a violation is something the player could not do),
// and the helpers that give a test a signed-in listener and the session the
// player stored.
import { test as base, expect, type Page } from '@playwright/test';
import { uniqueUser } from './api';
import { AuthPages } from '../pages/auth';
import { Shell } from '../pages/shell';

/** Where the init script below collects the page's CSP violation reports. */
declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

export const test = base.extend<{ failOnPageErrors: void; failOnCspViolations: void }>({
  failOnPageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await use();
      expect(errors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
  failOnCspViolations: [
    async ({ page }, use) => {
      // Reports from every document the page loads, kept in the page and
      // mirrored to the console (which survives navigations).
      await page.addInitScript(() => {
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (event) => {
          const report = `${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber}`;
          window.__cspViolations?.push(report);
          console.error(`CSP violation: ${report}`);
        });
      });
      const violations: string[] = [];
      page.on('console', (message) => {
        const text = message.text();
        if (text.startsWith('CSP violation: ') || text.includes('Content Security Policy')) {
          violations.push(text);
        }
      });
      await use();
      if (!page.isClosed()) {
        const late = await page.evaluate(() => window.__cspViolations ?? []).catch(() => []);
        for (const report of late) {
          if (!violations.some((seen) => seen.includes(report))) violations.push(report);
        }
      }
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Registers a new listener through the player's own form and waits for the signed-in shell. */
export async function registerInBrowser(page: Page, prefix: string) {
  const user = uniqueUser(prefix);
  await new AuthPages(page).register(user, `Listener ${prefix}`);
  await new Shell(page).expectLoaded();
  return user;
}

/** The tokens the player stored, to ask the API what it recorded. */
export function storedSession(page: Page): Promise<{ access_token: string; refresh_token: string }> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('soundstream.session') ?? '{}'));
}

/** The access token the player stored, to talk to the API as the listener. */
export async function storedToken(page: Page): Promise<string> {
  return (await storedSession(page)).access_token;
}
