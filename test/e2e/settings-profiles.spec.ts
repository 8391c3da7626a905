import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startCli, type RunningCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// Settings → Profiles and Data folder in Chromium against `ferry serve`, started the way a person starts it (no
// --data-dir: the OS app-data folder, here under a temporary XDG_CONFIG_HOME). A second profile is created and
// opens on the Setup wizard, the first opens again, and the data folder moves to another disk and stays found.

test.describe.configure({ mode: 'serial' });

let tmp: ReturnType<typeof tempDir>;
let ferry: RunningCli;
let appData: string;
const screens = path.join('test-results', 'screens');

test.beforeAll(async () => {
  tmp = tempDir('ferry-profiles-');
  ferry = await startCli(['serve', '--json', '--port', '0'], { XDG_CONFIG_HOME: path.join(tmp.dir, 'config') });
  appData = path.join(tmp.dir, 'config', 'Ferry');
  fs.mkdirSync(screens, { recursive: true });
});

test.afterAll(async () => {
  await ferry?.stop();
  tmp?.remove();
});

test('a second profile is created and opened from Settings, and the first opens again', async ({ page }) => {
  expect(ferry.json.dataDir).toBe(appData);
  await page.goto(ferry.json.url as string);
  await page.getByRole('link', { name: 'Settings' }).click();
  const profiles = page.getByRole('table', { name: 'Profiles' });
  await expect(profiles.getByRole('row', { name: 'Profile default' })).toContainText('Open now');

  await page.getByRole('button', { name: 'New profile…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New profile' });
  await dialog.getByLabel('New profile short name').fill('T S T');
  await expect(dialog.getByText(/Use letters, digits/)).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Create and open' })).toBeDisabled();
  await dialog.getByLabel('New profile short name').fill('TST');
  await dialog.getByLabel('New profile display name').fill('Test');
  await dialog.getByRole('button', { name: 'Create and open' }).click();

  // A new profile has nothing connected: Ferry goes straight to the Setup wizard, under the new name.
  await expect(page.getByRole('heading', { name: 'Set up Ferry', exact: true })).toBeVisible();
  await expect(page.getByLabel('Profile', { exact: true })).toHaveText('Test');
  expect(fs.existsSync(path.join(appData, 'profiles', 'TST', 'ferry.db'))).toBe(true);

  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(profiles.getByRole('row', { name: 'Profile TST' })).toContainText('Open now');
  await expect(profiles.getByRole('row', { name: 'Profile TST' })).toContainText('Test');
  await profiles.getByRole('button', { name: 'Open default' }).click();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByLabel('Profile', { exact: true })).toHaveText('default');
});

test('the data folder moves to another folder; Ferry keeps working from there and finds it after a restart', async ({ page }) => {
  const target = path.join(tmp.dir, 'backed-up disk', 'Ferry');
  await page.goto(ferry.json.url as string);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByLabel('Data folder', { exact: true })).toHaveText(appData);
  await page.getByRole('button', { name: 'Move data folder…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Move the data folder' });
  await dialog.getByLabel('New data folder').fill('relative/folder');
  await dialog.getByRole('button', { name: 'Move' }).click();
  await expect(dialog.getByText(/Give the full path/)).toBeVisible();
  await dialog.getByLabel('New data folder').fill(target);
  await dialog.getByRole('button', { name: 'Move' }).click();
  await expect(page.getByText(/^Moved \d+ files .* to .*; Ferry uses it from now on\.$/)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByLabel('Data folder', { exact: true })).toHaveText(target);
  await expect(page.getByRole('table', { name: 'Profiles' }).getByRole('row')).toHaveCount(3); // header + default + TST
  await page.screenshot({ path: path.join(screens, 'settings-profiles.png'), fullPage: true });

  expect(fs.existsSync(path.join(target, 'profiles', 'TST', 'ferry.db'))).toBe(true);
  expect(fs.existsSync(path.join(appData, 'profiles'))).toBe(false);
  expect(JSON.parse(fs.readFileSync(path.join(appData, 'location.json'), 'utf8'))).toEqual({ dataDir: target });

  // A later start (no options) finds the moved folder through the app-data folder, on the profile open last.
  await ferry.stop();
  ferry = await startCli(['serve', '--json', '--port', '0'], { XDG_CONFIG_HOME: path.join(tmp.dir, 'config') });
  expect(ferry.json).toMatchObject({ dataDir: target, profile: 'default' });
});
