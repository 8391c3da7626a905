import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { lastJsonLine, runCli, startCli, type RunningCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp';

// Needs attention and Mappings in Chromium, served by `ferry demo` over the real engine and sandbox: an AP
// clerk codes a JAGGAER invoice to the customer's own account name (6101-OFFICE), which CloudSuite does not
// know; invoice-to-cloudsuite fails it; the person fixes the GL mapping from Needs attention and retries it
// into a posted CloudSuite voucher. The sample world's invoice dated in a closed period is posted in the open
// one from there too.

test.describe.configure({ mode: 'serial' });

const TENANT = 'FERRY_TST';
const JAGGAER_ACCOUNT = '6101-OFFICE';
const CLOUDSUITE_ACCOUNT = '610100';

let tmp: ReturnType<typeof tempDir>;
let demo: RunningCli;
let origin: string;
let token: string;
let url: string;
let invoiceId: number;
let sourceKey: string;

interface Control {
  url: string;
  token: string;
}

async function call<T>(base: string, route: string, init: { method?: string; body?: unknown; auth: string; form?: boolean } ): Promise<T> {
  const res = await fetch(base + route, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.auth ? { authorization: init.auth } : {}), 'content-type': init.form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: init.body === undefined ? undefined : init.form ? new URLSearchParams(init.body as Record<string, string>).toString() : JSON.stringify(init.body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${route}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

const api = <T>(method: string, input: unknown) => call<{ ok: boolean; value: T; error?: { message: string } }>(origin, `/api/${method}`, { body: input, auth: `Bearer ${token}` });

test.beforeAll(async () => {
  tmp = tempDir('ferry-e2e-attention-');
  demo = await startCli(['demo', '--json', '--port', '0', '--data-dir', tmp.dir]);
  url = demo.json.url as string;
  origin = new URL(url).origin;
  token = new URL(url).searchParams.get('token')!;

  // In JAGGAER: a supplier invoice for an active USD vendor, coded by AP to the customer's own account name.
  const sandboxDir = path.join(tmp.dir, 'sandbox');
  const control = JSON.parse(fs.readFileSync(path.join(sandboxDir, 'control.json'), 'utf8')) as Control;
  const ctl = <T>(route: string, body?: unknown) => call<T>(control.url, route, { body, auth: `Bearer ${control.token}` });
  const vendors = await ctl<{ rows: { VendNum: string }[] }>(`/control/tenants/${TENANT}/ido/SLVendors?filter=${encodeURIComponent("Stat = 'A' AND CurrCode = 'USD'")}`);
  const active = new Set(vendors.rows.map((v) => v.VendNum));
  const suppliers = await ctl<{ extCode: string | null }[]>(`/control/tenants/${TENANT}/jaggaer/suppliers`);
  const supplierNumber = suppliers.find((s) => s.extCode && active.has(s.extCode))!.extCode!;
  const { now } = await ctl<{ now: string }>('/control/clock');

  const jaggaer = JSON.parse(fs.readFileSync(path.join(sandboxDir, `${TENANT}-jaggaer.json`), 'utf8')) as { baseUrl: string; clientId: string; clientSecret: string };
  const { access_token } = await call<{ access_token: string }>(jaggaer.baseUrl, '/auth/realms/J1p-integrations/protocol/openid-connect/token', {
    body: { grant_type: 'client_credentials', client_id: jaggaer.clientId, client_secret: jaggaer.clientSecret },
    auth: '',
    form: true,
  });
  const coding = [
    { internalName: 'account', value: JAGGAER_ACCOUNT },
    { internalName: 'costCenter', value: 'CC100' },
  ];
  const imported = await call<{ returnCode: number; invoiceId: number }>(jaggaer.baseUrl, '/j1p/api/public/ji/v1/invoices/ocr', {
    auth: `Bearer ${access_token}`,
    body: {
      batchId: 'e2e-attention-1',
      batchInfo: { batchNumber: 'E2E-1', batchTimestamp: now },
      invoiceOcr: {
        invoiceOcrHeader: { supplierInvoiceNumber: 'INV-E2E-6101', invoiceDate: now, supplier: { supplierNumber } },
        invoiceOcrLineList: {
          invoiceOcrLine: [
            {
              lineNumber: 1,
              ocrItem: { description: 'Copier paper, A4, 5000 sheets', unitOfMeasure: 'BX' },
              quantity: 4,
              unitPrice: { currency: 'USD', money: 42.5 },
              splittableFieldSetGroupList: {
                splittableFieldSetGroup: [{ splittableFieldIndexSet: [{ splittableFieldIndexList: { splittableFieldIndex: [{ customFieldValueList: { customFieldValue: coding } }] } }] }],
              },
            },
          ],
        },
      },
    },
  });
  expect(imported.returnCode).toBe(0);
  invoiceId = imported.invoiceId;
  sourceKey = `JAG-INV-${invoiceId}`;
  // AP completes the invoice's workflow in JAGGAER: approved and payable, so Ferry posts it.
  await ctl(`/control/tenants/${TENANT}/jaggaer/invoices/${invoiceId}/approve`, {});

  // The scheduled flow, once, against the running demo's sandbox: the invoice fails on the unknown account.
  const sync = await runCli(['sync', '--once', '--flow', 'invoice-to-cloudsuite', '--json', '--data-dir', tmp.dir]);
  expect(sync.code, sync.stderr).toBe(0);
  const flow = (lastJsonLine(sync.stdout).flows as Record<string, { failed: number }>)['invoice-to-cloudsuite']!;
  expect(flow.failed).toBeGreaterThanOrEqual(1);
});

test.afterAll(async () => {
  await demo?.stop();
  tmp?.remove();
});

test('a failed invoice caused by an unmapped GL account is fixed from Needs attention and retried to success', async ({ page }) => {
  await page.goto(url);
  await page.goto(`${origin}/#/attention`);
  await expect(page.getByRole('heading', { name: 'Needs attention', level: 1 })).toBeVisible();

  // The group names the problem once, without the record's own values; the row names the account and rule.
  const group = page.getByRole('region', { name: "GL account … is not in CloudSuite's chart of accounts" });
  await expect(group).toBeVisible();
  await expect(group).toContainText('1 record');
  await expect(group).toContainText('rule: account exists');
  const row = group.getByRole('row', { name: new RegExp(`${sourceKey}$`) });
  await expect(row).toContainText(`GL account ${JAGGAER_ACCOUNT} is not in CloudSuite's chart of accounts`);
  // The supplier JAGGAER holds without an ERP number fails too, in a group of its own.
  await expect(page.getByRole('region', { name: /has no ERP supplier number/ })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/needs-attention.png', fullPage: true });

  // Fix mapping: the GL account table, with the JAGGAER side of the row filled in from the failure.
  await row.getByRole('button', { name: `Fix mapping for ${sourceKey}: GL account mapping` }).click();
  await expect(page.getByRole('heading', { name: 'Mappings', level: 1 })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'GL accounts' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText(`Fix for Needs attentionMap JAGGAER account ${JAGGAER_ACCOUNT} to a CloudSuite GL account. Fill in the highlighted row, then Save.`)).toBeVisible();
  const editor = page.getByRole('row', { name: 'New GL account mapping' });
  await expect(editor.getByLabel('JAGGAER account')).toHaveValue(JAGGAER_ACCOUNT);

  // Mappings are checked against CloudSuite's lists: read by the schedule when the host starts, or from here.
  const readNow = page.getByRole('button', { name: 'Read CloudSuite lists now' });
  await expect(page.getByText(/Checked against CloudSuite's GL accounts \(read /).or(readNow)).toBeVisible();
  if (await readNow.isVisible()) await readNow.click();
  await expect(page.getByText(/Checked against CloudSuite's GL accounts \(read /)).toBeVisible();
  const account = editor.getByRole('combobox', { name: 'GL account' });
  await account.fill(CLOUDSUITE_ACCOUNT);
  await expect(editor.getByRole('combobox', { name: 'Cost center' })).toHaveValue('*');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(`GL account mapping ${CLOUDSUITE_ACCOUNT}|* is saved.`)).toBeVisible();
  const saved = page.getByRole('table', { name: 'GL accounts' }).getByRole('row').filter({ hasText: JAGGAER_ACCOUNT });
  await expect(saved).toContainText(CLOUDSUITE_ACCOUNT);
  await expect(saved).toContainText('any');
  await page.screenshot({ path: 'test-results/screens/mappings.png', fullPage: true });

  // Back to Needs attention: the record is still there, and a preview shows the voucher a retry would post.
  await page.getByRole('button', { name: 'Back to Needs attention' }).first().click();
  await expect(page.getByRole('heading', { name: 'Needs attention', level: 1 })).toBeVisible();
  const again = page.getByRole('row', { name: new RegExp(`${sourceKey}$`) });
  await again.getByRole('button', { name: `Preview a retry of ${sourceKey}` }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('A retry now would send this.');
  await expect(dialog.getByRole('table', { name: 'Distributions' })).toContainText(CLOUDSUITE_ACCOUNT);
  await expect(dialog.getByRole('table', { name: 'Distributions' })).toContainText('CC100');
  await dialog.getByRole('button', { name: 'Close' }).click();

  await again.getByRole('button', { name: `Retry ${sourceKey}` }).click();
  const results = page.getByRole('status', { name: 'Retried 1 record: all went through' });
  await expect(results).toBeVisible();
  await expect(results).toContainText(`supplier invoice ${sourceKey}`);
  await expect(results).toContainText('CloudSuite voucher');
  await expect(page.getByRole('row', { name: new RegExp(`${sourceKey}$`) })).toHaveCount(0);
  await expect(page.getByRole('region', { name: "GL account … is not in CloudSuite's chart of accounts" })).toHaveCount(0);

  // The audit trail (what Activity shows) has the voucher, posted once.
  const audit = await api<{ events: { action: string; outcome: string; targetKey: string | null; targetStatus: string | null }[] }>('listAudit', { search: sourceKey, limit: 50 });
  const created = audit.value.events.filter((e) => e.action === 'create');
  expect(created).toHaveLength(1);
  expect(created[0]).toMatchObject({ outcome: 'ok', targetStatus: 'posted' });
  await expect(results).toContainText(created[0]!.targetKey!);
  const failures = await api<{ failures: { sourceKey: string }[] }>('listFailures', {});
  expect(failures.value.failures.map((f) => f.sourceKey)).not.toContain(sourceKey);
});

test('an invoice dated in a closed fiscal period is posted in the open period from Needs attention, keeping its invoice date', async ({ page }) => {
  // The sample world holds one on purpose: a supplier's invoice of a month the books have closed, approved only now.
  const sandboxDir = path.join(tmp.dir, 'sandbox');
  const control = JSON.parse(fs.readFileSync(path.join(sandboxDir, 'control.json'), 'utf8')) as Control;
  const { now } = await call<{ now: string }>(control.url, '/control/clock', { auth: `Bearer ${control.token}` });
  // The sample books are calendar months (fiscal year = calendar year): today's period is open.
  const open = now.slice(0, 7);
  const today = now.slice(0, 10);

  await page.goto(url);
  await page.goto(`${origin}/#/attention`);
  const group = page.getByRole('region', { name: 'Fiscal period … is closed for …' });
  await expect(group).toBeVisible();
  await expect(group).toContainText('rule: period open');
  const row = group.getByRole('row').nth(1);
  await expect(row).toContainText(`Post it in the open period ${open} instead ("Post in ${open}" in Needs attention), or reopen period`);
  const key = (await row.getByRole('cell').nth(1).innerText()).split('\n')[0]!.trim();
  const reason = await row.getByRole('cell').nth(2).innerText();
  const [, closed, invoiceDay] = /fiscal period (\d{4}-\d{2}) is closed for (\d{4}-\d{2}-\d{2})/.exec(reason)!;

  await row.getByRole('button', { name: `Post ${key} in the open period ${open}` }).click();
  const dialog = page.getByRole('dialog', { name: `Post ${key} in period ${open}?` });
  await expect(dialog).toContainText(`Its own period, ${closed}, is closed in CloudSuite`);
  await expect(dialog).toContainText(`ask for period ${closed} to be reopened in CloudSuite, then press Retry`);
  await page.screenshot({ path: 'test-results/screens/needs-attention-closed-period.png', fullPage: true });
  await dialog.getByRole('button', { name: `Post in ${open}` }).click();

  const results = page.getByRole('status', { name: 'Retried 1 record: all went through' });
  await expect(results).toBeVisible();
  await expect(results).toContainText(`supplier invoice ${key}`);
  await expect(results).toContainText('CloudSuite voucher');
  await expect(page.getByRole('region', { name: 'Fiscal period … is closed for …' })).toHaveCount(0);

  // In CloudSuite: one posted voucher, the invoice date kept, the GL (distribution) date today.
  const vouchers = await call<{ rows: { Ref: string; InvDate: string; DistDate: string | null }[] }>(
    control.url,
    `/control/tenants/${TENANT}/ido/SLAptrxps?filter=${encodeURIComponent(`Ref = 'FERRY:${key}'`)}`,
    { auth: `Bearer ${control.token}` },
  );
  expect(vouchers.rows).toHaveLength(1);
  expect(vouchers.rows[0]!.InvDate.slice(0, 8)).toBe(invoiceDay!.replace(/-/g, ''));
  expect(vouchers.rows[0]!.DistDate!.slice(0, 8)).toBe(today.replace(/-/g, ''));
  const audit = await api<{ events: { action: string; reason: string | null }[] }>('listAudit', { search: key, limit: 10 });
  expect(audit.value.events.map((e) => e.action)).toEqual(expect.arrayContaining(['create', 'choose-period']));
});

test('ignoring a record needs a reason, and then it leaves Needs attention', async ({ page }) => {
  await page.goto(url);
  await page.goto(`${origin}/#/attention`);
  const group = page.getByRole('region', { name: /has no ERP supplier number/ });
  const row = group.getByRole('row').filter({ hasText: 'Globex Research Supply' });
  const key = (await row.getByRole('cell').nth(1).innerText()).split('\n')[0]!.trim();
  await row.getByRole('button', { name: `Ignore ${key}` }).click();
  const dialog = page.getByRole('dialog', { name: `Ignore ${key}?` });
  await dialog.getByRole('button', { name: 'Ignore' }).click();
  await expect(dialog).toContainText('Say why this record is ignored');
  await dialog.getByRole('textbox', { name: 'Reason' }).fill('Sent to us by mistake; the supplier credits it in JAGGAER');
  await dialog.getByRole('button', { name: 'Ignore' }).click();
  await expect(page.getByRole('status').filter({ hasText: `${key} is ignored: Ferry will not retry it.` })).toBeVisible();
  await expect(page.getByText('Nothing needs attention')).toBeVisible();
  const audit = await api<{ events: { action: string; reason: string | null }[] }>('listAudit', { search: key, limit: 10 });
  expect(audit.value.events[0]).toMatchObject({ action: 'ignore', reason: 'Ignored by a person: Sent to us by mistake; the supplier credits it in JAGGAER' });
});

test('Mappings: a CSV import with a bad row, its good rows stored, export, search, change, delete and undo', async ({ page }) => {
  await page.goto(url);
  await page.goto(`${origin}/#/mappings`);
  await page.getByRole('tab', { name: 'Cost centers' }).click();
  await expect(page.getByText(/No cost centers mapped yet/)).toBeVisible();

  await page.getByLabel('CSV file to import').setInputFiles({
    name: 'cost-centers.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('cost_center,jaggaer_value,note\r\nCC100,SALES-US,from the 2026 chart\r\nCC999,NOPE,\r\n'),
  });
  await expect(page.getByText('cost-centers.csv was not imported')).toBeVisible();
  const report = page.getByRole('table', { name: 'Import problems' });
  await expect(report.getByRole('row').filter({ hasText: 'CC999' })).toContainText('3');
  await expect(report).toContainText("Cost center CC999 is not in CloudSuite's cost center list");
  await page.getByRole('button', { name: 'Store the 1 good row only' }).click();
  const table = page.getByRole('table', { name: 'Cost centers' });
  await expect(table.getByRole('row').filter({ hasText: 'CC100' })).toContainText('SALES-US');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('ferry-cost-center-mappings.csv');
  expect(fs.readFileSync((await file.path())!, 'utf8')).toContain('CC100,SALES-US,from the 2026 chart');

  await page.getByRole('searchbox', { name: 'Search cost centers' }).fill('zzz');
  await expect(page.getByText(/No cost centers match/)).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search cost centers' }).fill('sales');
  await expect(table.getByRole('row').filter({ hasText: 'CC100' })).toBeVisible();

  await page.getByRole('button', { name: 'Change CC100' }).click();
  const editor = page.getByRole('row', { name: 'Changing CC100' });
  await editor.getByRole('textbox', { name: 'JAGGAER value' }).fill('SALES-NA');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(table.getByRole('row').filter({ hasText: 'CC100' })).toContainText('SALES-NA');
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(page.getByText(/Took back the last change/)).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: 'CC100' })).toContainText('SALES-US');

  await page.getByRole('button', { name: 'Delete CC100' }).click();
  await expect(page.getByText(/cost center mapping CC100 is deleted/)).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: 'CC100' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(table.getByRole('row').filter({ hasText: 'CC100' })).toContainText('SALES-US');
});
