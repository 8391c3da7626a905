import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addJaggaerActivity } from '../../electron/engine/sandbox/jaggaer/index';
import { startJaggaer, type JaggaerHarness } from '../helpers/jaggaer-sandbox';

// Invoices: the contract against the captured payloads, paging and filters, one invoice, the OCR import and
// new activity.

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/jaggaer');
const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
const LIST = '/j1p/api/public/ji/v1/invoices';

type Json = Record<string, unknown>;
type Paths = Map<string, Set<string>>;

/** Every key path of a JSON value (array elements as `[]`) with the JSON types seen there. */
function keyPaths(values: unknown[], out: Paths = new Map()): Paths {
  const walk = (v: unknown, at: string): void => {
    const type = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
    if (at) (out.get(at) ?? out.set(at, new Set()).get(at)!).add(type);
    if (Array.isArray(v)) v.forEach((e) => walk(e, `${at}[]`));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
  };
  values.forEach((v) => walk(v, ''));
  return out;
}

/** What `expected` has that `actual` lacks: a missing path, or a JSON type never seen at that path. */
function missingFrom(actual: Paths, expected: Paths): string[] {
  const out: string[] = [];
  for (const [p, types] of expected) {
    const got = actual.get(p);
    if (!got) out.push(`missing ${p}`);
    else for (const t of types) if (!got.has(t)) out.push(`${p}: expected ${t}, got ${[...got].join('|')}`);
  }
  return out;
}

interface ListBody {
  returnCode: number;
  returnMessage: string;
  totRecords: number;
  returnedRecords: number;
  startAt: number;
  jiinvoiceList: { jiinvoice: { header: Json }[] };
}
interface Invoice {
  header: Json & { invoiceId: number; total: { value: number }; supplier: { supplierNumber?: string } };
  lineList: { invoiceLine: (Json & { poNumber?: string; poLineNumber?: string; quantity: number; unitPrice: number })[] };
}

let h: JaggaerHarness;
beforeAll(async () => {
  h = await startJaggaer({ vendors: 40 });
});
afterAll(async () => {
  await h.close();
});

const readAll = async (flt?: string): Promise<Json[]> => {
  const out: Json[] = [];
  for (let startAt = 1; ; ) {
    const res = await h.get(`${LIST}?startAt=${startAt}${flt ? `&flt=${encodeURIComponent(flt)}` : ''}`);
    const body = res.body as unknown as ListBody;
    expect(body.returnCode).toBe(0);
    if (body.returnedRecords === 0) return out;
    out.push(...body.jiinvoiceList.jiinvoice.map((i) => i.header));
    startAt += body.returnedRecords;
  }
};
const getInvoice = async (id: number): Promise<Invoice> => {
  const res = await h.get(`${LIST}/${id}`);
  expect(res.status).toBe(200);
  return res.body as unknown as Invoice;
};

describe('JAGGAER sandbox: invoices match the captured payloads', () => {
  it('has every key path and JSON type of invoice_list.json, and none it lacks', async () => {
    const real = fixture('invoice_list.json') as ListBody;
    const ours = (await h.get(LIST)).body as unknown as ListBody;
    const envelope = (b: ListBody) => keyPaths([{ ...b, jiinvoiceList: {} }]);
    expect(missingFrom(envelope(ours), envelope(real))).toEqual([]);
    const realHeaders = keyPaths(real.jiinvoiceList.jiinvoice);
    const ourHeaders = keyPaths(ours.jiinvoiceList.jiinvoice);
    expect(missingFrom(ourHeaders, realHeaders)).toEqual([]);
    expect(missingFrom(realHeaders, ourHeaders)).toEqual([]);
  });

  it('gives a PO invoice with every key path and JSON type of invoice_sample.json', async () => {
    const real = fixture('invoice_sample.json') as Invoice;
    const poInvoice = h.state.invoices.find((i) => i.lines.every((l) => l.poNumber) && i.supplier.duns && i.invoiceType === 'Invoice')!;
    const ours = await getInvoice(poInvoice.invoiceId);
    expect(missingFrom(keyPaths([ours.header]), keyPaths([real.header]))).toEqual([]);
    expect(missingFrom(keyPaths(ours.lineList.invoiceLine), keyPaths(real.lineList.invoiceLine))).toEqual([]);
    // Nothing invented either: every path we send is one the real header (full or list form) or line has.
    const realHeaderPaths = keyPaths([real.header, ...(fixture('invoice_list.json') as ListBody).jiinvoiceList.jiinvoice.map((i) => i.header)]);
    expect(missingFrom(realHeaderPaths, keyPaths([ours.header]))).toEqual([]);
    expect(missingFrom(keyPaths(real.lineList.invoiceLine), keyPaths(ours.lineList.invoiceLine))).toEqual([]);
    expect(Object.keys(ours)).toEqual(Object.keys(real));
  });

  it('has a walker that catches a missing key and a wrong type', () => {
    const real = fixture('invoice_sample.json') as Invoice;
    const broken = structuredClone(real) as unknown as { header: Json & { supplier: Json; total: Json } };
    delete broken.header.supplier.duns;
    broken.header.total.value = '1102.50';
    expect(missingFrom(keyPaths([broken.header]), keyPaths([real.header]))).toEqual(['missing supplier.duns', 'total.value: expected number, got string']);
  });

  it('can read the import body of invoice_data.json', async () => {
    const body = structuredClone(fixture('invoice_data.json')) as { invoiceOcr: { invoiceOcrHeader: { supplier: { supplierNumber: string } } } };
    body.invoiceOcr.invoiceOcrHeader.supplier.supplierNumber = h.state.suppliers.find((s) => s.extCode)!.extCode!;
    const res = await h.post(`${LIST}/ocr`, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ returnCode: 0, batchId: '0000002570020221128110515ack' });
    const created = await getInvoice(res.body.invoiceId as number);
    expect(created.header).toMatchObject({ supplierInvoiceNumber: 'I0002024027D', invoiceLineType: 'Non-PO', invoiceSource: 'Automated', workflowStatus: 'Pending' });
    expect(created.lineList.invoiceLine[0]).toMatchObject({ lineNumber: 1, quantity: 1, unitPrice: 10 });
  });
});

describe('JAGGAER sandbox: invoice data', () => {
  it('mostly invoices real tenant POs from the PO vendor’s supplier, with the PO’s lines and prices', async () => {
    const pos = new Map(h.tenant.ido.rows('SLPos').map((p) => [p.PoNum!, p]));
    const lines = h.tenant.ido.rows('SLPoItems');
    const suppliers = new Map(h.state.suppliers.map((s) => [s.bravoId, s]));
    let matched = 0;
    for (const inv of h.state.invoices.filter((i) => i.matchStatus === 'Matched' && i.invoiceType === 'Invoice')) {
      const full = await getInvoice(inv.invoiceId);
      for (const l of full.lineList.invoiceLine) {
        const po = pos.get(l.poNumber!)!;
        expect(po, l.poNumber).toBeDefined();
        expect(suppliers.get(inv.supplier.bravoId)!.extCode).toBe(po.VendNum);
        expect(full.header.supplier.supplierNumber).toBe(po.VendNum);
        const poLine = lines.find((x) => x.PoNum === l.poNumber && x.PoLine === l.poLineNumber)!;
        expect(l.unitPrice).toBe(Number(poLine.ItemCost));
        expect(l.quantity).toBeLessThanOrEqual(Number(poLine.QtyOrdered));
        // GL coding: one customFieldValue per segment, the PO line's account and cost center.
        const coding = JSON.stringify(l.splittableFieldSetGroupList);
        expect(coding).toContain(`"internalName":"account","value":"${poLine.NonInvAcct}"`);
        expect(coding).toContain(`"internalName":"costCenter","value":"${poLine.NonInvAcctUnit1}"`);
      }
      const sum = full.lineList.invoiceLine.reduce((s, l) => s + Math.round(l.quantity * l.unitPrice * 100) / 100, 0);
      const charges = ['taxCharge1', 'shippingCharge', 'handlingCharge'].reduce((s, k) => s + (full.header[k] as number), 0) - (full.header.discountAmount as number);
      expect(full.header.total.value).toBeCloseTo(sum + charges, 2);
      matched++;
    }
    expect(matched).toBeGreaterThan(h.state.invoices.length / 3);
    const onRealPos = h.state.invoices.filter((i) => i.lines.every((l) => l.poNumber && pos.has(l.poNumber)));
    // Besides the one late non-PO invoice every world holds on purpose (dated in a closed period).
    expect(onRealPos.length).toBeGreaterThan((h.state.invoices.length - 1) / 2);
    const kinds = h.state.invoices.map((i) => (i.lines.some((l) => l.poNumber && !pos.has(l.poNumber)) ? 'unknown-po' : !i.supplier.supplierNumber ? 'no-extcode' : i.matchStatus));
    expect(new Set(kinds)).toEqual(new Set(['Matched', 'Unmatched', 'unknown-po', 'no-extcode', 'Do Not Match']));
  });

  it('pages with startAt and filters by lastUpdate', async () => {
    h.state.config.pageSize.invoices = 3;
    try {
      const first = (await h.get(`${LIST}?startAt=1`)).body as unknown as ListBody;
      expect(first).toMatchObject({ returnCode: 0, returnMessage: '', startAt: 1, returnedRecords: 3, totRecords: h.state.invoices.length });
      const all = await readAll();
      expect(all.map((i) => i.invoiceId)).toEqual(h.state.invoices.map((i) => i.invoiceId).sort((a, b) => a - b));
      const cut = h.state.invoices.map((i) => i.lastUpdate).sort()[Math.floor(h.state.invoices.length / 2)]!;
      const recent = await readAll(`lastUpdate>=${cut}`);
      expect(recent.length).toBe(h.state.invoices.filter((i) => i.lastUpdate >= cut).length);
      expect(recent.every((i) => (i.lastUpdate as string) >= cut)).toBe(true);
      const byPo = h.state.invoices.find((i) => i.lines[0]?.poNumber)!.lines[0]!.poNumber!;
      expect((await readAll(`poNumber==${byPo}`)).length).toBeGreaterThanOrEqual(1);
      const bad = (await h.get(`${LIST}?flt=${encodeURIComponent('lastUpdate>=soon')}`)).body;
      expect(bad.returnCode).not.toBe(0);
    } finally {
      h.state.config.pageSize.invoices = 100;
    }
  });

  it('answers 404 with a returnCode for an unknown invoice id', async () => {
    for (const id of ['1', 'abc']) {
      const res = await h.get(`${LIST}/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.returnCode).not.toBe(0);
    }
  });

  it('adds new invoices against existing POs with lastUpdate = now, visible to an incremental read', async () => {
    h.ctx.clock.advance(3_600_000);
    const since = h.ctx.clock.date('jaggaer').toISOString();
    expect(await readAll(`lastUpdate>=${since}`)).toEqual([]);
    const before = h.state.invoices.length;
    addJaggaerActivity(h.ctx, h.tenant, h.state, { invoices: 4 });
    expect(h.state.invoices.length).toBe(before + 4);
    const fresh = await readAll(`lastUpdate>=${since}`);
    expect(fresh.length).toBe(4);
    const pos = new Set(h.tenant.ido.rows('SLPos').map((p) => p.PoNum));
    const now = h.ctx.clock.date('jaggaer').toISOString();
    for (const inv of h.state.invoices.slice(before)) {
      expect(inv.lastUpdate >= since && inv.lastUpdate <= now).toBe(true);
      expect(inv.lines.every((l) => l.poNumber && pos.has(l.poNumber))).toBe(true);
    }
  });
});

describe('JAGGAER sandbox: OCR import', () => {
  const body = (supplierNumber: string, over: (b: Json) => void = () => {}) => {
    const b = structuredClone(fixture('invoice_data.json')) as Json & { invoiceOcr: { invoiceOcrHeader: Json & { supplier: Json } } };
    b.invoiceOcr.invoiceOcrHeader.supplier.supplierNumber = supplierNumber;
    b.invoiceOcr.invoiceOcrHeader.supplierInvoiceNumber = `OCR-${Math.random().toString(36).slice(2)}`;
    over(b);
    return b;
  };

  it('matches a PO line given on the line, and codes it from the PO', async () => {
    const poRow = h.tenant.ido.rows('SLPos').find((p) => p.Stat === 'O' && h.state.suppliers.some((s) => s.extCode === p.VendNum))!;
    const poLine = h.tenant.ido.rows('SLPoItems').find((l) => l.PoNum === poRow.PoNum)!;
    const b = body(poRow.VendNum!, (x) => {
      const line = (x.invoiceOcr as { invoiceOcrLineList: { invoiceOcrLine: Json[] } }).invoiceOcrLineList.invoiceOcrLine[0]!;
      Object.assign(line, { poNumber: poRow.PoNum, poLineNumber: poLine.PoLine, quantity: 1, unitPrice: { currency: 'USD', money: Number(poLine.ItemCost) } });
    });
    const res = await h.post(`${LIST}/ocr`, b);
    expect(res.body.returnCode).toBe(0);
    const inv = await getInvoice(res.body.invoiceId as number);
    expect(inv.header).toMatchObject({ invoiceLineType: 'PO', matchStatus: 'Matched' });
    expect(JSON.stringify(inv.lineList.invoiceLine[0]!.splittableFieldSetGroupList)).toContain(`"value":"${poLine.NonInvAcct}"`);
  });

  it('refuses an invalid body, an unknown supplier and a duplicate with returnCode ≠ 0', async () => {
    const ext = h.state.suppliers.find((s) => s.extCode)!.extCode!;
    const count = h.state.invoices.length;
    const invalid: [string, unknown][] = [
      ['empty', {}],
      ['no lines', body(ext, (b) => ((b.invoiceOcr as Json).invoiceOcrLineList = { invoiceOcrLine: [] }))],
      ['bad date', body(ext, (b) => ((b.invoiceOcr as { invoiceOcrHeader: Json }).invoiceOcrHeader.invoiceDate = '23/01/2024'))],
      ['no supplier number', body('')],
    ];
    for (const [what, b] of invalid) {
      const res = await h.post(`${LIST}/ocr`, b);
      expect(res.status, what).toBe(200);
      expect(res.body.returnCode, what).not.toBe(0);
      expect(res.body.returnMessage, what).toMatch(/Invalid invoice/);
    }
    const unknown = await h.post(`${LIST}/ocr`, body('NO-SUCH-SUPPLIER'));
    expect(unknown.body.returnCode).not.toBe(0);
    expect(unknown.body.returnMessage).toMatch(/not found/);
    const once = body(ext);
    expect((await h.post(`${LIST}/ocr`, once)).body.returnCode).toBe(0);
    const twice = await h.post(`${LIST}/ocr`, once);
    expect(twice.body.returnCode).not.toBe(0);
    expect(twice.body.returnMessage).toMatch(/already exists/);
    expect(h.state.invoices.length).toBe(count + 1);
  });
});
