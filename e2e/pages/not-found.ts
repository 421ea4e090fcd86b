// Whatever the router shows for a client route it does not know.
import { type Locator, type Page } from '@playwright/test';

export class NotFoundPage {
  readonly heading: Locator;
  readonly homeLink: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Page not found' });
    this.homeLink = page.getByRole('main').getByRole('link', { name: 'Go to Home' });
  }

  async goto(path: string): Promise<void> {
    await this.page.goto(path);
  }
}
