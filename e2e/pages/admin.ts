// The administrator's pages: the upload drop zone and its per-file rows,
// the catalogue, and the users table (found by role and accessible name).
import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../support/api';
import { AuthPages } from './auth';
import { Shell } from './shell';

export interface DroppedFile {
  /** A file in crates/media/tests/fixtures. */
  fixture: string;
  /** The name the browser sees (defaults to the fixture's). */
  name?: string;
  type: string;
}

export class AdminPages {
  readonly adminNav: Locator;
  readonly dropZone: Locator;
  readonly fileInput: Locator;

  constructor(readonly page: Page) {
    this.adminNav = page.getByRole('navigation', { name: 'Admin' });
    this.dropZone = page.getByRole('button', { name: 'Upload', exact: true });
    this.fileInput = page.locator('input[type="file"][multiple]');
  }

  /** Signs in on the login screen as the administrator scripts/test created. */
  async logInAsAdmin(): Promise<void> {
    const username = process.env.SOUNDSTREAM_E2E_ADMIN_USER;
    const password = process.env.SOUNDSTREAM_E2E_ADMIN_PASSWORD;
    if (!username || !password) throw new Error('SOUNDSTREAM_E2E_ADMIN_USER/PASSWORD are not set');
    await this.page.goto('/');
    await new AuthPages(this.page).logIn(username, password);
    await new Shell(this.page).expectLoaded();
  }

  async open(name: 'Overview' | 'Upload music' | 'Catalogue' | 'Stations' | 'Users' | 'Jobs'): Promise<void> {
    const link = this.adminNav.getByRole('link', { name, exact: true });
    await link.click();
    await expect(link).toHaveAttribute('aria-current', 'page');
  }

  /** Drops files on the drop zone the way a desktop does: a real DataTransfer built in the page. */
  async drop(files: DroppedFile[]): Promise<void> {
    const payload = files.map((file) => ({
      name: file.name ?? file.fixture,
      type: file.type,
      base64: readFileSync(join(FIXTURES, file.fixture)).toString('base64'),
    }));
    const dataTransfer = await this.page.evaluateHandle((files) => {
      const transfer = new DataTransfer();
      for (const file of files) {
        const bytes = Uint8Array.from(atob(file.base64), (char) => char.charCodeAt(0));
        transfer.items.add(new File([bytes], file.name, { type: file.type }));
      }
      return transfer;
    }, payload);
    await this.dropZone.dispatchEvent('dragenter', { dataTransfer });
    await this.dropZone.dispatchEvent('dragover', { dataTransfer });
    await this.dropZone.dispatchEvent('drop', { dataTransfer });
  }

  /** Picks files with the drop zone's file input (the keyboard and click path). */
  async pick(files: DroppedFile[]): Promise<void> {
    await this.fileInput.setInputFiles(
      files.map((file) => ({
        name: file.name ?? file.fixture,
        mimeType: file.type,
        buffer: readFileSync(join(FIXTURES, file.fixture)),
      })),
    );
  }

  /** The row of one file in the upload list. */
  upload(name: string): Locator {
    return this.page
      .getByRole('list', { name: 'Files being uploaded' })
      .getByRole('listitem')
      .filter({ has: this.page.getByRole('progressbar', { name, exact: true }) });
  }

  progress(name: string): Locator {
    return this.upload(name).getByRole('progressbar', { name, exact: true });
  }

  catalogueRow(title: string): Locator {
    return this.page.getByRole('main').getByRole('row').filter({ hasText: title });
  }

  userRow(username: string): Locator {
    return this.page.getByRole('main').getByRole('row').filter({ hasText: username });
  }
}
