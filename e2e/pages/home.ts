// `/`: welcome text and the service status card.
import { type Locator, type Page } from '@playwright/test';
import { Shell } from './shell';

export class HomePage {
  readonly shell: Shell;
  readonly heading: Locator;
  readonly serviceStatus: Locator;

  constructor(readonly page: Page) {
    this.shell = new Shell(page);
    this.heading = page.getByRole('heading', { level: 1 });
    this.serviceStatus = page.getByRole('region', { name: 'Service status' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
  }
}
