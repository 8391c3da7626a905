import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Http } from '../../electron/engine/http/client';
import { JaggaerPoClient, PoRejectedError } from '../../electron/engine/connectors/jaggaer/po-import';
import { buildPoMessage, parsePoResponse, type JaggaerPurchaseOrder, type PoMessageType } from '../../electron/engine/connectors/jaggaer/po-xml';
import { makeRedactor } from '../../electron/engine/http/redact';
import { jaggaerCredentials } from '../../electron/engine/sandbox/jaggaer/index';
import { startJaggaer, type JaggaerHarness } from '../helpers/jaggaer-sandbox';

// The PO XML import, driven by Ferry's own message builder, response parser and client. Every answer is
// HTTP 200; the outcome is in the body.

let h: JaggaerHarness;
beforeAll(async () => {
  h = await startJaggaer();
});
afterAll(async () => {
  await h.close();
});

let seq = 0;
const po = (over: Partial<JaggaerPurchaseOrder> = {}): JaggaerPurchaseOrder => ({
  poNumber: `PO7${String(++seq).padStart(7, '0')}`,
  orderDate: '2026-02-01T00:00:00.000Z',
  supplierNumber: 'V001000',
  supplierName: 'Northwind Office Supply',
  currency: 'USD',
  paymentTerms: 'N30',
  shipTo: 'MAIN',
  buyer: 'jlopez',
  totalAmount: 425,
  lines: [{ lineNumber: 1, release: 0, catalogNumber: 'OFF-PAPER-A4', description: 'Copier paper', quantity: 10, unitOfMeasure: 'BX', unitPrice: 42.5, needByDate: null, costAllocation: { account: '610100', costCenter: 'CC100' } }],
  ...over,
});

const send = async (p: JaggaerPurchaseOrder, type: PoMessageType, creds: { identity: string; sharedSecret: string } = jaggaerCredentials(h.state)) => {
  const res = await h.postXml(buildPoMessage(p, type, creds, `msg-${seq}`));
  expect(res.status).toBe(200);
  expect(res.text).toContain('<PurchaseOrderMessageResponse>');
  const parsed = parsePoResponse(res.text);
  expect(parsed, res.text).not.toBeNull();
  return parsed!;
};

describe('JAGGAER sandbox: PO XML import', () => {
  it('creates, updates and cancels one document, versioning it in state.purchaseOrders', async () => {
    const p = po();
    const created = await send(p, 'new');
    expect(created).toMatchObject({ statusCode: 200, statusText: 'OK', poNumber: p.poNumber, poStatus: 'Approved', errors: [] });
    expect(created.documentId).toMatch(/^\d+$/);
    expect(h.state.purchaseOrders[p.poNumber]).toMatchObject({ documentId: created.documentId, status: 'Approved', version: 1, supplierNumber: 'V001000', totalAmount: '425.00', lineCount: 1 });

    h.ctx.clock.advance(5_000);
    const updated = await send({ ...p, totalAmount: 850, lines: [...p.lines, { ...p.lines[0]!, lineNumber: 2 }] }, 'update');
    expect(updated).toMatchObject({ statusCode: 200, documentId: created.documentId, poStatus: 'Approved' });
    const rec = h.state.purchaseOrders[p.poNumber]!;
    expect(rec).toMatchObject({ version: 2, totalAmount: '850.00', lineCount: 2 });
    expect(Date.parse(rec.updatedAt) - Date.parse(rec.receivedAt)).toBeGreaterThanOrEqual(5_000);

    const cancelled = await send(p, 'cancel');
    expect(cancelled).toMatchObject({ statusCode: 200, documentId: created.documentId, poStatus: 'Cancelled' });
    expect(h.state.purchaseOrders[p.poNumber]).toMatchObject({ status: 'Cancelled', version: 3 });
  });

  it('answers a second "new" with DUPLICATE_PO and the existing DocumentId', async () => {
    const p = po();
    const first = await send(p, 'new');
    const again = await send(p, 'new');
    expect(again.statusCode).toBe(200);
    expect(again.documentId).toBe(first.documentId);
    expect(again.errors).toEqual([{ code: 'DUPLICATE_PO', line: null, message: `A purchase order ${p.poNumber} already exists` }]);
    expect(h.state.purchaseOrders[p.poNumber]!.version).toBe(1);
  });

  it('answers an update or cancel of an unknown PO with PO_NOT_FOUND', async () => {
    for (const type of ['update', 'cancel'] as const) {
      const p = po();
      const res = await send(p, type);
      expect(res.errors[0]?.code).toBe('PO_NOT_FOUND');
      expect(res.documentId).toBeNull();
      expect(h.state.purchaseOrders[p.poNumber]).toBeUndefined();
    }
  });

  it('reports bad credentials as StatusCode 401 in an HTTP 200 body', async () => {
    const p = po();
    const res = await send(p, 'new', { identity: jaggaerCredentials(h.state).identity, sharedSecret: 'wrong' });
    expect(res).toMatchObject({ statusCode: 401, statusText: 'Authentication failed', poNumber: null });
    expect(h.state.purchaseOrders[p.poNumber]).toBeUndefined();
  });

  it('reports per-PO and per-line errors', async () => {
    const p = po({
      supplierNumber: '',
      lines: [
        { ...po().lines[0]!, lineNumber: 1, quantity: 0 },
        { ...po().lines[0]!, lineNumber: 2, unitPrice: Number.NaN },
      ],
    });
    const res = await send(p, 'new');
    expect(res.statusCode).toBe(200);
    expect(res.statusText).toBe('Completed with errors');
    expect(res.errors).toEqual([
      { code: 'SUPPLIER_REQUIRED', line: null, message: 'Supplier/SupplierNumber is required' },
      { code: 'INVALID_QUANTITY', line: 1, message: 'Quantity must be greater than zero' },
      { code: 'INVALID_PRICE', line: 2, message: 'UnitPrice must be a number' },
    ]);
    const noLines = await send(po({ lines: [] }), 'new');
    expect(noLines.errors.map((e) => e.code)).toEqual(['LINES_REQUIRED']);
  });

  it('answers malformed and foreign documents with a body status Ferry can read', async () => {
    for (const [xml, code] of [
      ['<PurchaseOrderMessage><Header>', 400],
      ['<?xml version="1.0"?><Invoice/>', 400],
      ['<PurchaseOrderMessage><Header><Authentication><Identity>x</Identity><SharedSecret>y</SharedSecret></Authentication></Header></PurchaseOrderMessage>', 401],
    ] as const) {
      const res = await h.postXml(xml);
      expect(res.status).toBe(200);
      expect(parsePoResponse(res.text)?.statusCode, xml).toBe(code);
    }
    const { identity, sharedSecret } = jaggaerCredentials(h.state);
    const noNumber = buildPoMessage(po({ poNumber: '' }), 'new', { identity, sharedSecret }, 'm');
    expect(parsePoResponse((await h.postXml(noNumber)).text)?.statusCode).toBe(400);
    const badType = buildPoMessage(po(), 'new', { identity, sharedSecret }, 'm').replace('type="new"', 'type="replace"');
    expect(parsePoResponse((await h.postXml(badType)).text)).toMatchObject({ statusCode: 400, statusText: "Unknown POHeader type 'replace'" });
  });

  it("works end to end with Ferry's JaggaerPoClient, including the duplicate recovery", async () => {
    const creds = jaggaerCredentials(h.state);
    const client = new JaggaerPoClient(new Http({ system: 'JAGGAER', redact: makeRedactor([creds.sharedSecret]) }), { baseUrl: h.url, poImportPath: '/apps/Router/POXMLImport', identity: creds.identity, sharedSecret: creds.sharedSecret });
    const p = po();
    const sent = await client.send(p, 'new', 'm-1');
    expect(sent).toMatchObject({ documentId: h.state.purchaseOrders[p.poNumber]!.documentId, status: 'Approved' });
    const dup = await client.send(p, 'new', 'm-2').catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(PoRejectedError);
    expect((dup as PoRejectedError).existingDocumentId).toBe(sent.documentId);
    const badClient = new JaggaerPoClient(new Http({ system: 'JAGGAER' }), { baseUrl: h.url, poImportPath: '/apps/Router/POXMLImport', identity: creds.identity, sharedSecret: 'nope' });
    const refused = await badClient.send(po(), 'new', 'm-3').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PoRejectedError);
    expect((refused as PoRejectedError).code).toBe('jaggaer_auth');
  });

  it('can insist on a known supplier when configured to', async () => {
    h.state.config.poImportRequiresKnownSupplier = true;
    try {
      const res = await send(po({ supplierNumber: 'V404404' }), 'new');
      expect(res.errors.map((e) => e.code)).toEqual(['UNKNOWN_SUPPLIER']);
      expect((await send(po(), 'new')).errors).toEqual([]);
    } finally {
      h.state.config.poImportRequiresKnownSupplier = false;
    }
  });
});
