import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { startCli, type RunningCli } from '../helpers/cli';
import { seedAuditProfile } from '../helpers/seed-audit';
import { tempDir } from '../helpers/temp';

// The Activity screen over a trail of a million events, in Chromium against `ferry demo` (browser host). The
// trail is seeded into the data folder before the demo opens it; the demo's own run lands on top. Speeds are
// printed (real measurements), not asserted: what is asserted is that the right rows arrive and that the page
// holds only a window of them.

const SEEDED = 1_000_000;

test.describe.configure({ mode: 'serial' });

let tmp: ReturnType<typeof tempDir>;
let demo: RunningCli;
let url: string;
let total: number;

const figure = (name: string, value: string) => console.log(`[activity-1m] ${name}: ${value}`);

/** How long the engine took to answer the next listAudit call whose input has `field` (request to last byte). */
const apiLatency = (page: Page, field: string): Promise<number> =>
  page
    .waitForResponse((r) => r.url().endsWith('/api/listAudit') && (r.request().postData() ?? '').includes(`"${field}"`) && (r.request().postData() ?? '').includes('"withTotal":true'))
    .then(async (r) => {
      await r.finished();
      return Math.round(r.request().timing().responseEnd);
    });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  tmp = tempDir('ferry-e2e-1m-');
  const seeded = await seedAuditProfile(tmp.dir, { count: SEEDED });
  figure('seeding', `${SEEDED.toLocaleString('en-US')} hash-chained events in ${(seeded.ms / 1000).toFixed(1)} s`);
  const started = Date.now();
  demo = await startCli(['demo', '--json', '--port', '0', '--data-dir', tmp.dir], undefined, 120_000);
  figure('demo start over the seeded profile (sandbox, connect, one po-to-jaggaer run, serve)', `${((Date.now() - started) / 1000).toFixed(1)} s`);
  url = demo.json.url as string;
  const run = (demo.json.flows as Record<string, { created: number; skipped: number; failed: number; unchanged: number; updated: number }>)['po-to-jaggaer']!;
  total = SEEDED + run.created + run.skipped + run.failed + run.unchanged + run.updated;
});

test.afterAll(async () => {
  await demo?.stop();
  tmp?.remove();
});

const scroller = (page: Page) => page.locator('div:has(> table[aria-label="Activity"])');
const loadedRows = (page: Page) => page.getByRole('table', { name: 'Activity' }).locator('tbody tr').filter({ hasNot: page.locator('text=/^Loading event/') });
const rowAt = (page: Page, index: number) => page.locator(`table[aria-label="Activity"] tbody tr[aria-rowindex="${index + 2}"]`);

test('Activity browses a million events: first rows, a far jump, filters and one event in full', async ({ page }) => {
  test.setTimeout(240_000);
  fs.mkdirSync('test-results/screens', { recursive: true });
  await page.setViewportSize({ width: 1440, height: 900 });

  // First rows: from asking for the page to the newest event on screen.
  let t = performance.now();
  await page.goto(`${url}#/activity`);
  const table = page.getByRole('table', { name: 'Activity' });
  await expect(rowAt(page, 0).getByRole('cell').first()).toBeVisible({ timeout: 30_000 });
  figure('time to first rows (page load to the newest events on screen)', `${Math.round(performance.now() - t)} ms`);
  await expect(page.getByText(`${total.toLocaleString('en-US')} events, newest first`)).toBeVisible();
  await expect(table).toHaveAttribute('aria-rowcount', String(total + 1));
  // The demo's own run is the newest: its purchase orders are at the top.
  await expect(rowAt(page, 0)).toContainText('purchase order');

  // Far down: drop the scrollbar in the middle of the list, as a person dragging it would.
  t = performance.now();
  await scroller(page).evaluate((el) => {
    el.scrollTop = (el.scrollHeight - el.clientHeight) / 2;
  });
  const middle = Math.round((total - 1) / 2);
  await expect
    .poll(async () => {
      const indexes = await loadedRows(page).evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('aria-rowindex')) - 2));
      return indexes.some((i) => Math.abs(i - middle) < 50);
    }, { timeout: 30_000 })
    .toBe(true);
  figure('jump to the middle of the list (scrollbar) until its rows are filled in', `${Math.round(performance.now() - t)} ms`);
  const rendered = await table.locator('tbody tr').count();
  figure('row elements in the page at that point', String(rendered));
  expect(rendered).toBeGreaterThan(10);
  expect(rendered).toBeLessThan(200);
  // The rows there are consecutive events of the trail, filled in from the engine (the first row of the list
  // stays in the page too: it is the current row, which keeps the keyboard focus).
  const indexes = await loadedRows(page).evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('aria-rowindex'))).filter((i) => i > 2));
  expect(indexes.length).toBeGreaterThan(10);
  expect(indexes.every((v, i) => i === 0 || v === indexes[i - 1]! + 1)).toBe(true);

  // The keyboard: End goes to the oldest event, Home back to the newest.
  // Click a row in view, as a person would (a click on a row outside the view would have the browser scroll
  // the list itself, which a person cannot do).
  const box = (await scroller(page).boundingBox())!;
  await page.mouse.click(box.x + 120, box.y + 40 + 3 * 40 + 20);
  await expect(page.getByRole('region', { name: 'Event details' })).toBeVisible();
  t = performance.now();
  await page.keyboard.press('End');
  await expect(rowAt(page, total - 1).getByRole('cell').first()).toBeVisible({ timeout: 30_000 });
  figure('End key to the oldest event, rows filled in', `${Math.round(performance.now() - t)} ms`);
  await expect(rowAt(page, total - 1)).toBeFocused();
  expect(await table.locator('tbody tr').count()).toBeLessThan(200);
  await page.keyboard.press('Home');
  await expect(rowAt(page, 0).getByRole('cell').first()).toBeVisible({ timeout: 30_000 });
  await page.locator('[aria-label="Event details"] button[aria-label="Close details"]').click().catch(() => undefined);

  // A filter: failed events only.
  t = performance.now();
  let answered = apiLatency(page, 'outcome');
  await page.getByLabel('Status').selectOption('failed');
  await expect(page.getByText(/matching events, newest first/)).toBeVisible({ timeout: 30_000 });
  await expect(rowAt(page, 0).getByRole('cell').first()).toBeVisible();
  figure('filter "status: failed" until its first rows are on screen', `${Math.round(performance.now() - t)} ms (the engine's answer with the count: ${await answered} ms)`);
  const failed = Number(await table.getAttribute('aria-rowcount')) - 1;
  figure('failed events in the trail', failed.toLocaleString('en-US'));
  expect(failed).toBeGreaterThan(SEEDED * 0.03);
  expect(failed).toBeLessThan(SEEDED * 0.08);
  for (let i = 0; i < 5; i++) await expect(rowAt(page, i)).toContainText('Failed');

  // A record key, anywhere in the key: one seeded purchase order across its runs.
  const key = (await rowAt(page, 0).getByRole('cell').nth(2).textContent())!.split(' · ')[0]!;
  await page.getByLabel('Status').selectOption('');
  t = performance.now();
  answered = apiLatency(page, 'search');
  await page.getByRole('searchbox').fill(key.slice(1));
  await expect(page.getByText(/matching events, newest first/)).toBeVisible({ timeout: 30_000 });
  await expect(rowAt(page, 0)).toContainText(key);
  figure(`record-key search "${key.slice(1)}" anywhere in the key, until its rows are on screen (includes the 300 ms typing pause)`, `${Math.round(performance.now() - t)} ms (the engine's answer with the count: ${await answered} ms)`);
  const matches = await table.getAttribute('aria-rowcount').then((n) => Number(n) - 1);
  expect(matches).toBeGreaterThan(0);
  expect(matches).toBeLessThan(100);
  // The same key from its start: answered from an index.
  await page.getByRole('searchbox').fill(key);
  await expect(page.getByRole('status').filter({ hasText: 'matching events' })).toBeVisible();
  await page.waitForTimeout(500);
  t = performance.now();
  answered = apiLatency(page, 'prefix');
  await page.getByLabel('Match').selectOption('prefix');
  await expect(page.getByText(/matching events, newest first/)).toBeVisible({ timeout: 30_000 });
  await expect(table).toHaveAttribute('aria-rowcount', String(matches + 1), { timeout: 30_000 });
  await expect(rowAt(page, 0)).toContainText(key);
  figure(`record-key search "${key}" switched to "at its start", until its rows are on screen`, `${Math.round(performance.now() - t)} ms (the engine's answer with the count: ${await answered} ms)`);

  // One event in full: the record's timeline across runs, its captured exchange, and where it lives.
  await rowAt(page, 0).click();
  const detail = page.getByRole('region', { name: 'Event details' });
  await expect(detail).toContainText(key);
  await expect(detail.getByRole('list', { name: 'Record timeline' }).getByRole('listitem')).toHaveCount(matches);
  await expect(detail).toContainText('What was sent and received');
  await expect(detail).toContainText(/Ferry cannot build a web address for a (CloudSuite|JAGGAER) record/);
  await expect(detail.getByLabel('Captured exchange')).toContainText('[redacted]');
  await detail.getByRole('heading', { name: /This record across runs/ }).evaluate((h) => h.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: 'test-results/screens/activity-detail.png' });

  // The filtered events as a file.
  const downloaded = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export these events' }).click();
  await page.getByRole('menuitem', { name: /CSV/ }).click();
  const csv = fs.readFileSync((await (await downloaded).path())!, 'utf8');
  expect(csv.split('\n').filter((l) => l.includes(key)).length).toBe(matches);

  // The hash chain of the whole trail, checked in the background while all of the above ran.
  t = performance.now();
  await expect(page.getByText(`Audit trail verified: ${total.toLocaleString('en-US')} events, chain intact.`)).toBeVisible({ timeout: 120_000 });
  figure('audit verification still running after the steps above, waited', `${Math.round(performance.now() - t)} ms`);
  await page.getByRole('button', { name: 'Close details' }).click();
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await expect(page.getByText(`${total.toLocaleString('en-US')} events, newest first`)).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: 'test-results/screens/activity.png' });

  // The next visit resumes from where that check got to instead of hashing the million events again.
  t = performance.now();
  await page.reload();
  await expect(page.getByText(/^Audit trail verified: (no|[\d,]+) new events? since the last check, chain intact\./)).toBeVisible({ timeout: 30_000 });
  figure('next visit: page load until the resumed verification is shown', `${Math.round(performance.now() - t)} ms`);
});
