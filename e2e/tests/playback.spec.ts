// Renditions and loudness (#21) in the player: the quality setting decides
// which file the API streams, "Normalize volume" applies the song's
// measured gain through Web Audio, and a crossfade overlaps two songs. The song is a loud sine made here, filed
// through the API; its renditions and loudness come from the API's job
// worker (real ffmpeg), which the test waits for.
import { type APIRequestContext } from '@playwright/test';
import { apiContext, login, uploadAudio } from '../support/api';
import { SearchPage } from '../pages/search';
import { SongRows } from '../pages/songs';
import { Shell } from '../pages/shell';
import { test, expect, registerInBrowser } from '../support/fixtures';

const RENDITIONS = ['opus-96', 'aac-128', 'mp3-128'];

interface Loudness {
  integrated_lufs: number;
  true_peak_dbtp: number;
  track_gain_db: number;
  album_gain_db: number | null;
  album_peak_dbtp: number | null;
}

/** `Loudness::safe_gain_db(false)`: the track's gain, capped so the true peak stays at −1 dBTP. */
function safeTrackGain(loudness: Loudness): number {
  return Math.min(loudness.track_gain_db, -1 - loudness.true_peak_dbtp);
}

/** A 16-bit stereo 44.1 kHz WAV of a 440 Hz sine at `amplitude` (1411 kbit/s, lossless). */
function sineWav(seconds: number, amplitude: number): Buffer {
  const rate = 44_100;
  const channels = 2;
  const frames = Math.round(seconds * rate);
  const data = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames; i++) {
    const value = Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * amplitude * 32_767);
    for (let c = 0; c < channels; c++) data.writeInt16LE(value, (i * channels + c) * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

let title: string;
let songId: string;
let loudness: Loudness;

test.beforeAll(async ({ baseURL }) => {
  const token = await login(baseURL!, process.env.SOUNDSTREAM_E2E_ADMIN_USER!, process.env.SOUNDSTREAM_E2E_ADMIN_PASSWORD!);
  const api: APIRequestContext = await apiContext(baseURL!, token);
  title = `Loud Sine ${Date.now().toString(36)}`;
  // Half of full scale: about −9 LUFS, so the gain to −14 LUFS is about −5 dB.
  const uploadId = await uploadAudio(api, sineWav(8, 0.5), 'audio/wav', 'loud-sine.wav');
  const created = await api.post('/api/v1/songs', { data: { upload_id: uploadId, title, artist: 'The Test Tones' } });
  expect(created.status(), await created.text()).toBe(201);
  songId = (await created.json()).id;

  // The job worker analyses the song and makes its renditions shortly after.
  await expect
    .poll(
      async () => (await (await api.get(`/api/v1/songs/${songId}/stream?quality=low&formats=opus,aac,mp3`)).json()).rendition,
      { message: 'a low rendition is ready', timeout: 90_000, intervals: [500, 1_000, 2_000] },
    )
    .not.toBe('original');
  await expect
    .poll(async () => (await (await api.get(`/api/v1/songs/${songId}`)).json()).loudness, {
      message: 'the loudness is measured',
      timeout: 90_000,
    })
    .not.toBeNull();
  loudness = (await (await api.get(`/api/v1/songs/${songId}`)).json()).loudness;
  await api.dispose();
});

test('Low quality streams a rendition, and Normalize volume applies the safe gain', async ({ page, baseURL }) => {
  const shell = new Shell(page);
  await registerInBrowser(page, 'quality');

  // The settings: Low quality; normalization is on by default.
  await shell.navigateTo('Settings');
  const quality = page.getByRole('combobox', { name: 'Streaming quality' });
  await expect(quality).toHaveValue('auto');
  await quality.selectOption({ label: 'Low' });
  const normalize = page.getByRole('checkbox', { name: 'Normalize volume' });
  await expect(normalize).toBeChecked();

  await shell.navigateTo('Search');
  const search = new SearchPage(page);
  await search.box.fill(title);
  const streamAnswer = page.waitForResponse((response) => response.url().includes(`/api/v1/songs/${songId}/stream`));
  await search.songs().play(title);
  const answer = await streamAnswer;
  const asked = new URL(answer.url());
  expect(asked.searchParams.get('quality')).toBe('low');
  // Chromium plays Ogg Opus, so the player offers it.
  expect(asked.searchParams.get('formats')?.split(',')).toContain('opus');
  const playback = await answer.json();
  expect(RENDITIONS).toContain(playback.rendition);

  await expect.poll(() => shell.currentTime(), { message: 'the rendition plays' }).toBeGreaterThan(0.3);
  const playing = await page.evaluate(
    () => [...document.querySelectorAll('audio')].find((audio) => !audio.paused)?.src,
  );
  expect(playing).toBe(new URL(playback.url, baseURL).href);

  // The queue panel says what is streamed and the gain in effect.
  await shell.button('Queue').click();
  const readout = page.locator('.playback-readout');
  const codec = { 'opus-96': 'Opus', 'aac-128': 'AAC', 'mp3-128': 'MP3' }[playback.rendition as string];
  const rate = playback.bit_rate_kbps ? ` · ${playback.bit_rate_kbps} kbit/s` : '';
  await expect(readout).toContainText(`Stream: ${codec}${rate}`);
  const expected = safeTrackGain(loudness);
  expect(expected).toBeLessThan(-1);
  await expect.poll(async () => Number(await readout.getAttribute('data-gain-db'))).toBeCloseTo(expected, 6);
  await expect(readout).toContainText(`Normalized: −${Math.abs(expected).toFixed(1)} dB`);

  // Off: no gain, at once.
  await shell.navigateTo('Settings');
  await normalize.uncheck();
  await expect(readout).toHaveAttribute('data-gain-db', '0');
  await expect(readout).toContainText('Volume not normalized');

  // The settings survive a reload.
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Streaming quality' })).toHaveValue('low');
  await expect(page.getByRole('checkbox', { name: 'Normalize volume' })).not.toBeChecked();
});

test('a crossfade plays the next song over the end of this one, then stops the old one', async ({ page }) => {
  const shell = new Shell(page);
  await registerInBrowser(page, 'crossfade');
  await shell.navigateTo('Settings');
  const crossfade = page.getByRole('slider', { name: /^Crossfade/ });
  await expect(crossfade).toHaveAccessibleName('Crossfade: off');
  await crossfade.fill('2');
  await expect(crossfade).toHaveAccessibleName('Crossfade: 2 s');

  // The seeded tones last 2.5 s: a third of that fades.
  await shell.navigateTo('Songs');
  await new SongRows(page).play('Aurora');
  const playingCount = () =>
    page.evaluate(() => [...document.querySelectorAll('audio')].filter((audio) => !audio.paused).length);
  await expect.poll(playingCount, { message: 'both songs play during the fade', intervals: [50] }).toBe(2);
  // (Songs this short fade into each other one after the other.)
  await expect(shell.nowPlaying).not.toContainText('Aurora');
  await expect.poll(playingCount, { message: 'the old song stops after the fade' }).toBe(1);

  // Kept in this browser.
  await page.reload();
  await shell.navigateTo('Settings');
  await expect(page.getByRole('slider', { name: /^Crossfade/ })).toHaveValue('2');
});
