// Talks to the real API the way any client does: used to seed the library
// (as an administrator created by `soundstream admin create`) and to check
// what the player did (history, favourites, playlists).
import { expect, request, type APIRequestContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '../../crates/media/tests/fixtures');

export interface SeedSong {
  title: string;
  artist: string;
  album: string;
  track: number;
  file: 'tone.mp3' | 'tone.ogg';
  lyrics?: string;
  /** Send no metadata: the API takes title, artist and album from the file's tags. */
  fromTags?: boolean;
}

export const ARTIST = 'The Test Tones';
export const OTHER_ARTIST = 'Los Tonos';
export const ALBUM = 'Sine Waves';
export const LYRICS = 'Hello darkness\nmy old friend';
/** What tone.mp3's own tags say (see crates/media/tests/fixtures). */
export const TAGGED_TITLE = 'Canción de prueba';
export const TAGGED_ARTIST = 'Beyoncé';

/** The library every test can rely on: more songs than one page (40). */
export function seedSongs(): SeedSong[] {
  const songs: SeedSong[] = [
    { title: 'Aurora', artist: ARTIST, album: ALBUM, track: 1, file: 'tone.mp3', lyrics: LYRICS },
    { title: 'Borealis', artist: ARTIST, album: ALBUM, track: 2, file: 'tone.ogg' },
    { title: 'Cascade', artist: ARTIST, album: ALBUM, track: 3, file: 'tone.mp3' },
    { title: 'Dunas', artist: OTHER_ARTIST, album: 'Desierto', track: 1, file: 'tone.ogg' },
    // Created from its tags alone, with accents for search to fold.
    { title: TAGGED_TITLE, artist: TAGGED_ARTIST, album: 'Álbum MP3', track: 1, file: 'tone.mp3', fromTags: true },
  ];
  for (let n = 1; n <= 42; n++) {
    const label = String(n).padStart(2, '0');
    songs.push({ title: `Zephyr ${label}`, artist: OTHER_ARTIST, album: 'Viento', track: n, file: n % 2 ? 'tone.mp3' : 'tone.ogg' });
  }
  return songs;
}

export async function apiContext(baseURL: string, token?: string): Promise<APIRequestContext> {
  return request.newContext({
    baseURL,
    extraHTTPHeaders: token ? { Authorization: `Bearer ${token}` } : {},
  });
}

export async function login(baseURL: string, username: string, password: string): Promise<string> {
  const api = await apiContext(baseURL);
  const response = await api.post('/api/v1/auth/login', { data: { login: username, password } });
  expect(response.status(), `login as ${username}: ${await response.text()}`).toBe(200);
  const body = await response.json();
  await api.dispose();
  return body.access_token as string;
}

/** Uploads audio the way the admin page does (ticket, PUT, complete); returns the upload id. */
export async function uploadAudio(
  api: APIRequestContext,
  bytes: Buffer,
  contentType: string,
  filename: string,
): Promise<string> {
  const ticketResponse = await api.post('/api/v1/uploads', {
    data: { kind: 'audio', content_type: contentType, size: bytes.length, filename },
  });
  expect(ticketResponse.status(), await ticketResponse.text()).toBe(201);
  const ticket = await ticketResponse.json();
  const put = await api.fetch(ticket.url, { method: ticket.method, headers: ticket.headers, data: bytes });
  expect(put.ok(), `upload PUT answered ${put.status()}: ${await put.text()}`).toBeTruthy();
  const complete = await api.post(`/api/v1/uploads/${ticket.id}/complete`);
  expect(complete.status(), await complete.text()).toBe(200);
  return ticket.id as string;
}

/** Uploads one audio fixture and creates a song from it. */
export async function createSong(api: APIRequestContext, song: SeedSong): Promise<string> {
  const bytes = readFileSync(join(FIXTURES, song.file));
  const contentType = song.file.endsWith('.mp3') ? 'audio/mpeg' : 'audio/ogg';
  const uploadId = await uploadAudio(api, bytes, contentType, song.file);
  const created = await api.post('/api/v1/songs', {
    data: song.fromTags ? { upload_id: uploadId } : {
      upload_id: uploadId,
      title: song.title,
      artist: song.artist,
      album: song.album,
      track_number: song.track,
      ...(song.lyrics ? { lyrics: song.lyrics, lyrics_language: 'en' } : {}),
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  return (await created.json()).id as string;
}

/** A fresh listener name per test, so tests never share accounts. */
export function uniqueUser(prefix: string): { username: string; email: string; password: string } {
  const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const username = `${prefix}_${suffix}`.slice(0, 32);
  return { username, email: `${username}@example.com`, password: 'correct horse battery staple' };
}

/** Registers a listener through the API and returns the token response. */
export async function registerListener(baseURL: string, prefix: string) {
  const user = uniqueUser(prefix);
  const api = await apiContext(baseURL);
  const response = await api.post('/api/v1/auth/register', { data: user });
  expect(response.status(), await response.text()).toBe(201);
  const tokens = await response.json();
  await api.dispose();
  return { ...user, tokens };
}
