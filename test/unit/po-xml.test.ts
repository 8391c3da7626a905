import { XMLParser } from 'fast-xml-parser';
import { describe, it, expect } from 'vitest';
import { buildPoMessage, parsePoResponse } from '../../electron/engine/connectors/jaggaer/po-xml';
import type { JaggaerPurchaseOrder } from '../../electron/engine/connectors/jaggaer/po-xml';

const po = (): JaggaerPurchaseOrder => ({
  poNumber: 'PO0004711',
  orderDate: '2026-02-01T00:00:00.000Z',
  supplierNumber: 'V100',
  supplierName: 'Acme Parts & Co',
  currency: 'EUR',
  paymentTerms: 'NET30',
  shipTo: 'WH1',
  buyer: 'jdoe',
  totalAmount: 1234.5,
  lines: [
    {
      lineNumber: 1,
      release: 0,
      catalogNumber: 'BOLT-M8',
      description: 'Nuts & bolts <M8>',
      quantity: 100,
      unitOfMeasure: 'EA',
      unitPrice: 0.35,
      needByDate: '2026-02-15',
      costAllocation: { GL_ACCOUNT: '6100', COST_CENTER: 'CC-200' },
    },
    {
      lineNumber: 2,
      release: 0,
      catalogNumber: null,
      description: 'Freight',
      quantity: 1,
      unitOfMeasure: 'LOT',
      unitPrice: 1199.5,
      needByDate: null,
      costAllocation: { GL_ACCOUNT: '6200' },
    },
  ],
});

const creds = { identity: 'ACME-ERP', sharedSecret: 'sh4red-S3cret&<value>' };
const reader = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => name === 'POLine' || name === 'CustomFieldValueSet',
});

type Node = Record<string, unknown>;
const node = (v: unknown): Node => v as Node;
const list = (v: unknown): Node[] => v as Node[];

function parsed(type: 'new' | 'update' | 'cancel' = 'new') {
  const xml = buildPoMessage(po(), type, creds, 'msg-0001');
  const doc = node(reader.parse(xml));
  return { xml, doc };
}

describe('buildPoMessage', () => {
  it('builds a PurchaseOrderMessage with the authentication header', () => {
    const { xml, doc } = parsed();
    expect(xml.startsWith('<?xml')).toBe(true);
    const root = node(doc.PurchaseOrderMessage);
    expect(Object.keys(doc).filter((k) => !k.startsWith('?'))).toEqual(['PurchaseOrderMessage']);
    const header = node(root.Header);
    expect(header.MessageId).toBe('msg-0001');
    expect(Number.isNaN(Date.parse(String(header.Timestamp)))).toBe(false);
    const auth = node(header.Authentication);
    expect(auth.Identity).toBe('ACME-ERP');
    expect(auth.SharedSecret).toBe('sh4red-S3cret&<value>');
  });

  it.each(['new', 'update', 'cancel'] as const)('sets the POHeader type attribute (%s)', (type) => {
    const { doc } = parsed(type);
    const h = node(node(node(doc.PurchaseOrderMessage).PurchaseOrder).POHeader);
    expect(h['@_type']).toBe(type);
  });

  it('fills the POHeader', () => {
    const { doc } = parsed();
    const h = node(node(node(doc.PurchaseOrderMessage).PurchaseOrder).POHeader);
    expect(h.PONumber).toBe('PO0004711');
    expect(node(h.Supplier).SupplierNumber).toBe('V100');
    expect(node(h.Supplier).SupplierName).toBe('Acme Parts & Co');
    expect(h.TotalAmount).toBe('1234.50');
    expect(h.OrderDate).toBe('2026-02-01');
    expect(h.Currency).toBe('EUR');
    expect(h.PaymentTerms).toBe('NET30');
    expect(node(h.ShipTo).AddressCode).toBe('WH1');
  });

  it('leaves out optional header fields that are null', () => {
    const p = { ...po(), shipTo: null, paymentTerms: null, buyer: null, orderDate: null };
    const doc = node(reader.parse(buildPoMessage(p, 'new', creds, 'm')));
    const h = node(node(node(doc.PurchaseOrderMessage).PurchaseOrder).POHeader);
    expect(h).not.toHaveProperty('ShipTo');
    expect(h).not.toHaveProperty('PaymentTerms');
    expect(h).not.toHaveProperty('Buyer');
    expect(h).not.toHaveProperty('OrderDate');
    expect(h.PONumber).toBe('PO0004711');
  });

  it('writes one POLine per line with its number and cost allocation', () => {
    const { doc } = parsed();
    const lines = list(node(node(doc.PurchaseOrderMessage).PurchaseOrder).POLine);
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l['@_lineNumber'])).toEqual(['1', '2']);
    const [l1, l2] = [lines[0]!, lines[1]!];
    expect(l1.Quantity).toBe('100');
    expect(l1.UnitOfMeasure).toBe('EA');
    expect(l1.UnitPrice).toBe('0.35');
    expect(l1.NeedByDate).toBe('2026-02-15');
    expect(node(l1.Item).CatalogNumber).toBe('BOLT-M8');
    expect(list(l1.CustomFieldValueSet).map((s) => [s['@_name'], s.Value])).toEqual([
      ['GL_ACCOUNT', '6100'],
      ['COST_CENTER', 'CC-200'],
    ]);
    expect(l2.UnitPrice).toBe('1199.50');
    expect(node(l2.Item)).not.toHaveProperty('CatalogNumber');
    expect(list(l2.CustomFieldValueSet).map((s) => [s['@_name'], s.Value])).toEqual([['GL_ACCOUNT', '6200']]);
  });

  it('escapes XML special characters so they survive the round trip', () => {
    const { xml, doc } = parsed();
    expect(xml).not.toContain('<M8>');
    const lines = list(node(node(doc.PurchaseOrderMessage).PurchaseOrder).POLine);
    expect(node(lines[0]!.Item).Description).toBe('Nuts & bolts <M8>');
  });
});

const ok = `<?xml version="1.0" encoding="UTF-8"?>
<PurchaseOrderMessageResponse>
  <Status><StatusCode>200</StatusCode><StatusText>OK</StatusText></Status>
  <POResponse>
    <PONumber>PO0004711</PONumber>
    <DocumentId>98765</DocumentId>
    <Status>Approved</Status>
  </POResponse>
</PurchaseOrderMessageResponse>`;

const rejected = `<?xml version="1.0" encoding="UTF-8"?>
<PurchaseOrderMessageResponse>
  <Status><StatusCode>400</StatusCode><StatusText>Bad Request</StatusText></Status>
  <POResponse>
    <PONumber>PO0004711</PONumber>
    <Status>Rejected</Status>
    <Errors>
      <Error code="DUPLICATE_PO">PO PO0004711 already exists &amp; is open</Error>
      <Error code="BAD_ACCOUNT" line="2">Unknown GL account 6200</Error>
      <Error>Plain message</Error>
    </Errors>
  </POResponse>
</PurchaseOrderMessageResponse>`;

describe('parsePoResponse', () => {
  it('reads a success response', () => {
    const r = parsePoResponse(ok);
    expect(r).toEqual({
      statusCode: 200,
      statusText: 'OK',
      poNumber: 'PO0004711',
      documentId: '98765',
      poStatus: 'Approved',
      errors: [],
    });
  });

  it('reads errors with their code, line and message', () => {
    const r = parsePoResponse(rejected);
    expect(r?.statusCode).toBe(400);
    expect(r?.poStatus).toBe('Rejected');
    expect(r?.documentId).toBeNull();
    expect(r?.errors).toEqual([
      { code: 'DUPLICATE_PO', line: null, message: 'PO PO0004711 already exists & is open' },
      { code: 'BAD_ACCOUNT', line: 2, message: 'Unknown GL account 6200' },
      { code: null, line: null, message: 'Plain message' },
    ]);
  });

  it('reads a single error as a list of one', () => {
    const xml = rejected.replace(/<Error code="BAD_ACCOUNT"[^\n]*\n|<Error>Plain message<\/Error>/g, '');
    const r = parsePoResponse(xml);
    expect(r?.errors).toHaveLength(1);
    expect(r?.errors[0]?.code).toBe('DUPLICATE_PO');
  });

  it('reads an empty <Errors/> element as no errors', () => {
    const r = parsePoResponse(ok.replace('</POResponse>', '<Errors/></POResponse>'));
    expect(r?.documentId).toBe('98765');
    expect(r?.errors).toEqual([]);
  });

  it('reads a body-level 401 even without POResponse', () => {
    const r = parsePoResponse(
      '<PurchaseOrderMessageResponse><Status><StatusCode>401</StatusCode><StatusText>Invalid shared secret</StatusText></Status></PurchaseOrderMessageResponse>',
    );
    expect(r?.statusCode).toBe(401);
    expect(r?.statusText).toBe('Invalid shared secret');
    expect(r?.poNumber).toBeNull();
    expect(r?.errors).toEqual([]);
  });

  it('returns null for garbage, non-XML and the wrong root', () => {
    expect(parsePoResponse('garbage')).toBeNull();
    expect(parsePoResponse('')).toBeNull();
    expect(parsePoResponse('{"Status":{"StatusCode":"200"}}')).toBeNull();
    expect(parsePoResponse('<html><body>502 Bad Gateway</body></html>')).toBeNull();
    expect(parsePoResponse(ok.replace(/PurchaseOrderMessageResponse/g, 'SomethingElse'))).toBeNull();
    expect(parsePoResponse('<PurchaseOrderMessageResponse><Status>')).toBeNull();
  });
});
