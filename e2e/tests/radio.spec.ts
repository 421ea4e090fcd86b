// Radio in the player: a station made by an administrator through the
// API, tuned in to by a listener. The player must play the song /now says
// is on air, at /now's position within a second, with nothing to skip.
import { apiContext, login } from '../support/api';
import { Shell } from '../pages/shell';
import { test, expect, registerInBrowser } from '../support/fixtures';

test('tune in: the song on air, at its live position within a second of /now', async ({ page, baseURL }) => {
  const admin = await apiContext(
    baseURL!,
    await login(baseURL!, process.env.SOUNDSTREAM_E2E_ADMIN_USER!, process.env.SOUNDSTREAM_E2E_ADMIN_PASSWORD!),
  );
  const name = `Station ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const created = await admin.post('/api/v1/stations', {
    data: { name, description: 'Tones all day', is_public: true, source: { kind: 'library' } },
  });
  expect(created.status(), await created.text()).toBe(201);
  const station = await created.json();
  // Songs need their MP3 rendition to be on air: wait for the job queue.
  await expect
    .poll(async () => (await (await admin.get(`/api/v1/stations/${station.id}/now`)).json()).current?.song?.id ?? null, {
      timeout: 60_000,
    })
    .not.toBeNull();

  await registerInBrowser(page, 'radio');
  await new Shell(page).navigateTo('Radio');
  await page.getByRole('button', { name: `Tune in ${name}` }).click();
  const tuned = page.locator('.radio-tuned');
  await expect(tuned.getByRole('heading', { level: 2, name })).toBeVisible();
  // No seeking or skipping while tuned in: the page offers neither.
  await expect(tuned.getByRole('slider')).toHaveCount(0);
  await expect(tuned.getByRole('button', { name: /next|skip/i })).toHaveCount(0);

  // The audio plays, and where it is matches the schedule.
  const audio = page.locator('audio.radio-audio');
  await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => !el.paused && el.currentTime > 0.2), { timeout: 20_000 }).toBe(true);
  let checked = 0;
  for (let attempt = 0; attempt < 30 && checked < 3; attempt++) {
    const sample = await page.evaluate(async (id) => {
      const element = document.querySelector('audio.radio-audio') as HTMLAudioElement;
      const sent = Date.now();
      const now = await (await fetch(`/api/v1/stations/${id}/now`)).json();
      const received = Date.now();
      const offset = now.server_time_ms - (sent + received) / 2;
      return {
        playedMs: element.currentTime * 1000,
        serverNow: Date.now() + offset,
        current: now.current,
        shown: document.querySelector('.radio-title')?.textContent ?? '',
        src: element.currentSrc,
      };
    }, station.id);
    const expected = sample.serverNow - sample.current.starts_at_ms;
    // Right at a boundary the player is still loading the next song (the
    // fixtures last 2.5 s): check inside songs.
    if (expected < 800 || sample.current.duration_ms - expected < 300) {
      await page.waitForTimeout(300);
      continue;
    }
    expect(sample.shown).toContain(sample.current.song.title);
    expect(Math.abs(sample.playedMs - expected), `played ${sample.playedMs} ms, schedule ${expected} ms`).toBeLessThan(1000);
    checked++;
    await page.waitForTimeout(500);
  }
  expect(checked, 'three samples inside songs').toBe(3);

  // Leaving stops the radio.
  await page.getByRole('button', { name: 'Leave the station' }).click();
  await expect(tuned).toHaveCount(0);
  await expect.poll(() => audio.evaluate((el: HTMLAudioElement) => el.paused)).toBe(true);
  await admin.delete(`/api/v1/stations/${station.id}`);
  await admin.dispose();
});
