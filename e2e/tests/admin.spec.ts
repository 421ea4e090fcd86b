// The administrator's journeys (issue #9) against the real API and real
// audio files: drag-and-drop upload with per-file progress, tags pre-filled
// and edited, a listener playing the result; refusals that name the file
// and the reason; catalogue editing and deletion; users and roles; and a
// listener kept out of every admin page.
import { apiContext, createSong, login, registerListener } from '../support/api';
import { AdminPages } from '../pages/admin';
import { Shell } from '../pages/shell';
import { SongRows } from '../pages/songs';
import { test, expect, registerInBrowser } from '../support/fixtures';

function suffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

async function adminToken(baseURL: string): Promise<string> {
  return login(baseURL, process.env.SOUNDSTREAM_E2E_ADMIN_USER ?? '', process.env.SOUNDSTREAM_E2E_ADMIN_PASSWORD ?? '');
}

test('an admin drops two audio files, sees both reach 100 %, edits the tags read from them and saves; a listener plays them', async ({ page, browser, baseURL }) => {
  const admin = new AdminPages(page);
  const tag = suffix();
  const artist = `Uploader ${tag}`;
  await admin.logInAsAdmin();
  await admin.open('Upload music');

  await admin.drop([
    { fixture: 'tone.flac', type: 'audio/flac' },
    { fixture: 'tone.ogg', type: 'audio/ogg' },
  ]);

  for (const name of ['tone.flac', 'tone.ogg']) {
    await expect(admin.progress(name)).toHaveAttribute('aria-valuenow', '100');
    await expect(admin.upload(name)).toContainText('100 %');
    await expect(admin.upload(name)).toContainText('Uploaded: check the details and save.');
  }
  const flac = admin.upload('tone.flac');
  const ogg = admin.upload('tone.ogg');
  // Pre-filled from each file's own tags (non-ASCII included), with its duration and embedded cover.
  await expect(flac.getByLabel('Title')).toHaveValue('Ñandú');
  await expect(flac.getByLabel('Artist')).toHaveValue('Sigur Rós');
  await expect(flac.getByLabel('Album')).toHaveValue('Ágætis byrjun');
  await expect(flac.getByLabel('Track')).toHaveValue('7');
  await expect(flac.getByRole('img', { name: 'Cover found in the file' })).toBeVisible();
  await expect(flac).toContainText('Duration: 0:02');
  await expect(ogg.getByLabel('Title')).toHaveValue('Café del Mar');
  await expect(ogg.getByLabel('Artist')).toHaveValue('Mø');

  // Edit before saving.
  await flac.getByLabel('Title').fill(`Dropped Flac ${tag}`);
  await flac.getByLabel('Artist').fill(artist);
  await flac.getByLabel('Track').fill('1');
  await flac.getByLabel('Lyrics', { exact: true }).fill('Una línea\nOtra línea');
  await flac.getByLabel('Lyrics language').fill('es');
  await ogg.getByLabel('Title').fill(`Dropped Ogg ${tag}`);
  await ogg.getByLabel('Artist').fill(artist);
  await flac.getByRole('button', { name: 'Save song' }).click();
  await ogg.getByRole('button', { name: 'Save song' }).click();
  await expect(flac).toContainText('Saved.');
  await expect(ogg).toContainText('Saved.');
  await expect(flac.getByRole('link', { name: 'Edit', exact: true })).toBeVisible();

  // What the API stored is what the form said.
  const api = await apiContext(baseURL!, await adminToken(baseURL!));
  const newest = await (await api.get('/api/v1/songs?sort=added&order=desc&limit=10')).json();
  const saved = (newest.items as { title: string; artist: { name: string }; track_number: number | null; lyrics_language: string | null }[])
    .filter((song) => song.artist.name === artist);
  expect(saved.map((song) => song.title).sort()).toEqual([`Dropped Flac ${tag}`, `Dropped Ogg ${tag}`]);
  expect(saved.find((song) => song.title.includes('Flac'))).toMatchObject({ track_number: 1, lyrics_language: 'es' });
  await api.dispose();

  // A listener finds the new songs in the library and plays one.
  const context = await browser.newContext();
  const listener = await context.newPage();
  await registerInBrowser(listener, 'hears');
  await listener.goto('/songs?sort=added&order=desc');
  const rows = new SongRows(listener);
  await expect(rows.row(`Dropped Ogg ${tag}`)).toBeVisible();
  await expect(rows.row(`Dropped Flac ${tag}`)).toBeVisible();
  await rows.play(`Dropped Flac ${tag}`);
  const shell = new Shell(listener);
  await expect(shell.nowPlaying).toContainText(`Dropped Flac ${tag}`);
  await expect.poll(() => shell.currentTime(), { message: 'currentTime advances' }).toBeGreaterThan(0.3);
  await context.close();
});

test('files that are not audio are refused, each naming the file and the reason', async ({ page }) => {
  const admin = new AdminPages(page);
  await admin.logInAsAdmin();
  await page.goto('/admin/upload');

  // The pick path: the drop zone's own file input.
  await admin.pick([
    { fixture: 'not-audio.mp3', type: 'audio/mpeg' },
    { fixture: 'cover.png', name: 'notes.txt', type: 'text/plain' },
  ]);

  // Sent, then refused by the API after it looked at the bytes.
  const fake = admin.upload('not-audio.mp3');
  await expect(fake.getByRole('alert')).toContainText(/not-audio\.mp3: The file is .+, not audio\/mpeg\./);
  await expect(fake.getByRole('button', { name: 'Retry' })).toBeVisible();
  await expect(fake.getByRole('button', { name: 'Save song' })).toHaveCount(0);
  // Refused in the browser before any upload session.
  const text = admin.upload('notes.txt');
  await expect(text.getByRole('alert')).toContainText('notes.txt: This is not an audio file the server accepts');
  await expect(admin.progress('notes.txt')).toHaveAttribute('aria-valuenow', '0');
});

test('an admin edits a song, its lyrics, album and artist, then deletes it after confirming', async ({ page, baseURL }) => {
  const tag = suffix();
  const api = await apiContext(baseURL!, await adminToken(baseURL!));
  const id = await createSong(api, { title: `Editable ${tag}`, artist: `Editors ${tag}`, album: `Drafts ${tag}`, track: 1, file: 'tone.ogg' });
  const admin = new AdminPages(page);
  await admin.logInAsAdmin();
  await admin.open('Catalogue');

  // Newest first: the song just added is on the first page.
  const row = admin.catalogueRow(`Editable ${tag}`);
  await row.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit song' })).toBeVisible();
  const songForm = page.getByRole('region', { name: `Editable ${tag}` });
  await songForm.getByLabel('Title').fill(`Edited ${tag}`);
  await songForm.getByLabel('Year').fill('2024');
  await songForm.getByLabel('Genre').fill('Ambient');
  await songForm.getByLabel('Lyrics', { exact: true }).fill('Primera línea');
  await songForm.getByLabel('Lyrics language').fill('es');
  await songForm.getByRole('button', { name: 'Save song' }).click();
  await expect(page.getByRole('heading', { level: 2, name: `Edited ${tag}` })).toBeVisible();

  const song = await (await api.get(`/api/v1/songs/${id}`)).json();
  expect(song).toMatchObject({ title: `Edited ${tag}`, year: 2024, genre: 'Ambient', has_lyrics: true, lyrics_language: 'es' });

  // Album and artist names.
  const albumForm = page.getByRole('region', { name: 'Album', exact: true });
  await albumForm.getByLabel('Album title').fill(`Finals ${tag}`);
  await albumForm.getByRole('button', { name: 'Save album' }).click();
  await expect(albumForm.getByLabel('Album title')).toHaveValue(`Finals ${tag}`);
  // Saving reloads every form on the page: a name typed before the reload
  // lands would be replaced by the old one, and saved as it.
  await expect(page.getByRole('region', { name: `Edited ${tag}` }).getByLabel('Album', { exact: true })).toHaveValue(`Finals ${tag}`);
  const artistForm = page.getByRole('region', { name: 'Artist', exact: true });
  await artistForm.getByLabel('Artist name').fill(`Renamed ${tag}`);
  await artistForm.getByRole('button', { name: 'Rename artist' }).click();
  await expect(page.getByRole('region', { name: `Edited ${tag}` }).getByLabel('Artist')).toHaveValue(`Renamed ${tag}`);
  const renamed = await (await api.get(`/api/v1/songs/${id}`)).json();
  expect(renamed.artist.name).toBe(`Renamed ${tag}`);
  expect(renamed.album.title).toBe(`Finals ${tag}`);

  // An empty genre clears it (last: saving reloads every form on the page).
  const editedForm = page.getByRole('region', { name: `Edited ${tag}` });
  await expect(editedForm.getByLabel('Genre')).toHaveValue('Ambient');
  await editedForm.getByLabel('Genre').fill('');
  await editedForm.getByRole('button', { name: 'Save song' }).click();
  await expect.poll(async () => (await (await api.get(`/api/v1/songs/${id}`)).json()).genre).toBeNull();

  // Delete, but only once confirmed.
  await page.getByRole('link', { name: 'Back to the catalogue' }).click();
  const edited = admin.catalogueRow(`Edited ${tag}`);
  await edited.getByRole('button', { name: 'Delete' }).click();
  const confirm = edited.getByRole('group', { name: 'Delete' });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  expect((await api.get(`/api/v1/songs/${id}`)).status()).toBe(200);
  await edited.getByRole('button', { name: 'Delete' }).click();
  await confirm.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(edited).toHaveCount(0);
  expect((await api.get(`/api/v1/songs/${id}`)).status()).toBe(404);
  await api.dispose();
});

test('an admin finds a user, promotes and disables them, and is told why the last admin cannot step down', async ({ page, baseURL }, testInfo) => {
  // Changes who is an admin: one project only, so two runs never race on the last-admin rule.
  test.skip(testInfo.project.name !== 'admin-desktop', 'admin roles are changed by one project only');
  const listener = await registerListener(baseURL!, 'roles');
  const admin = new AdminPages(page);
  await admin.logInAsAdmin();
  await admin.open('Users');

  await page.getByLabel('Search users').fill(listener.username);
  const row = admin.userRow(listener.username);
  await expect(row).toHaveCount(1);
  await row.getByRole('combobox', { name: `Role ${listener.username}` }).selectOption('admin');
  await expect(row.getByRole('combobox')).toHaveValue('admin');
  await row.getByRole('button', { name: 'Disable' }).click();
  await expect(row).toContainText('Disabled');
  await expect(row.getByRole('button', { name: 'Enable' })).toBeVisible();

  const api = await apiContext(baseURL!, await adminToken(baseURL!));
  const found = await (await api.get(`/api/v1/admin/users?q=${listener.username}`)).json();
  expect(found.items[0]).toMatchObject({ role: 'admin', disabled: true });
  await api.dispose();

  // The promoted user is disabled, so the e2e admin is the last enabled one.
  const me = process.env.SOUNDSTREAM_E2E_ADMIN_USER!;
  await page.getByLabel('Search users').fill(me);
  const myRow = admin.userRow(me);
  await myRow.getByRole('combobox', { name: `Role ${me}` }).selectOption('listener');
  await expect(myRow.getByRole('alert')).toContainText('This is the last enabled administrator: promote someone else first.');
  await expect(myRow.getByRole('combobox')).toHaveValue('admin');
});

test('the jobs page counts the background work by state and kind, and refreshes', async ({ page, baseURL }) => {
  const api = await apiContext(baseURL!, await adminToken(baseURL!));
  const overview = await (await api.get('/api/v1/admin/jobs')).json();
  await api.dispose();
  const admin = new AdminPages(page);
  await admin.logInAsAdmin();
  await admin.open('Jobs');
  await expect(page.getByRole('heading', { level: 1, name: 'Background jobs' })).toBeVisible();
  const done = page.getByRole('main').locator('.stat').filter({ hasText: 'Done' });
  // The seeded songs were analysed and transcoded (more may finish meanwhile).
  expect(Number(await done.locator('dd').textContent())).toBeGreaterThanOrEqual(Math.max(overview.done, 1));
  await expect(page.getByRole('rowheader', { name: 'Renditions (transcoding)' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Latest failures' })).toBeVisible();
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Latest failures' })).toBeVisible();
});

test('the overview counts the library and lists what is most played', async ({ page }) => {
  const admin = new AdminPages(page);
  await admin.logInAsAdmin();
  await admin.open('Overview');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  const songs = page.getByRole('main').locator('.stat').filter({ hasText: 'Songs' });
  await expect(songs.locator('dd')).toHaveText(/^\d+$/);
  expect(Number(await songs.locator('dd').textContent())).toBeGreaterThanOrEqual(46);
  await expect(page.getByRole('heading', { level: 2, name: 'Most played' })).toBeVisible();
});

test('a listener sees no Admin section and is refused every admin page', async ({ page }) => {
  await registerInBrowser(page, 'nosy');
  const admin = new AdminPages(page);
  await expect(admin.adminNav).toHaveCount(0);
  for (const path of ['/admin', '/admin/upload', '/admin/songs', '/admin/users']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: 'Not allowed' })).toBeVisible();
    await expect(page.getByRole('main')).toContainText('you are signed in as a listener');
    await expect(admin.dropZone).toHaveCount(0);
  }
});

test("a signed-in admin opens the listener's bundle, follows the Admin links into the whole player, and keeps using it there", async ({ page }) => {
  const requested: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  const adminBundle = (path: string) => /^\/soundstream-admin-[0-9a-f]{16}(_bg\.wasm|\.js)$/.test(path);
  const admin = new AdminPages(page);
  const shell = new Shell(page);
  // Signing in happens in the whole player; a new visit is the listener's bundle.
  await admin.logInAsAdmin();
  requested.length = 0;
  await page.goto('/');
  await shell.expectLoaded();
  await shell.navigateTo('Songs');
  expect(requested.filter(adminBundle), 'the admin bundle before any admin page').toEqual([]);

  await admin.open('Catalogue');

  expect(requested.filter(adminBundle).length, 'admin bundle files fetched').toBe(2);
  await expect(page.getByRole('heading', { level: 1, name: 'Catalogue' })).toBeVisible();
  await expect(page.getByRole('main').getByRole('row').nth(1)).toBeVisible();
  // The listener's pages work inside the admin bundle, without another load.
  await shell.navigateTo('Songs');
  await expect(new SongRows(page).row('Aurora')).toBeVisible();
  await admin.open('Users');
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  expect(requested.filter(adminBundle).length, 'the admin bundle is fetched once').toBe(2);
});

test('an admin makes a radio station, changes its source and deletes it', async ({ page, baseURL }) => {
  const admin = new AdminPages(page);
  const name = `Station ${suffix()}`;
  await admin.logInAsAdmin();
  await admin.open('Stations');
  const main = page.getByRole('main');

  await main.getByLabel('Name', { exact: true }).fill(name);
  await main.getByLabel('Plays').selectOption('genre');
  await main.getByLabel('Genre', { exact: true }).fill('Tones');
  await main.getByRole('button', { name: 'Create station' }).click();
  await expect(main.getByRole('button', { name: `Edit ${name}` })).toBeVisible();

  const api = await apiContext(baseURL!, await adminToken(baseURL!));
  const listed = await (await api.get('/api/v1/stations?limit=100')).json();
  const made = (listed.items as { id: string; name: string; source: unknown; is_public: boolean }[]).find((s) => s.name === name)!;
  expect(made.source).toEqual({ kind: 'genre', genre: 'Tones' });
  expect(made.is_public).toBe(true);

  await main.getByRole('button', { name: `Edit ${name}` }).click();
  await main.getByLabel('Plays').selectOption('library');
  await main.getByRole('button', { name: 'Save station' }).click();
  await expect
    .poll(async () => (await (await api.get(`/api/v1/stations/${made.id}`)).json()).source.kind)
    .toBe('library');

  await main.getByRole('button', { name: `Delete ${name}` }).click();
  await expect(main.getByRole('button', { name: `Edit ${name}` })).toHaveCount(0);
  expect((await api.get(`/api/v1/stations/${made.id}`)).status()).toBe(404);
  await api.dispose();
});
