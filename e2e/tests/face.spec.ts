// Face login with the local provider (dlib on the CPU) and its liveness
// challenge, driven through Chromium's fake camera: a video made from real
// photos of one person looking at the camera, then turning to their left
// (scripts/lib/face.sh make_face_login_video). Runs in the `face` project,
// whose browser plays that video as its webcam.
import { join } from 'node:path';
import type { Page, Route } from '@playwright/test';
import { FIXTURES } from '../support/api';
import { AuthPages } from '../pages/auth';
import { Shell } from '../pages/shell';
import { test, expect, registerInBrowser } from '../support/fixtures';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: scripts/test sets it (scripts/lib/face.sh)`);
  }
  return value;
}

/** The frontal photo of the person in the fake camera's video. */
const ENROL_PHOTO = required('SOUNDSTREAM_E2E_FACE_ENROL');

/**
 * Challenges ask for a random direction; the video turns one way. The
 * player's request is answered with the first challenge the real API gives
 * that asks for `direction` (each is a real, stored, single-use challenge).
 */
async function askFor(page: Page, direction: 'left' | 'right'): Promise<void> {
  await page.route('**/api/v1/auth/face-login/challenge', async (route: Route) => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const response = await route.fetch();
      const body = await response.json();
      if (body.direction === direction) {
        await route.fulfill({ response });
        return;
      }
    }
    await route.abort();
  });
}

async function enrolByFile(page: Page, password: string, picture: string): Promise<void> {
  const shell = new Shell(page);
  await shell.navigateTo('Profile');
  const card = page.getByRole('region', { name: 'Face login' });
  await card.getByLabel('Or choose a picture').setInputFiles(picture);
  await card.getByLabel('Your password (changing face login needs it)').fill(password);
  await card.getByRole('button', { name: 'Enrol face' }).click();
}

async function faceLogIn(page: Page, username: string): Promise<void> {
  await page.getByRole('tab', { name: 'Face' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByRole('button', { name: 'Log in with face' }).click();
}

test('enrol by picture in the profile, then log in by turning the head as asked', async ({ page }) => {
  const user = await registerInBrowser(page, 'face');
  await enrolByFile(page, user.password, ENROL_PHOTO);
  await expect(page.getByText('Your face is enrolled since')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Log out' }).click();
  await new AuthPages(page).expectLoginScreen();

  await askFor(page, 'left');
  await faceLogIn(page, user.username);

  await expect(page.getByText('Now slowly turn your head to your left')).toBeVisible();
  await new Shell(page).expectLoaded();
});

test('a turn the other way than asked is refused by the liveness check', async ({ page }) => {
  const user = await registerInBrowser(page, 'faceway');
  await enrolByFile(page, user.password, ENROL_PHOTO);
  await expect(page.getByText('Your face is enrolled since')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Log out' }).click();

  await askFor(page, 'right');
  await faceLogIn(page, user.username);

  await expect(page.getByText('Now slowly turn your head to your right')).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('liveness check failed', { timeout: 20_000 });
  await expect(page.getByRole('tab', { name: 'Face' })).toBeVisible();
});

test('enrolling a picture without a face shows the reason the API gives', async ({ page }) => {
  const user = await registerInBrowser(page, 'facenone');

  await enrolByFile(page, user.password, join(FIXTURES, 'cover.jpg'));

  await expect(page.getByRole('alert')).toContainText('no face found', { timeout: 20_000 });
  await expect(page.getByText('No face enrolled.')).toBeVisible();
});
