import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startCli, type RunningCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// A new user, in Chromium against `ferry serve` (browser host) on an empty profile, with the sandbox running as
// "their" CloudSuite, JAGGAER and Jira: the setup wizard with the sandbox's .ionapi file and credentials files,
// the connection test, the reference data, the first sync — and the Dashboard shows it. Screenshots of each
// screen go to test-results/screens/ (listed in the README).

test.describe.configure({ mode: 'serial' });

let tmp: ReturnType<typeof tempDir>;
let sandbox: RunningCli;
let ferry: RunningCli;
let url: string;
const screens = path.join('test-results', 'screens');

interface SandboxInfo {
  tenant: string;
  mongooseConfig: string;
  files: { ionapi: string; jaggaer: string };
  tenants: Record<string, { files: { jira: string } }>;
}

test.beforeAll(async () => {
  tmp = tempDir('ferry-wizard-');
  sandbox = await startCli(['sandbox', '--json', '--data-dir', path.join(tmp.dir, 'their-systems')]);
  ferry = await startCli(['serve', '--json', '--port', '0', '--data-dir', path.join(tmp.dir, 'ferry')]);
  url = ferry.json.url as string;
  fs.mkdirSync(screens, { recursive: true });
});

test.afterAll(async () => {
  await ferry?.stop();
  await sandbox?.stop();
  tmp?.remove();
});

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screens, `${name}.png`), fullPage: true });

test('a new user completes the setup wizard with the .ionapi file and sees the first sync on the Dashboard', async ({ page }) => {
  const info = sandbox.json as unknown as SandboxInfo;
  const jaggaer = JSON.parse(fs.readFileSync(info.files.jaggaer, 'utf8')) as { baseUrl: string; clientId: string; identity: string; clientSecret: string; sharedSecret: string };
  const jira = JSON.parse(fs.readFileSync(info.tenants[info.tenant]!.files.jira, 'utf8')) as { baseUrl: string; email: string; apiToken: string };

  await page.goto(url);
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText('Nothing has run yet')).toBeVisible();
  await shot(page, 'dashboard-empty');
  await page.getByRole('link', { name: 'start the setup' }).click();

  await expect(page.getByRole('heading', { name: 'Name this profile' })).toBeVisible();
  await page.getByLabel('Profile name').fill('Production');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Connect CloudSuite' })).toBeVisible();
  await expect(page.getByLabel('Profile', { exact: true })).toHaveText('Production');
  await shot(page, 'setup');
  await page.getByLabel('Wizard .ionapi file').setInputFiles(info.files.ionapi);

  await expect(page.getByRole('heading', { name: 'Which CloudSuite?' })).toBeVisible();
  await expect(page.getByText(info.tenant, { exact: true })).toBeVisible();
  await page.getByRole('combobox', { name: 'Mongoose configuration' }).click();
  await page.getByRole('option', { name: info.mongooseConfig }).click();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.getByRole('heading', { name: 'JAGGAER and Jira' })).toBeVisible();
  await page.getByLabel('JAGGAER address').fill(jaggaer.baseUrl);
  await page.getByLabel('JAGGAER client id').fill(jaggaer.clientId);
  await page.getByLabel('JAGGAER identity').fill(jaggaer.identity);
  await page.getByLabel('JAGGAER client secret').fill(jaggaer.clientSecret);
  await page.getByLabel('JAGGAER PO import shared secret').fill(jaggaer.sharedSecret);
  // Secrets are typed into password fields: never shown.
  await expect(page.getByLabel('JAGGAER client secret')).toHaveAttribute('type', 'password');
  await page.getByLabel('Jira address').fill(jira.baseUrl);
  await page.getByLabel('Jira email').fill(jira.email);
  await page.getByLabel('Jira API token').fill(jira.apiToken);
  await page.getByRole('button', { name: 'Save and continue' }).click();

  await expect(page.getByRole('heading', { name: 'Test the connections' })).toBeVisible();
  await page.getByRole('button', { name: 'Test connection' }).click();
  const diagnosis = page.getByLabel('Connection test');
  await expect(diagnosis.getByRole('heading', { name: 'Infor CloudSuite: working' })).toBeVisible({ timeout: 30_000 });
  await expect(diagnosis.getByRole('heading', { name: 'JAGGAER: working' })).toBeVisible();
  await expect(diagnosis.getByRole('heading', { name: 'Jira: working' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.getByRole('heading', { name: /reference data/ })).toBeVisible();
  await expect(page.getByLabel('Reference data')).toContainText('gl-account', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByRole('button', { name: 'Run the first sync' }).click();
  const done = page.getByText(/purchase orders sent to JAGGAER/);
  await expect(done).toBeVisible({ timeout: 60_000 });
  const sent = Number((/^([\d,.\s]+) purchase orders sent/.exec((await done.textContent()) ?? '')?.[1] ?? '0').replace(/\D/g, ''));
  expect(sent).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Open the dashboard' }).click();

  const card = page.getByRole('listitem', { name: 'Purchase orders → JAGGAER' });
  await expect(card).toContainText('Done');
  await expect(card).toContainText(`${sent.toLocaleString('en-US')} created`);
  await shot(page, 'dashboard');

  // The secrets never come back to the page: Connections only says they are set.
  await page.getByRole('link', { name: 'Connections' }).click();
  await expect(page.getByText('Secrets: set').first()).toBeVisible();
  expect(await page.content()).not.toContain(jaggaer.clientSecret);
  expect(await page.content()).not.toContain(jira.apiToken);
  await shot(page, 'connections');
});

test('Schedules explains a schedule in words before saving it, and runs a flow now with progress', async ({ page }) => {
  await page.goto(url);
  await page.getByRole('link', { name: 'Schedules' }).click();
  const po = page.getByRole('listitem', { name: 'Purchase orders → JAGGAER' });
  await po.getByRole('combobox', { name: 'Schedule of po-to-jaggaer' }).click();
  await page.getByRole('option', { name: 'My own schedule…' }).click();
  await po.getByLabel('Own schedule of po-to-jaggaer').fill('every 61 days');
  await expect(po.getByText(/is not an interval Ferry can keep/)).toBeVisible();
  await po.getByLabel('Own schedule of po-to-jaggaer').fill('0 7 * * 1-5');
  await expect(po.getByText(/cron "0 7 \* \* 1-5": next run/)).toBeVisible();
  await po.getByRole('button', { name: 'Save schedule' }).click();
  await expect(po.getByText(/Now: cron "0 7 \* \* 1-5"/)).toBeVisible();
  await po.getByRole('button', { name: 'Pause' }).click();
  await expect(po.getByText('Paused', { exact: true })).toBeVisible();
  await po.getByRole('button', { name: 'Run now' }).click();
  await expect(po.getByText(/^Done: /)).toBeVisible({ timeout: 60_000 });
  await shot(page, 'schedules');

  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await page.getByLabel('Audit retention days').fill('10');
  await page.getByRole('button', { name: 'Save retention' }).click();
  await expect(page.getByRole('alert').or(page.getByText(/at least 30|30 days/)).first()).toBeVisible();
  await page.getByLabel('Audit retention days').fill('3650');
  await page.getByRole('button', { name: 'Save retention' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await shot(page, 'settings');
});

test('every screen stays readable at 125% scaling (a 1280×800 screen gives 1024×640 CSS pixels): no sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 640 });
  await page.goto(url);
  for (const [route, heading] of [
    ['dashboard', 'Dashboard'],
    ['activity', 'Activity'],
    ['attention', 'Needs attention'],
    ['mappings', 'Mappings'],
    ['schedules', 'Schedules'],
    ['connections', 'Connections'],
    ['settings', 'Settings'],
    ['setup', 'Set up Ferry'],
  ] as const) {
    await page.evaluate((r) => (window.location.hash = `#/${r}`), route);
    await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${route} scrolls sideways by ${overflow}px at 125%`).toBeLessThanOrEqual(1);
  }
});
