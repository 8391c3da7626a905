import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startCli, type RunningCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// The real UI in Chromium, served by `ferry demo` (browser-host mode) over the real engine and sandbox.

test.describe.configure({ mode: 'serial' });

let tmp: ReturnType<typeof tempDir>;
let demo: RunningCli;
let url: string;
let created: number;

test.beforeAll(async () => {
  tmp = tempDir('ferry-e2e-');
  demo = await startCli(['demo', '--json', '--port', '0', '--data-dir', tmp.dir]);
  url = demo.json.url as string;
  created = (demo.json.flows as Record<string, { created: number }>)['po-to-jaggaer']!.created;
});

test.afterAll(async () => {
  await demo?.stop();
  tmp?.remove();
});

const webAppIonapi = JSON.stringify({
  ti: 'ACME_PRD',
  cn: 'Supplier portal',
  ci: 'ACME_PRD~portal',
  cs: 'portal-secret',
  iu: 'https://mingle-ionapi.inforcloudsuite.com',
  pu: 'https://mingle-sso.inforcloudsuite.com:443/ACME_PRD/as/',
  oa: 'authorization.oauth2',
  ot: 'token.oauth2',
  or: 'revoke_token.oauth2',
  ru: 'https://portal.example.com/callback',
});

test('Activity lists every PO that moved, with its JAGGAER reference and status', async ({ page }) => {
  expect(created).toBeGreaterThan(0);
  await page.goto(url);
  // Ferry opens on the Dashboard; Activity is one click away.
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await page.getByRole('link', { name: 'Activity' }).click();
  await expect(page.getByRole('heading', { name: 'Activity' })).toBeVisible();
  // The token leaves the address bar once the page has it.
  expect(page.url()).not.toContain('token=');

  const table = page.getByRole('table', { name: 'Activity' });
  const createdRows = table.locator('tbody tr').filter({ hasText: 'Created' });
  await expect(createdRows).toHaveCount(created);

  const jaggaer = (JSON.parse(fs.readFileSync(path.join(tmp.dir, 'sandbox', 'state.json'), 'utf8')) as {
    tenants: Record<string, { jaggaer: { purchaseOrders: Record<string, { documentId: string; status: string }> } }>;
  }).tenants.FERRY_TST!.jaggaer.purchaseOrders;
  expect(Object.keys(jaggaer)).toHaveLength(created);
  for (const [po, doc] of Object.entries(jaggaer)) {
    const row = createdRows.filter({ hasText: po });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(doc.documentId);
    await expect(row).toContainText(doc.status);
  }
  await page.screenshot({ path: 'test-results/activity.png', fullPage: true });
});

test('Activity checks the audit trail once in full, then from where the last check got to, and in full again on request', async ({ page }) => {
  await page.goto(url);
  await page.goto(`${new URL(url).origin}/#/activity`);
  await expect(page.getByText(/^Audit trail verified: /)).toBeVisible();
  // The next visit hashes only what was recorded since, and says from where and since when.
  await page.reload();
  const resumed = page.getByText(/^Audit trail verified: (no|[\d,]+) new events? since the last check, chain intact\. Continued from event #[\d,]+, which the check of .+ found intact; the [\d,]+ events up to it were last checked in full on .+\.$/);
  await expect(resumed).toBeVisible();
  await page.screenshot({ path: 'test-results/activity-verified-resumed.png' });
  await page.getByRole('button', { name: 'Check the whole trail again' }).click();
  await expect(page.getByText(/^Audit trail verified: [\d,]+ events, chain intact\.$/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Check the whole trail again' })).toHaveCount(0);
});

test('dropping a web-app .ionapi file on Connections shows the sentence to act on', async ({ page }) => {
  await page.goto(url);
  await page.getByRole('link', { name: 'Connections' }).click();
  await expect(page.getByRole('heading', { name: 'Connections' })).toBeVisible();
  const dataTransfer = await page.evaluateHandle((content) => {
    const dt = new DataTransfer();
    dt.items.add(new File([content], 'portal.ionapi', { type: 'application/json' }));
    return dt;
  }, webAppIonapi);
  await page.dispatchEvent('[data-testid=ionapi-dropzone]', 'drop', { dataTransfer });
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('This .ionapi file is for a web application');
  await expect(alert).toContainText('Backend Service');
  await page.screenshot({ path: 'test-results/connections-bad-ionapi.png', fullPage: true });
});

test('choosing a Backend Service .ionapi file shows what it holds, never its secrets', async ({ page }) => {
  await page.goto(url);
  await page.getByRole('link', { name: 'Connections' }).click();
  const ionapiFile = path.join(tmp.dir, 'sandbox', 'FERRY_TST.ionapi');
  const file = JSON.parse(fs.readFileSync(ionapiFile, 'utf8')) as { cs: string; sask: string; saak: string };
  await page.getByLabel('.ionapi file').setInputFiles(ionapiFile);
  const result = page.getByRole('status');
  await expect(result).toContainText('Imported FERRY_TST.ionapi');
  await expect(result).toContainText('FERRY_TST');
  await expect(result).toContainText('token.oauth2');
  const html = await page.content();
  for (const secret of [file.cs, file.sask, file.saak]) expect(html).not.toContain(secret);
  await page.screenshot({ path: 'test-results/connections-imported.png', fullPage: true });
});

test('Test connections explains, step by step, that CloudSuite, JAGGAER and Jira work', async ({ page }) => {
  await page.goto(url);
  await page.getByRole('link', { name: 'Connections' }).click();
  await page.getByRole('button', { name: 'Test connections' }).click();
  const report = page.getByLabel('Connection test');
  await expect(report).toContainText('Infor CloudSuite: working');
  await expect(report).toContainText('JAGGAER: working');
  await expect(report).toContainText('Jira: working');
  await expect(report).toContainText('Signed in to ION for tenant FERRY_TST');
  await page.screenshot({ path: 'test-results/connections-test.png', fullPage: true });
});

test('Connections says whether Jira changes arrive by webhook or by polling, with the delivery counts', async ({ page }) => {
  await page.goto(url);
  await page.getByRole('link', { name: 'Connections' }).click();
  const panel = page.getByRole('region', { name: 'Jira webhooks' });
  // The sandbox's Jira connection signs in with an API token and no receiver address is set: Ferry polls.
  await expect(panel.getByRole('heading', { name: 'Jira: Polling Jira' })).toBeVisible();
  await expect(panel).toContainText(/polls Jira/);
  await expect(panel.getByLabel('Webhook deliveries')).toHaveText('Deliveries: 0 accepted · 0 duplicates dropped · 0 bad signature · 0 unknown address · 0 not a Jira event');
});
