// Song tables (songs page, album, artist, favourites, playlists): one row
// per song, named by its content, with a "Play" button inside.
import { type Locator, type Page } from '@playwright/test';

export class SongRows {
  constructor(readonly page: Page, readonly scope: Locator = page.getByRole('main')) {}

  row(title: string): Locator {
    return this.scope.getByRole('row', { name: title }).first();
  }

  all(): Locator {
    return this.scope.locator('tbody').getByRole('row');
  }

  async play(title: string): Promise<void> {
    await this.row(title).getByRole('button', { name: 'Play', exact: true }).click();
  }

  async openMenu(title: string): Promise<Locator> {
    const row = this.row(title);
    await row.getByRole('button', { name: 'More actions' }).click();
    return row.getByRole('group', { name: 'More actions' });
  }
}
