// `/status`: the full view of GET /api/v1/config.
import { type Locator, type Page } from '@playwright/test';
import { Shell } from './shell';

export class StatusPage {
  readonly shell: Shell;
  readonly heading: Locator;
  readonly service: Locator;
  readonly featureFlags: Locator;
  readonly uploads: Locator;
  readonly languages: Locator;

  constructor(readonly page: Page) {
    this.shell = new Shell(page);
    this.heading = page.getByRole('heading', { level: 1, name: 'Server status' });
    this.service = page.getByRole('region', { name: 'Service' });
    this.featureFlags = page.getByRole('region', { name: 'Feature flags' });
    this.uploads = page.getByRole('region', { name: 'Upload limits' });
    this.languages = page.getByRole('region', { name: 'Languages' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/status');
  }

  /** The value shown for a fact (such as "Face login") inside a region. */
  fact(region: Locator, label: string): Locator {
    return region.locator('.fact').filter({ has: this.page.getByText(label, { exact: true }) }).locator('dd');
  }
}
