// `/search`: the search box and the result groups (each a region named by its heading).
import { type Locator, type Page } from '@playwright/test';
import { SongRows } from './songs';

export class SearchPage {
  readonly box: Locator;

  constructor(readonly page: Page, label = 'Search') {
    this.box = page.getByRole('main').getByRole('searchbox', { name: label });
  }

  group(name: string): Locator {
    return this.page.getByRole('main').getByRole('region', { name, exact: true });
  }

  songs(heading = 'Songs'): SongRows {
    return new SongRows(this.page, this.group(heading));
  }
}
