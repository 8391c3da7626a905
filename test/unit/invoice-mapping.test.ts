import { describe, expect, it } from 'vitest';
import type { PurchaseOrder, SupplierInvoice, SupplierInvoiceLine } from '../../shared/domain';
import { allocate, codingForSplit, matchPurchaseOrders, toVoucher, vendorForSupplier, type InvoiceMappings } from '../../electron/engine/mapping/invoice';
import { MappingError, type MappingKind } from '../../electron/engine/mapping/kinds';
import type { Mapping } from '../../electron/engine/store/mappings';

// JAGGAER invoice → CloudSuite voucher, read backwards through the mapping tables (pure functions).

const at = '2026-01-01T00:00:00.000Z';
const row = <K extends MappingKind>(kind: K, key: string, value: Mapping<K>['value']): Mapping<K> => ({ kind, key, value, note: null, updatedAt: at });

function tables(parts: Partial<InvoiceMappings> = {}): InvoiceMappings {
  return { segments: ['account', 'costCenter'], required: new Set(), suppliers: [], glAccounts: [], costCenters: [], ...parts };
}

function line(n: number, fields: Partial<SupplierInvoiceLine> = {}): SupplierInvoiceLine {
  const quantity = fields.quantity ?? 2;
  const unitPrice = fields.unitPrice ?? 50;
  return {
    line: n, description: `Item ${n}`, unitOfMeasure: 'EA', quantity, unitPrice, amount: Math.round(quantity * unitPrice * 100) / 100, tax: 0,
    poNumber: null, poLine: null, glSplits: [{ account: '610100', costCenter: 'CC100' }], ...fields,
  };
}

function invoice(lines: SupplierInvoiceLine[], fields: Partial<SupplierInvoice> = {}): SupplierInvoice {
  const subtotal = lines.reduce((s, l) => s + l.amount + l.tax, 0);
  return {
    id: '2600001', number: 'I00101', supplierInvoiceNumber: 'INV-1', kind: 'invoice', supplier: { id: '1003837001', number: 'V001000', name: 'Acme' },
    invoiceDate: '2026-11-02', dueDate: '2026-12-02', accountingDate: null, modifiedAt: at, currency: 'USD',
    totals: { tax: lines.reduce((s, l) => s + l.tax, 0), shipping: 0, handling: 0, discount: 0, total: Math.round(subtotal * 100) / 100 },
    approved: true, payable: true, match: 'matched', poNumber: lines.find((l) => l.poNumber)?.poNumber ?? null, lines, ...fields,
  };
}

describe('supplier → vendor', () => {
  const acme = { id: '1003837001', number: 'S-77', name: 'Acme' };

  it("takes the supplier's ERP number as the vendor number when no mapping names it", () => {
    expect(vendorForSupplier(tables(), acme)).toBe('S-77');
  });

  it('follows a supplier mapping by supplier number, or by JAGGAER supplier id for a supplier with no ERP number', () => {
    const m = tables({ suppliers: [row('supplier', 'V001000', { supplierNumber: 'S-77' }), row('supplier', 'V001050', { supplierNumber: '1003837009' })] });
    expect(vendorForSupplier(m, acme)).toBe('V001000');
    expect(vendorForSupplier(m, { id: '1003837009', number: null, name: 'Portal only' })).toBe('V001050');
  });

  it('refuses a supplier it cannot place, or one two vendors claim', () => {
    expect(() => vendorForSupplier(tables(), { id: '1003837009', number: null, name: 'Portal only' })).toThrow(/no ERP supplier number.*supplier number 1003837009/);
    const twice = tables({ suppliers: [row('supplier', 'V1', { supplierNumber: 'S-77' }), row('supplier', 'V2', { supplierNumber: 'S-77' })] });
    expect(() => vendorForSupplier(twice, acme)).toThrow(/mapped from 2 CloudSuite vendors \(V1, V2\)/);
    expect(() => vendorForSupplier(tables({ required: new Set(['supplier']) }), acme)).toThrow(MappingError);
  });
});

describe('JAGGAER coding → account and cost center', () => {
  it('maps by identity without a mapping (first segment the account, second the cost center)', () => {
    expect(codingForSplit(tables(), { account: '610100', costCenter: 'CC100', fund: 'F1' }, 'x')).toEqual({ account: '610100', costCenter: 'CC100' });
    expect(codingForSplit(tables(), { account: '140000' }, 'x')).toEqual({ account: '140000', costCenter: null });
  });

  it('reads cost-center and GL mappings backwards, a one-cost-center mapping beating the account-wide one', () => {
    const m = tables({
      costCenters: [row('cost-center', 'CC100', 'OPS-1')],
      glAccounts: [row('gl-account', '610100|*', { account: 'EXP-OFFICE' }), row('gl-account', '610100|CC200', { account: 'EXP-OFFICE', costCenter: 'SALES' })],
    });
    expect(codingForSplit(m, { account: 'EXP-OFFICE', costCenter: 'OPS-1' }, 'x')).toEqual({ account: '610100', costCenter: 'CC100' });
    expect(codingForSplit(m, { account: 'EXP-OFFICE', costCenter: 'SALES' }, 'x')).toEqual({ account: '610100', costCenter: 'CC200' });
    // An unmapped JAGGAER cost center on a mapped account is the same code in CloudSuite.
    expect(codingForSplit(m, { account: 'EXP-OFFICE', costCenter: 'CC300' }, 'x')).toEqual({ account: '610100', costCenter: 'CC300' });
  });

  it('refuses a coding two mappings claim, one without an account, and an unmapped one when mappings are required', () => {
    const m = tables({ glAccounts: [row('gl-account', '610100|*', { account: 'EXP' }), row('gl-account', '620400|*', { account: 'EXP' })] });
    expect(() => codingForSplit(m, { account: 'EXP', costCenter: 'CC1' }, 'Invoice I1 line 2')).toThrow(/Invoice I1 line 2: .*matches 2 GL account mappings/);
    expect(() => codingForSplit(tables(), { costCenter: 'CC1' }, 'x')).toThrow(/no account segment/);
    expect(() => codingForSplit(tables({ required: new Set(['gl-account']) }), { account: '610100' }, 'x')).toThrow(/requires one/);
  });
});

describe('PO match', () => {
  const po: PurchaseOrder = {
    number: 'PO1', vendorNumber: 'V001000', orderDate: null, status: 'ordered', type: null, warehouse: null, buyer: null, modifiedAt: at,
    lines: [{ line: 1, release: 0, item: null, description: 'Gloves', quantity: 10, unitCost: 12.5, unitOfMeasure: 'EA', dueDate: null, status: 'O', glAccount: '610100', unitCodes: ['CC100', null, null, null] }],
  };
  const pos = new Map([['PO1', po]]);
  const onPo = (fields: Partial<SupplierInvoiceLine>) => invoice([line(1, { poNumber: 'PO1', poLine: '1', quantity: 4, unitPrice: 12.5, ...fields })]);

  it('accepts the PO price within the tolerance, for no more than the ordered quantity', () => {
    expect(matchPurchaseOrders(onPo({}), 'V001000', pos, 0.01).get(1)).toBe(po.lines[0]);
    expect(() => matchPurchaseOrders(onPo({ unitPrice: 12.5025 }), 'V001000', pos, 0.01)).not.toThrow();
  });

  it('names what does not match', () => {
    expect(() => matchPurchaseOrders(onPo({ unitPrice: 13 }), 'V001000', pos, 0.01)).toThrow(
      'Invoice I00101 (INV-1) line 1: it bills 52.00 (4 × 13), but PO PO1 line 1 prices it at 50.00 (4 × 12.5): 2.00 off, more than the tolerance of 0.01 (rule: PO match).',
    );
    expect(() => matchPurchaseOrders(onPo({ quantity: 11, unitPrice: 12.5 }), 'V001000', pos, 0.01)).toThrow(/bills 11 EA but PO PO1 line 1 orders 10/);
    expect(() => matchPurchaseOrders(onPo({ poLine: '3' }), 'V001000', pos, 0.01)).toThrow(/purchase order PO1 has no line 3/);
    expect(() => matchPurchaseOrders(onPo({ poNumber: 'PO9' }), 'V001000', new Map([['PO9', null]]), 0.01)).toThrow(/purchase order PO9 is not in CloudSuite/);
    expect(() => matchPurchaseOrders(onPo({}), 'V002000', pos, 0.01)).toThrow(/is with vendor V001000, but the invoice is from vendor V002000/);
  });
});

describe('the voucher', () => {
  it('splits cents in proportion so the parts add up exactly', () => {
    expect(allocate(1000, [1, 1, 1])).toEqual([334, 333, 333]);
    expect(allocate(-1000, [1, 1, 1])).toEqual([-334, -333, -333]);
    expect(allocate(7, [0, 0])).toEqual([7, 0]);
  });

  it('books each line with its tax and its weighted share of shipping, a line with two splits in halves', () => {
    const lines = [line(1, { quantity: 3, unitPrice: 100, tax: 21 }), line(2, { quantity: 1, unitPrice: 100.01, glSplits: [{ account: '620400', costCenter: 'CC200' }, { account: '620400', costCenter: 'CC300' }] })];
    const inv = invoice(lines);
    inv.totals = { ...inv.totals, shipping: 40, discount: 10, total: 300 + 21 + 100.01 + 30 };
    const v = toVoucher({ invoice: inv, vendorNumber: 'V001000', vendorCurrency: 'USD', mappings: tables(), poLines: new Map() });
    expect(v).toMatchObject({ reference: 'FERRY:JAG-INV-2600001', invoiceNumber: 'INV-1', amount: 451.01, currency: 'USD' });
    expect(v.distributions.map((d) => [d.account, d.costCenter, d.amount])).toEqual([
      ['610100', 'CC100', 343.5], // 300 + 21 tax + 22.50 of the 30 net charges (300 of 400.01)
      ['620400', 'CC200', 53.76], // (100.01 + 7.50) in halves
      ['620400', 'CC300', 53.75],
    ]);
  });

  it('makes a credit memo negative whichever sign JAGGAER gives it', () => {
    const positive = invoice([line(1, { quantity: 2, unitPrice: 10 })], { kind: 'credit-memo' });
    const negative = invoice([line(1, { quantity: -2, unitPrice: 10, amount: -20 })], { kind: 'credit-memo' });
    for (const inv of [positive, negative]) {
      const v = toVoucher({ invoice: inv, vendorNumber: 'V001000', vendorCurrency: null, mappings: tables(), poLines: new Map() });
      expect([v.amount, v.distributions.map((d) => d.amount)]).toEqual([-20, [-20]]);
    }
  });

  it("codes a PO line JAGGAER left uncoded from the PO line, and leaves a stated total that does not add up for validation", () => {
    const poLine = { line: 1, release: 0, item: null, description: '', quantity: 5, unitCost: 10, unitOfMeasure: 'EA', dueDate: null, status: 'O', glAccount: '650300', unitCodes: ['CC700', null, null, null] };
    const inv = invoice([line(1, { poNumber: 'PO1', poLine: '1', glSplits: [] })]);
    inv.totals = { ...inv.totals, total: 999 };
    const v = toVoucher({ invoice: inv, vendorNumber: 'V001000', vendorCurrency: null, mappings: tables(), poLines: new Map([[1, poLine]]) });
    expect(v.distributions).toMatchObject([{ account: '650300', costCenter: 'CC700', amount: 100 }]);
    expect(v.amount).toBe(999);
    expect(() => toVoucher({ invoice: inv, vendorNumber: 'V001000', vendorCurrency: null, mappings: tables(), poLines: new Map() })).toThrow(/no GL coding in JAGGAER/);
  });
});
