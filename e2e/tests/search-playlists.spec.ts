// Search as you type and playlists, against the real API and the seeded
// library: accent- and case-folded search with the query in the URL,
// stale answers ignored; a playlist's whole life (create, add from song
// menus and from the player bar, drag to reorder, a move naming an entry
// removed elsewhere answered 409, remove, delete), also in Spanish; a long
// playlist loaded a page at a time and queued whole by "Play all".
import { TAGGED_ARTIST, TAGGED_TITLE, apiContext } from '../support/api';
import { PlaylistPages } from '../pages/playlists';
import { SearchPage } from '../pages/search';
import { Shell } from '../pages/shell';
import { SongRows } from '../pages/songs';
import { test, expect, registerInBrowser, storedToken } from '../support/fixtures';

test('search folds accents and case, keeps the query in the URL through reload and back', async ({ page }) => {
  const shell = new Shell(page);
  await registerInBrowser(page, 'search');
  await shell.navigateTo('Search');
  const search = new SearchPage(page);

  await search.box.pressSequentially('cancion', { delay: 40 });

  await expect(page).toHaveURL(/\/search\?q=cancion$/);
  await expect(search.songs().row(TAGGED_TITLE)).toBeVisible();
  await search.songs().play(TAGGED_TITLE);
  await expect(shell.nowPlaying).toContainText(TAGGED_TITLE);
  await shell.button('Pause').click();

  await search.box.fill('BEYONCE');
  const artist = search.group('Artists').getByRole('link', { name: TAGGED_ARTIST, exact: true });
  await expect(artist).toBeVisible();
  await expect(page).toHaveURL(/\/search\?q=BEYONCE$/);

  await page.reload();
  await expect(search.box).toHaveValue('BEYONCE');
  await expect(artist).toBeVisible();

  await artist.click();
  await expect(page.getByRole('heading', { level: 1, name: TAGGED_ARTIST })).toBeVisible();
  await page.goBack();
  await expect(search.box).toHaveValue('BEYONCE');
  await expect(artist).toBeVisible();

  await search.box.fill('qqzzxx');
  await expect(page.getByRole('main')).toContainText('Nothing matches “qqzzxx”.');
  await search.box.fill('!!!');
  await expect(page.getByRole('main')).toContainText('Type at least one letter or digit.');
});

test('a slow answer to an older query never replaces the newer results', async ({ page }) => {
  const shell = new Shell(page);
  await registerInBrowser(page, 'stale');
  await shell.navigateTo('Search');
  const search = new SearchPage(page);
  // "beyon" finds the artist; its answer is held back until after "cancion" answered.
  await page.route(/\/api\/v1\/search\?q=beyon&/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await route.continue();
  });
  const slowAnswer = page.waitForResponse(/\/api\/v1\/search\?q=beyon&/);

  await search.box.fill('beyon');
  await page.waitForRequest(/\/api\/v1\/search\?q=beyon&/);
  await search.box.fill('cancion');
  await expect(search.songs().row(TAGGED_TITLE)).toBeVisible();
  await slowAnswer;

  // Give the page time to (wrongly) render the stale answer.
  await page.waitForTimeout(300);
  await expect(search.group('Artists')).toHaveCount(0);
  await expect(search.box).toHaveValue('cancion');
  await expect(page).toHaveURL(/\/search\?q=cancion$/);
});

test('a playlist: create, add from row menus, drag to reorder, kept after reload, 409, remove, delete', async ({ page, baseURL }) => {
  const shell = new Shell(page);
  await registerInBrowser(page, 'plist');
  const playlists = new PlaylistPages(page);
  await shell.navigateTo('Playlists');
  const name = 'Road trip';
  const id = await playlists.create(name, 'Songs for the road');
  await expect(page.getByRole('main')).toContainText('Songs for the road');
  await expect(page.getByRole('main')).toContainText('0 songs');

  await shell.navigateTo('Songs');
  const rows = new SongRows(page);
  await playlists.addFromRow(rows, 'Aurora', name);
  await playlists.addFromRow(rows, 'Borealis', name);

  // Home lists it under "Your playlists".
  await shell.navigateTo('Home');
  await page.getByRole('region', { name: 'Your playlists' }).getByRole('link', { name }).click();
  await expect(playlists.heading).toHaveText(name);
  expect(await playlists.titles()).toEqual(['Aurora', 'Borealis']);
  await expect(page.getByRole('main')).toContainText('2 songs');

  // Drag Borealis onto Aurora's place.
  await playlists.rows.row('Borealis').dragTo(playlists.rows.row('Aurora'));
  await expect.poll(() => playlists.titles()).toEqual(['Borealis', 'Aurora']);
  await page.reload();
  await expect(playlists.heading).toHaveText(name);
  await expect.poll(() => playlists.titles()).toEqual(['Borealis', 'Aurora']);

  // The keyboard way: move buttons.
  await playlists.rows.row('Aurora').getByRole('button', { name: 'Move up' }).click();
  await expect.poll(() => playlists.titles()).toEqual(['Aurora', 'Borealis']);

  // Someone else (another tab) adds a song and removes Borealis: moving
  // Aurora after Borealis is refused with 409, and the page says so and
  // shows the playlist as it is now.
  const api = await apiContext(baseURL!, await storedToken(page));
  const entryTitles = async () =>
    ((await (await api.get(`/api/v1/playlists/${id}/entries`)).json()).items as { id: string; song: { title: string } }[]);
  const dunas = ((await (await api.get('/api/v1/search?q=dunas')).json()).songs as { id: string }[])[0].id;
  expect((await api.post(`/api/v1/playlists/${id}/songs`, { data: { song_ids: [dunas] } })).status()).toBe(201);
  const borealis = (await entryTitles()).find((entry) => entry.song.title === 'Borealis')!;
  expect((await api.delete(`/api/v1/playlists/${id}/songs/${borealis.id}`)).status()).toBe(204);
  await playlists.rows.row('Aurora').getByRole('button', { name: 'Move down' }).click();
  await expect(page.locator('.notice-area')).toContainText('This playlist changed elsewhere');
  await expect.poll(() => playlists.titles()).toEqual(['Aurora', 'Dunas']);

  await playlists.rows.row('Dunas').getByRole('button', { name: 'Remove from playlist' }).click();
  await expect.poll(() => playlists.titles()).toEqual(['Aurora']);
  await expect(page.getByRole('main')).toContainText('1 song');
  expect((await entryTitles()).map((entry) => entry.song.title)).toEqual(['Aurora']);

  await page.getByRole('button', { name: 'Delete playlist' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page).toHaveURL(/\/playlists$/);
  await expect(page.getByRole('region', { name: 'Your playlists' })).toContainText('No playlists yet.');
  expect((await api.get(`/api/v1/playlists/${id}`)).status()).toBe(404);
  await api.dispose();
});

test('in Spanish: a new playlist from the player bar, then found under Listas', async ({ page }) => {
  const shell = new Shell(page);
  await registerInBrowser(page, 'lista');
  await page.getByLabel('Language').selectOption('es');
  await page.getByRole('link', { name: 'Canciones' }).click();
  await new SongRows(page).row('Cascade').getByRole('button', { name: 'Reproducir', exact: true }).click();
  const nowPlaying = page.getByRole('region', { name: 'Sonando ahora' });
  await expect(nowPlaying).toContainText('Cascade');
  await page.getByRole('button', { name: 'Pausar' }).click();

  await nowPlaying.getByRole('button', { name: 'Añadir a una lista', exact: true }).click();
  const picker = nowPlaying.getByRole('group', { name: 'Añadir a una lista' });
  await picker.getByRole('button', { name: 'Nueva lista' }).click();
  await picker.getByLabel('Nombre').fill('Para correr');
  await picker.getByRole('button', { name: 'Crear' }).click();
  await expect(page.locator('.notice-area')).toContainText('Añadida a Para correr');

  await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Listas', exact: true }).click();
  await page.getByRole('region', { name: 'Tus listas' }).getByRole('link', { name: 'Para correr' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Para correr' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('1 canción');
  await expect(new SongRows(page).row('Cascade')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Reproducir todo' })).toBeEnabled();
  void shell;
});

test('a long playlist loads a page at a time; Play all and a row\'s Play queue every song', async ({ page, baseURL }) => {
  const shell = new Shell(page);
  await registerInBrowser(page, 'long');
  const api = await apiContext(baseURL!, await storedToken(page));
  const created = await (await api.post('/api/v1/playlists', { data: { name: 'Long one' } })).json();
  const songs = (await (await api.get('/api/v1/search?q=aurora')).json()).songs as { id: string }[];
  const added = await api.post(`/api/v1/playlists/${created.id}/songs`, {
    data: { song_ids: Array.from({ length: 150 }, () => songs[0].id) },
  });
  expect(added.status()).toBe(201);
  await api.dispose();
  const playlists = new PlaylistPages(page);

  await page.goto(`/playlists/${created.id}`);

  await expect(playlists.heading).toHaveText('Long one');
  await expect(page.getByRole('main')).toContainText('150 songs');
  await expect(playlists.rows.all()).toHaveCount(100);
  // The end of the list coming into view loads the next page.
  await page.getByRole('button', { name: 'Load more' }).scrollIntoViewIfNeeded();
  await expect(playlists.rows.all()).toHaveCount(150);
  await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);

  await page.reload();
  await expect(playlists.rows.all()).toHaveCount(100);
  await page.getByRole('button', { name: 'Play all' }).click();
  await expect(shell.nowPlaying).toContainText('Aurora');
  await shell.button('Pause').click();
  // The rest was fetched to be queued, so the page shows it too.
  await expect(playlists.rows.all()).toHaveCount(150);
  const queue = page.getByRole('list', { name: 'Queue' });
  await shell.button('Queue').click();
  await expect(queue.getByRole('listitem')).toHaveCount(150);

  // A row's Play queues the whole playlist from that row, too.
  await page.reload();
  await expect(playlists.rows.all()).toHaveCount(100);
  if (await queue.isVisible()) await shell.button('Queue').click();
  await playlists.rows.all().nth(1).getByRole('button', { name: 'Play', exact: true }).click();
  await expect(playlists.rows.all()).toHaveCount(150);
  await shell.button('Pause').click();
  await shell.button('Queue').click();
  await expect(queue.getByRole('listitem')).toHaveCount(150);
  await expect(queue.locator('[aria-current="true"]')).toHaveCount(1);
  expect(await queue.getByRole('listitem').evaluateAll((items) => items.findIndex((item) => item.getAttribute('aria-current') === 'true'))).toBe(1);
});
