import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../electron/engine/http/errors';
import { buildOcrBody } from '../../electron/engine/connectors/jaggaer/invoice-ocr';
import { parseInvoice, parseInvoicePage } from '../../electron/engine/connectors/jaggaer/invoice-map';
import { DEFAULT_JAGGAER_PATHS, jaggaerPathsConfig, resolveJaggaerPaths } from '../../electron/engine/connectors/jaggaer/paths';

// The mapper against the three payloads captured from a real JAGGAER (../shared/fixtures/jaggaer/).

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/jaggaer');
type Json = Record<string, unknown> & { header: Record<string, unknown> };
const fixture = <T = Json>(name: string): T => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
const listFixture = () => fixture<{ totRecords: number; jiinvoiceList: { jiinvoice: Json[] } }>('invoice_list.json');

function errorOf(fn: () => unknown): ConnectorError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConnectorError) return err;
    throw err;
  }
  throw new Error('expected a ConnectorError');
}

describe('JAGGAER invoice list → SupplierInvoiceSummary', () => {
  it('maps every invoice of the captured list', () => {
    const raw = listFixture();
    const page = parseInvoicePage(raw);
    expect(page.totRecords).toBe(64);
    expect(page.returnedRecords).toBe(64);
    expect(page.items).toHaveLength(raw.jiinvoiceList.jiinvoice.length);
    expect(page.items.map((i) => i.id)).toEqual(raw.jiinvoiceList.jiinvoice.map((i) => String(i.header.invoiceId)));

    const first = page.items[0]!;
    expect(first).toMatchObject({
      id: '2428601',
      number: 'I21-100000600014',
      supplierInvoiceNumber: '100523-NPO',
      kind: 'invoice',
      supplier: { id: '1003837241', number: '279765', name: '10X GENOMICS INC' },
      invoiceDate: '2023-10-05',
      dueDate: '2023-11-04',
      modifiedAt: '2023-10-05T16:12:33.733Z',
      currency: 'USD',
      totals: { tax: 475, shipping: 0, handling: 0, discount: 0, total: 5475 },
      approved: true,
      payable: true,
      match: 'not-required',
    });
  });

  it('keeps the odd ones: a credit memo without a supplier invoice number, an invoice without a total', () => {
    const items = parseInvoicePage(listFixture()).items;
    const credit = items.find((i) => i.id === '2460163')!;
    expect(credit).toMatchObject({ kind: 'credit-memo', supplierInvoiceNumber: null, match: 'matched', totals: { tax: -1147.28, shipping: -50, discount: 20, total: -12392.33 } });
    const noTotal = items.find((i) => i.id === '2511429')!;
    expect(noTotal).toMatchObject({ supplierInvoiceNumber: '011724-3', currency: null, totals: { total: null, tax: 475 } });
    // A supplier without a DUNS number is still a supplier.
    expect(noTotal.supplier).toEqual({ id: '1003837244', number: '000008', name: 'AAA ELECTRIC MOTOR SALES' });
  });

  it('names a required field that is missing', () => {
    const raw = listFixture();
    delete raw.jiinvoiceList.jiinvoice[3]!.header.invoiceNumber;
    const err = errorOf(() => parseInvoicePage(raw));
    expect(err.code).toBe('jaggaer_bad_response');
    expect(err.message).toContain('missing jiinvoiceList.jiinvoice[3].header.invoiceNumber');
    expect(err.retryable).toBe(false);

    const noTotRecords = listFixture() as Partial<ReturnType<typeof listFixture>>;
    delete noTotRecords.totRecords;
    expect(errorOf(() => parseInvoicePage(noTotRecords)).message).toContain('missing totRecords');
  });

  it('tolerates fields it does not know', () => {
    const raw = listFixture() as ReturnType<typeof listFixture> & Record<string, unknown>;
    raw.nextPageHint = 'x';
    raw.jiinvoiceList.jiinvoice[0]!.header.approvalChain = [{ level: 1 }];
    (raw.jiinvoiceList.jiinvoice[0]!.header.supplier as Record<string, unknown>).vatNumber = 'DE123';
    expect(parseInvoicePage(raw).items[0]!.number).toBe('I21-100000600014');
  });

  it('reports an answer that is not JSON as retryable (a proxy page, a cut-off body)', () => {
    const err = errorOf(() => parseInvoicePage('<html>Bad gateway</html>'));
    expect(err.retryable).toBe(true);
  });
});

describe('one JAGGAER invoice → SupplierInvoice', () => {
  it('maps the header, the line and its GL coding from the captured invoice', () => {
    const inv = parseInvoice(fixture('invoice_sample.json'));
    expect(inv).toMatchObject({
      id: '2526304',
      number: 'I00092',
      supplierInvoiceNumber: 'InvoiceTest125',
      kind: 'invoice',
      supplier: { id: '1003837241', number: '279765', name: '10x genomics, inc.' },
      invoiceDate: '2024-02-14',
      dueDate: '2024-03-15',
      accountingDate: '2024-02-14',
      currency: 'USD',
      totals: { tax: 102.5, total: 1102.5 },
      poNumber: '0000000049',
      match: 'matched',
    });
    expect(inv.lines).toHaveLength(1);
    const line = inv.lines[0]!;
    expect(line).toMatchObject({
      line: 1,
      description: 'PO with 1 line 1 distrib account',
      unitOfMeasure: 'EA',
      quantity: 1,
      unitPrice: 1000,
      amount: 1000,
      tax: 102.5,
      poNumber: '0000000049',
      poLine: '1',
    });
  });

  it('reads both GL field set groups into one coding per split, leaving uncoded segments out', () => {
    const [split, ...more] = parseInvoice(fixture('invoice_sample.json')).lines[0]!.glSplits;
    expect(more).toEqual([]);
    expect(split).toMatchObject({ FundingType: 'COA', Entity: '1411', Fund: '14306', Account: '100000', Portfolio: 'B0018081', Intercompany: '000000000', FAUFundNumber: '19900' });
    expect(Object.keys(split!)).toHaveLength(19);
    expect(split).not.toHaveProperty('Future2');
    expect(split).not.toHaveProperty('FAULocationCode');
  });

  it('keeps a second split of a line apart from the first', () => {
    const raw = fixture<{ lineList: { invoiceLine: Json[] } }>('invoice_sample.json');
    const line = raw.lineList.invoiceLine[0]! as unknown as { splittableFieldSetGroupList: { splittableFieldSetGroup: { splittableFieldIndexSet: { splittableFieldIndexList: { splittableFieldIndex: unknown[] } }[] }[] } };
    line.splittableFieldSetGroupList.splittableFieldSetGroup[0]!.splittableFieldIndexSet[0]!.splittableFieldIndexList.splittableFieldIndex.push({
      customFieldValueList: { customFieldValue: [{ internalName: 'Account', value: '200000' }, { internalName: 'Fund', value: 19900 }] },
    });
    const splits = parseInvoice(raw).lines[0]!.glSplits;
    expect(splits).toHaveLength(2);
    expect(splits[1]).toEqual({ Account: '200000', Fund: '19900' });
    expect(splits[0]!.Account).toBe('100000');
  });

  it('names a missing line field and a missing supplier name', () => {
    const raw = fixture<{ header: { supplier: Record<string, unknown> }; lineList: { invoiceLine: Record<string, unknown>[] } }>('invoice_sample.json');
    delete raw.lineList.invoiceLine[0]!.unitPrice;
    delete raw.header.supplier.name;
    const err = errorOf(() => parseInvoice(raw, 'reading invoice 2526304'));
    expect(err.message).toContain("JAGGAER's answer to reading invoice 2526304");
    expect(err.message).toContain('missing header.supplier.name');
    expect(err.message).toContain('missing lineList.invoiceLine[0].unitPrice');
  });

  it('says which field has the wrong type', () => {
    const raw = fixture('invoice_sample.json');
    raw.header.invoiceDate = 'last Tuesday';
    expect(errorOf(() => parseInvoice(raw)).message).toMatch(/header\.invoiceDate: must be an ISO 8601 date/);
  });
});

describe('incoming invoice → OCR import body', () => {
  it('builds the captured import body from Ferry terms', () => {
    const body = buildOcrBody({
      batchId: '0000002570020221128110515ack',
      batchNumber: '00000027570020221128110515',
      batchTimestamp: '2024-01-22',
      supplierNumber: '006510005',
      supplierInvoiceNumber: 'I0002024027D',
      kind: 'invoice',
      invoiceDate: '2024-01-23',
      paymentTerms: 'Net 60',
      billTo: '156508',
      remitTo: '001',
      shipTo: '156508',
      businessUnit: '0004',
      notes: 'Test OCR Non-PO Invoice - UCLA',
      currency: 'USD',
      lines: [{ line: 1, description: 'Test Description', unitOfMeasure: 'EA', packagingAmount: 1, quantity: 1, unitPrice: 10 }],
    });
    expect(JSON.parse(JSON.stringify(body))).toEqual(fixture('invoice_data.json'));
  });
});

describe('JAGGAER paths', () => {
  it('defaults to the published paths and takes the customer’s over them', () => {
    const d = resolveJaggaerPaths();
    expect(d.invoice('2526304')).toBe('/j1p/api/public/ji/v1/invoices/2526304');
    expect(d.token).toBe(DEFAULT_JAGGAER_PATHS.token);
    const custom = resolveJaggaerPaths(jaggaerPathsConfig.parse({ invoices: '/j1p/api/public/ji/v1/invoices/search', invoice: '/ji/v2/invoice/{invoiceId}/full' }), '/apps/Router/POXMLImport2');
    expect(custom.invoices).toBe('/j1p/api/public/ji/v1/invoices/search');
    expect(custom.invoice('a/b')).toBe('/ji/v2/invoice/a%2Fb/full');
    expect(custom.poImport).toBe('/apps/Router/POXMLImport2');
    expect(custom.companyProfiles).toBe(DEFAULT_JAGGAER_PATHS.companyProfiles);
    expect(jaggaerPathsConfig.safeParse({ invoice: '/ji/v1/invoices' }).success).toBe(false);
    expect(jaggaerPathsConfig.safeParse({ token: 'auth/token' }).success).toBe(false);
  });
});
