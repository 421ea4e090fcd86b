// The layout around every page: sidebar navigation and the player bar.
import { expect, type Locator, type Page } from '@playwright/test';

export class Shell {
  readonly nav: Locator;
  readonly playerBar: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Main' });
    // A <footer> outside <main> is the page's contentinfo landmark.
    this.playerBar = page.getByRole('contentinfo', { name: 'Player' });
  }

  navLink(name: 'Home' | 'Server status'): Locator {
    return this.nav.getByRole('link', { name, exact: true });
  }

  async navigateTo(name: 'Home' | 'Server status'): Promise<void> {
    await this.navLink(name).click();
    await expect(this.navLink(name)).toHaveAttribute('aria-current', 'page');
  }

  async expectLoaded(): Promise<void> {
    await expect(this.nav).toBeVisible();
    await expect(this.navLink('Home')).toBeVisible();
    await expect(this.navLink('Server status')).toBeVisible();
    await expect(this.playerBar).toBeVisible();
  }
}
