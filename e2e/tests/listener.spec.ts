// A listener's journey through the player served by the real API, with
// songs seeded from real audio files: register, log in, browse, search,
// play and control playback, favourites, reload, log out.
import { ALBUM, ARTIST, LYRICS, apiContext } from '../support/api';
import { AuthPages } from '../pages/auth';
import { Shell } from '../pages/shell';
import { SongRows } from '../pages/songs';
import { test, expect, registerInBrowser, storedToken } from '../support/fixtures';

test('register, log out, log in again; a wrong password says what failed', async ({ page }) => {
  const auth = new AuthPages(page);
  const shell = new Shell(page);
  const user = await registerInBrowser(page, 'reg');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Listener reg');

  await page.getByRole('button', { name: 'Log out' }).click();
  await auth.expectLoginScreen();
  await auth.logIn(user.username, 'not the password');
  await expect(page.getByRole('alert')).toContainText('Could not log in.');
  await auth.logIn(user.username, user.password);

  await shell.expectLoaded();
  // The session survives a reload.
  await page.reload();
  await shell.expectLoaded();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Listener reg');
});

test('browse, search-free navigation to artist and album, and infinite scroll', async ({ page }) => {
  const shell = new Shell(page);
  await registerInBrowser(page, 'browse');

  await shell.navigateTo('Songs');
  const rows = new SongRows(page);
  await expect(rows.row('Aurora')).toBeVisible();
  // 47 songs, 40 per page: scrolling to the end loads the rest.
  await expect(rows.all()).toHaveCount(40);
  await page.getByRole('main').locator('.list-end').scrollIntoViewIfNeeded();
  await expect(rows.all()).toHaveCount(47);

  // Sorted by title, the first row is Aurora.
  await expect(rows.all().first()).toContainText('Aurora');

  await rows.row('Aurora').getByRole('link', { name: ARTIST }).click();
  await expect(page.getByRole('heading', { level: 1, name: ARTIST })).toBeVisible();
  // The album card in the artist's album list.
  await page.getByRole('main').getByRole('listitem').getByRole('link', { name: ALBUM }).click();
  await expect(page.getByRole('heading', { level: 1, name: ALBUM })).toBeVisible();
  const albumRows = new SongRows(page);
  await expect(albumRows.all()).toHaveCount(3);
  await expect(albumRows.all().nth(1)).toContainText('Borealis');
});

test('play real audio: time advances, next, previous, seek, favourite, queue, reload restores, log out', async ({ page, baseURL }) => {
  const shell = new Shell(page);
  await registerInBrowser(page, 'play');
  await shell.navigateTo('Songs');
  const rows = new SongRows(page);

  await rows.play('Aurora');

  await expect(shell.nowPlaying).toContainText('Aurora');
  await expect(shell.nowPlaying).toContainText(ARTIST);
  await expect(shell.button('Pause')).toBeVisible();
  await expect.poll(() => shell.currentTime(), { message: 'currentTime advances' }).toBeGreaterThan(0.3);

  // Next and previous.
  await shell.button('Next track').click();
  await expect(shell.nowPlaying).toContainText('Borealis');
  await expect.poll(() => shell.currentTime()).toBeGreaterThan(0.1);
  await shell.button('Previous track').click();
  await expect(shell.nowPlaying).toContainText('Aurora');

  // Seek: the slider moves the audio.
  await shell.button('Pause').click();
  await expect(shell.button('Play')).toBeVisible();
  await shell.seek.fill('2');
  await expect(shell.playerBar.locator('.time.elapsed')).toHaveText('0:02');

  // The track plays to its end and the next one starts by itself.
  await shell.button('Play').click();
  await expect(shell.nowPlaying).toContainText('Borealis', { timeout: 10_000 });
  // Paused, so this 2.5 s track is still current for the steps below however slow the machine.
  await shell.button('Pause').click();

  // Favourite from the player bar, seen on the favourites page and by the API.
  await shell.nowPlaying.getByRole('button', { name: 'Add to favorites' }).click();
  await expect(shell.nowPlaying.getByRole('button', { name: 'Remove from favorites' })).toBeVisible();
  await shell.navigateTo('Favorites');
  await expect(new SongRows(page).row('Borealis')).toBeVisible();

  // Queue: add a song to play next from a row's menu, seen in the queue panel.
  await shell.navigateTo('Songs');
  const menu = await rows.openMenu('Dunas');
  await menu.getByRole('button', { name: 'Play next' }).click();
  await shell.button('Queue').click();
  const queue = page.getByRole('list', { name: 'Queue' });
  await expect(queue.getByRole('listitem').nth(2)).toContainText('Dunas');
  // Move it up one place, before the playing song.
  await queue.getByRole('listitem').nth(2).getByRole('button', { name: 'Move up' }).click();
  await expect(queue.getByRole('listitem').nth(1)).toContainText('Dunas');

  // Shuffle and repeat are toggles.
  await shell.button('Repeat').click();
  await expect(shell.button('Repeat')).toHaveAttribute('aria-pressed', 'true');

  // The play was reported to the API's history.
  const token = await storedToken(page);
  const api = await apiContext(baseURL!, token);
  await expect
    .poll(async () => ((await (await api.get('/api/v1/me/history')).json()).items as { song: { title: string } }[]).map((p) => p.song.title))
    .toContain('Aurora');
  await api.dispose();

  // Reload: queue and position come back (paused).
  await shell.seek.fill('1.5');
  await page.reload();
  await shell.expectLoaded();
  await expect(shell.nowPlaying).toContainText('Borealis');
  await expect(shell.playerBar.locator('.time.elapsed')).toHaveText('0:01');
  await expect(shell.button('Repeat')).toHaveAttribute('aria-pressed', 'true');
  await shell.button('Queue').click();
  await expect(page.getByRole('list', { name: 'Queue' }).getByRole('listitem').nth(1)).toContainText('Dunas');
  await shell.button('Play').click();
  await expect.poll(() => shell.currentTime()).toBeGreaterThan(1.5);

  await page.getByRole('button', { name: 'Log out' }).click();
  await new AuthPages(page).expectLoginScreen();
});

test('the queue moves between another device and the player through the server', async ({ page, baseURL }) => {
  const shell = new Shell(page);
  await registerInBrowser(page, 'qsync');
  const api = await apiContext(baseURL!, await storedToken(page));
  const listed = await (await api.get('/api/v1/songs?limit=200')).json();
  const id = (title: string) => listed.items.find((song: { title: string }) => song.title === title).id;

  // A Subsonic app on a phone saves a queue (savePlayQueue keeps the same store).
  const saved = await api.put('/api/v1/me/play-queue', {
    data: { song_ids: [id('Borealis'), id('Aurora')], current_song_id: id('Aurora'), position_ms: 2_000, client: 'Phone' },
  });
  expect(saved.status(), await saved.text()).toBe(204);
  await page.reload();
  await shell.expectLoaded();
  await expect(shell.nowPlaying).toContainText('Aurora');
  await expect(shell.playerBar.locator('.time.elapsed')).toHaveText('0:02');

  // What the player plays is saved for the phone, under this browser's name.
  await shell.button('Previous track').click();
  await expect(shell.nowPlaying).toContainText('Borealis');
  await expect
    .poll(async () => (await (await api.get('/api/v1/me/play-queue')).json()).current_song_id, {
      message: 'the player saved its queue on the server',
      timeout: 15_000,
    })
    .toBe(id('Borealis'));
  const queue = await (await api.get('/api/v1/me/play-queue')).json();
  expect(queue.changed_by).toBe('SoundStream web player');
  expect(queue.songs.map((song: { title: string }) => song.title)).toEqual(['Borealis', 'Aurora']);
  await api.dispose();
});

test('keyboard shortcuts drive the player', async ({ page }) => {
  const shell = new Shell(page);
  await registerInBrowser(page, 'keys');
  await shell.navigateTo('Songs');
  await new SongRows(page).play('Cascade');
  await expect(shell.button('Pause')).toBeVisible();
  await page.getByRole('heading', { level: 1 }).click();

  await page.keyboard.press(' ');
  await expect(shell.button('Play')).toBeVisible();
  await page.keyboard.press('m');
  await expect(shell.button('Mute')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('s');
  await expect(shell.button('Shuffle')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('r');
  await expect(shell.button('Repeat')).toHaveAttribute('aria-pressed', 'true');
});

test('the lyrics panel shows the song lyrics', async ({ page }) => {
  const shell = new Shell(page);
  await registerInBrowser(page, 'lyrics');
  await shell.navigateTo('Songs');
  await new SongRows(page).play('Aurora');
  await shell.button('Lyrics').click();
  await expect(page.getByRole('complementary')).toContainText(LYRICS.split('\n')[0]);
});

test('lyrics are translated into the language chosen', async ({ page, request }) => {
  const config = await (await request.get('/api/v1/config')).json();
  // scripts/test runs the server with Apertium; a bare server has no provider.
  test.skip(!config.features.translation.enabled, 'the server has no translation provider');
  const shell = new Shell(page);
  await registerInBrowser(page, 'translate');
  await shell.navigateTo('Songs');
  await new SongRows(page).play('Aurora');
  await shell.button('Lyrics').click();
  const panel = page.getByRole('complementary');

  await panel.getByLabel('Translate into').selectOption('es');
  await panel.getByRole('button', { name: 'Translate lyrics' }).click();

  // Apertium's English to Spanish, line by line.
  const translated = panel.locator('pre.lyrics[lang="es"]');
  await expect(translated).toContainText(/oscuridad/i);
  await expect(translated).toContainText(/amigo/i);
  expect((await translated.innerText()).split('\n')).toHaveLength(2);
});

test('the interface switches to Spanish and remembers it', async ({ page }) => {
  const shell = new Shell(page);
  await registerInBrowser(page, 'es');

  await page.getByLabel('Language').selectOption('es');

  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Canciones' })).toBeVisible();
  await page.reload();
  await page.getByRole('link', { name: 'Canciones' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Canciones' })).toBeVisible();
  await new SongRows(page).row('Aurora').getByRole('button', { name: 'Reproducir', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Sonando ahora' })).toContainText('Aurora');
  await expect(page.getByRole('button', { name: 'Pausar' })).toBeVisible();
  await page.getByRole('button', { name: 'Cerrar sesión' }).click();
  await expect(page.getByRole('button', { name: 'Iniciar sesión', exact: true })).toBeVisible();
  void shell;
});

test.describe('Spanish browser', () => {
  test.use({ locale: 'es-ES' });

  test('follows the browser language on first visit', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Inicia sesión en SoundStream');
    await expect(page.getByRole('button', { name: 'Iniciar sesión', exact: true })).toBeVisible();
  });
});
