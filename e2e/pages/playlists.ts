// `/playlists` (the create form and the lists) and a playlist's own page.
import { expect, type Locator, type Page } from '@playwright/test';
import { SongRows } from './songs';

export class PlaylistPages {
  readonly rows: SongRows;
  readonly heading: Locator;

  constructor(readonly page: Page) {
    this.rows = new SongRows(page);
    this.heading = page.getByRole('heading', { level: 1 });
  }

  /** Fills the "New playlist" form on /playlists and lands on the new playlist. */
  async create(name: string, description: string): Promise<string> {
    await this.page.getByLabel('Name').fill(name);
    await this.page.getByLabel('Description').fill(description);
    await this.page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(this.heading).toHaveText(name);
    return this.page.url().split('/playlists/')[1];
  }

  /** "Add to playlist" from a song row's menu, choosing an existing playlist. */
  async addFromRow(rows: SongRows, title: string, playlist: string): Promise<void> {
    const menu = await rows.openMenu(title);
    await menu.getByRole('button', { name: 'Add to playlist', exact: true }).click();
    await menu.getByRole('group', { name: 'Add to playlist' }).getByRole('button', { name: playlist, exact: true }).click();
    await expect(this.page.locator('.notice-area')).toContainText(`Added to ${playlist}`);
  }

  /** The titles of the rows, top to bottom. */
  async titles(): Promise<string[]> {
    return this.rows.all().locator('.song-title').allTextContents();
  }
}
