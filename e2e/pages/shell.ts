// The layout around every page once signed in: sidebar navigation, the
// player bar and its controls (found by role and accessible name).
import { expect, type Locator, type Page } from '@playwright/test';

export type NavName = 'Home' | 'Search' | 'Songs' | 'Favorites' | 'Playlists' | 'Radio' | 'Profile' | 'Settings' | 'Server status';

export class Shell {
  readonly nav: Locator;
  readonly playerBar: Locator;
  readonly nowPlaying: Locator;
  readonly seek: Locator;
  readonly volume: Locator;

  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Main' });
    // A <footer> outside <main> is the page's contentinfo landmark.
    this.playerBar = page.getByRole('contentinfo', { name: 'Player' });
    this.nowPlaying = page.getByRole('region', { name: 'Now playing' });
    this.seek = this.playerBar.getByRole('slider', { name: 'Seek' });
    this.volume = this.playerBar.getByRole('slider', { name: 'Volume' });
  }

  navLink(name: NavName): Locator {
    return this.nav.getByRole('link', { name, exact: true });
  }

  button(name: string): Locator {
    return this.playerBar.getByRole('button', { name, exact: true });
  }

  async navigateTo(name: NavName): Promise<void> {
    await this.navLink(name).click();
    await expect(this.navLink(name)).toHaveAttribute('aria-current', 'page');
  }

  async expectLoaded(): Promise<void> {
    await expect(this.nav).toBeVisible();
    await expect(this.navLink('Home')).toBeVisible();
    await expect(this.playerBar).toBeVisible();
  }

  /** `currentTime` of the audio element that is playing (the player keeps two). */
  async currentTime(): Promise<number> {
    return this.page.evaluate(() => {
      const playing = [...document.querySelectorAll('audio')].find((audio) => !audio.paused && audio.src);
      return playing ? playing.currentTime : -1;
    });
  }

  async pausedAudio(): Promise<{ src: string; time: number }[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('audio')].map((audio) => ({ src: audio.src, time: audio.currentTime })),
    );
  }
}
