// Seeds the library once per run through the real API, as the administrator
// that scripts/test created with `soundstream admin create`.
import { type FullConfig } from '@playwright/test';
import { apiContext, createSong, login, seedSongs } from './api';

export default async function globalSetup(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0].use.baseURL as string;
  const username = process.env.SOUNDSTREAM_E2E_ADMIN_USER;
  const password = process.env.SOUNDSTREAM_E2E_ADMIN_PASSWORD;
  if (!username || !password) {
    throw new Error('SOUNDSTREAM_E2E_ADMIN_USER and SOUNDSTREAM_E2E_ADMIN_PASSWORD must name an administrator');
  }
  const token = await login(baseURL, username, password);
  const api = await apiContext(baseURL, token);
  const existing = await (await api.get('/api/v1/songs?limit=200')).json();
  const titles = new Set((existing.items as { title: string }[]).map((song) => song.title));
  for (const song of seedSongs()) {
    if (!titles.has(song.title)) {
      await createSong(api, song);
    }
  }
  await api.dispose();
}
