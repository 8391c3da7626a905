import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { profileDir } from '../../electron/engine/paths';
import { headlessKeyProvider } from '../../electron/engine/store/keys';
import { setMappings } from '../../electron/engine/store/mappings';
import { openProfile } from '../../electron/engine/store/profile';
import { startCli, type RunningCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// Mappings with a supplier table of 20,000 rows, in Chromium against `ferry demo`: the rows are stored in the
// profile before the demo opens it (one import, as `ferry mappings import` would store them). The page must hold
// only a window of rows, find one deep in the list, jump to it from a "Fix mapping" link and move by keyboard.
// The time to the first rows is printed, not asserted.

const ROWS = 20_000;
const key = (i: number) => `V9${String(i).padStart(5, '0')}`;

test.describe.configure({ mode: 'serial' });

let tmp: ReturnType<typeof tempDir>;
let demo: RunningCli;
let url: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  tmp = tempDir('ferry-e2e-mappings-');
  const profile = await openProfile(tmp.dir, 'default', headlessKeyProvider(profileDir(tmp.dir, 'default'), {}));
  try {
    const started = Date.now();
    setMappings(profile.db, 'supplier', Array.from({ length: ROWS }, (_, i) => ({ key: key(i), value: { supplierNumber: `S-${i}` }, note: i % 97 === 0 ? 'from the supplier master' : null })));
    console.log(`[mappings-large] storing ${ROWS.toLocaleString('en-US')} supplier mappings: ${Date.now() - started} ms`);
  } finally {
    profile.close();
  }
  demo = await startCli(['demo', '--json', '--port', '0', '--data-dir', tmp.dir], undefined, 120_000);
  url = demo.json.url as string;
});

test.afterAll(async () => {
  await demo?.stop();
  tmp?.remove();
});

const suppliers = (page: Page) => page.getByRole('table', { name: 'Suppliers' });
const rowOf = (page: Page, k: string) => suppliers(page).getByRole('row').filter({ has: page.getByRole('button', { name: `Change ${k}`, exact: true }) });

test('a supplier table of 20,000 rows holds only a window of them, and search, a deep link and the keys still reach every row', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(url);
  const t = performance.now();
  await page.goto(`${new URL(url).origin}/#/mappings?kind=supplier`);
  await expect(rowOf(page, key(0))).toBeVisible({ timeout: 30_000 });
  console.log(`[mappings-large] time to first rows (page load to the first supplier rows on screen): ${Math.round(performance.now() - t)} ms`);
  await expect(suppliers(page)).toHaveAttribute('aria-rowcount', String(ROWS + 1));
  const inPage = await suppliers(page).getByRole('row').count();
  console.log(`[mappings-large] row elements in the page: ${inPage}`);
  expect(inPage).toBeLessThan(200);
  fs.mkdirSync('test-results/screens', { recursive: true });
  await page.screenshot({ path: 'test-results/screens/mappings-20k.png' });

  // Search: a row near the end of the list.
  const deep = key(19_876);
  const search = page.getByRole('searchbox', { name: 'Search suppliers' });
  await search.fill(deep);
  await expect(rowOf(page, deep)).toContainText('S-19876');
  await expect(suppliers(page).getByRole('row')).toHaveCount(2);
  await search.fill('');
  await expect(rowOf(page, key(0))).toBeVisible();

  // Keys: End goes to the last row (drawn, in view and focused), ↑ to the one before, Home back to the first.
  await rowOf(page, key(0)).focus();
  await page.keyboard.press('End');
  await expect(rowOf(page, key(ROWS - 1))).toBeFocused();
  await expect(rowOf(page, key(ROWS - 1))).toBeInViewport();
  await page.keyboard.press('ArrowUp');
  await expect(rowOf(page, key(ROWS - 2))).toBeFocused();
  await page.keyboard.press('Home');
  await expect(rowOf(page, key(0))).toBeFocused();
  expect(await suppliers(page).getByRole('row').count()).toBeLessThan(200);

  // A "Fix mapping" link to a row deep in the list (followed from this page) opens that row for change, in view,
  // with its stored values and the cursor in its first empty field.
  const target = key(12_345);
  await page.goto(`${new URL(url).origin}/#/mappings?kind=supplier&key=${target}&value=${encodeURIComponent(JSON.stringify({ supplierNumber: 'S-NEW' }))}&returnTo=attention`);
  const editor = page.getByRole('row', { name: `Changing ${target}` });
  await expect(editor).toBeInViewport();
  await expect(editor.getByRole('combobox', { name: 'Vendor number' }).or(editor.getByRole('textbox', { name: 'Vendor number' }))).toHaveValue(target);
  await expect(editor.getByRole('textbox', { name: 'JAGGAER supplier number' })).toHaveValue('S-12345');
  await expect(editor.getByRole('textbox', { name: 'Bravo id' })).toBeFocused();
  await expect(page.getByRole('button', { name: 'Back to Needs attention' }).first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/mappings-20k-fix.png' });
});
